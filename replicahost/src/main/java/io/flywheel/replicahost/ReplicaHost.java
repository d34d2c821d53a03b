package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.replication.HardState;
import io.flywheel.replication.Member;
import io.flywheel.replication.Membership;
import io.flywheel.replication.Message;
import io.flywheel.replication.Ready;
import io.flywheel.replication.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Hosts replicas of replication groups on one node: registers them (recovering their state from
 * the engines), routes proposals and inbound messages to the worker that owns each group, and runs
 * the workers. See the package documentation for the loop. Thread-safe.
 */
public final class ReplicaHost implements AutoCloseable {
  private final KvEngine kv;
  private final KvEngine log;
  private final HostConfig config;
  private final HostEnvironment env;
  private final Worker[] workers;
  private final LogTruncator truncator;
  private final Thread truncatorThread;
  private final ConcurrentHashMap<Long, HostedGroup<?>> groups = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ReplicaHost(KvEngine kv, KvEngine log, HostConfig config, HostEnvironment env) {
    this.kv = kv;
    this.log = log;
    this.config = config;
    this.env = env;
    this.truncator = new LogTruncator(kv, log);
    this.truncatorThread = env.threads().newThread(truncator);
    truncatorThread.setName("log-truncator");
    truncatorThread.start();
    this.workers = new Worker[config.workers()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i, kv, log, config, env.clock(), env.network(), truncator);
    }
    for (Worker w : workers) {
      Thread t = env.threads().newThread(w);
      t.setName("replica-worker-" + w.id);
      w.thread = t;
      t.start();
    }
  }

  /** This host's node id. */
  public long nodeId() {
    return env.nodeId();
  }

  /** Registers a group whose only member is this node (or recovers it if it exists). */
  public <C> GroupHandle<C> register(long groupId, StateMachine<C> stateMachine) {
    return register(groupId, stateMachine, Membership.of(Member.fullVoter(env.nodeId())));
  }

  /**
   * Registers this node's replica of a group: recovers its state machine and log, applies what it
   * knows to be committed, and hands it to its worker. A group this node has never hosted starts
   * from {@code initialMembership} (every founding member must be given the same one; a replica
   * added to an existing group passes {@link Membership#EMPTY} and learns it from the leader).
   * A group of one member is leading and serving when this returns.
   */
  public <C> GroupHandle<C> register(long groupId, StateMachine<C> stateMachine, Membership initialMembership) {
    checkOpen();
    HostedGroup<C> group;
    synchronized (this) {
      Invariants.checkArgument(!groups.containsKey(groupId), "group " + groupId + " registered twice");
      group = recover(groupId, stateMachine, initialMembership, leastLoadedWorker());
      groups.put(groupId, group);
    }
    try {
      catchUp(group);
    } catch (RuntimeException e) {
      groups.remove(groupId, group);
      throw e;
    }
    if (!group.worker.submit(new Worker.Task.Adopt(group))) {
      groups.remove(groupId, group);
      throw new HostRejectedException(HostRejectedException.Reason.OVERLOADED, "replica worker queue is full");
    }
    return new GroupHandle<>(group, env.clock());
  }

  private <C> HostedGroup<C> recover(long groupId, StateMachine<C> stateMachine, Membership initialMembership, Worker worker) {
    stateMachine.recover(kv);
    byte[] applied = kv.get(Space.STATE, LogKeys.appliedKey(groupId));
    long appliedIndex = applied == null ? 0 : Bytes.getLong(applied, 0);
    byte[] storedHard = log.get(Space.DATA, LogKeys.entryKey(groupId, LogKeys.HARD_STATE));
    HardState hard;
    if (storedHard == null) {
      hard = initialMembership.members().isEmpty() ? HardState.joining() : HardState.bootstrap(initialMembership);
      try (KvBatch batch = log.newBatch()) {
        batch.put(Space.DATA, LogKeys.entryKey(groupId, LogKeys.HARD_STATE), LogKeys.encodeHardState(hard));
        log.write(batch, true);
      }
    } else {
      hard = LogKeys.decodeHardState(groupId, storedHard);
    }
    StoredLog stored = StoredLog.load(log, groupId);
    // The commit index is persisted lazily; what was applied was committed.
    long commitIndex = Math.max(hard.commitIndex(), appliedIndex);
    Invariants.check(commitIndex <= stored.lastIndex(), "group " + groupId + " applied " + appliedIndex + " past its log " + stored.lastIndex());
    HardState start = new HardState(hard.ballot(), hard.votedFor(), commitIndex, hard.membership(), hard.membershipIndex());
    // Each replica gets its own source (they run on different workers); drawn under the host's lock.
    Replica replica = Replica.start(config.replication(), groupId, env.nodeId(), start, appliedIndex, stored,
        RandomSource.seeded(env.random().nextLong()), env.clock().monotonicNanos());
    replica.archived(Long.MAX_VALUE); // no archive yet: it never holds the log floor back
    return new HostedGroup<>(groupId, stateMachine, worker, replica, stored, kv, config, appliedIndex, hard);
  }

  /**
   * On the registering thread, before any worker sees the group: applies the committed entries the
   * replica knows of and, for a group of one, wins its election. Each step is persisted at once.
   */
  private void catchUp(HostedGroup<?> group) {
    group.replica.tick(env.clock().monotonicNanos());
    while (group.failure == null && group.hasWork()) {
      HostedGroup.Loop loop = new HostedGroup.Loop();
      Ready rd = group.take();
      try (KvBatch batch = log.newBatch()) {
        group.stage(rd, batch, loop);
        log.write(batch, true);
      }
      group.finish(rd, loop);
      if (!loop.lightWrites.isEmpty()) {
        try (KvBatch batch = log.newBatch()) {
          for (byte[][] w : loop.lightWrites) {
            batch.put(Space.DATA, w[0], w[1]);
          }
          log.write(batch, false);
        }
      }
      for (Message m : loop.outbound) {
        env.network().send(m);
      }
      if (!loop.truncations.isEmpty()) {
        truncator.truncate(List.copyOf(loop.truncations));
      }
    }
    group.settle();
    if (group.failure != null) {
      throw group.failure;
    }
  }

  /**
   * The worker with the fewest groups (the first of equals): spreads a table's partitions over the
   * cores. Good enough while groups are equally busy; balancing by load comes with splits.
   */
  private Worker leastLoadedWorker() {
    int[] counts = new int[workers.length];
    for (HostedGroup<?> g : groups.values()) {
      counts[g.worker.id]++;
    }
    int best = 0;
    for (int i = 1; i < workers.length; i++) {
      if (counts[i] < counts[best]) {
        best = i;
      }
    }
    return workers[best];
  }

  /** The handle of a registered group, or null. */
  @SuppressWarnings("unchecked")
  public <C> GroupHandle<C> group(long groupId) {
    HostedGroup<?> g = groups.get(groupId);
    return g == null ? null : new GroupHandle<>((HostedGroup<C>) g, env.clock());
  }

  /**
   * A replication message from another node. Routed to the worker of its group; dropped when the
   * group is not hosted here or the worker is overloaded (the sender resends).
   */
  public void deliver(Message message) {
    HostedGroup<?> g = groups.get(message.groupId());
    if (g != null) {
      g.worker.submit(new Worker.Task.Inbound(message));
    }
  }

  /**
   * Removes a group and all its persistent state: on its worker, after the proposals queued before
   * this call, deletes its log, hard state and applied index and runs {@code extraDeletes} in the
   * same durable item batch (the role deletes its data and descriptor there).
   */
  public CompletableFuture<Void> drop(long groupId, Consumer<KvBatch> extraDeletes) {
    HostedGroup<?> group = groups.get(groupId);
    if (group == null) {
      return CompletableFuture.failedFuture(new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "no group " + groupId));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued = group.worker.submit(new Worker.Task.Drop(group, extraDeletes, done));
    if (!queued) {
      return CompletableFuture.failedFuture(new HostRejectedException(HostRejectedException.Reason.OVERLOADED, "worker queue full"));
    }
    return done.thenRun(() -> groups.remove(groupId, group));
  }

  /** Group ids that have log records but are not registered: leftovers of an interrupted drop. */
  public List<Long> unregisteredLogGroups() {
    List<Long> found = new ArrayList<>();
    byte[] from = null;
    while (true) {
      long groupId;
      try (KvIterator it = log.iterator(Space.DATA, from, null, false)) {
        it.seekFirst();
        if (!it.valid()) {
          return found;
        }
        groupId = LogKeys.groupOf(it.key());
      }
      if (!groups.containsKey(groupId)) {
        found.add(groupId);
      }
      from = LogKeys.groupEnd(groupId);
      if (from == null) {
        return found;
      }
    }
  }

  /** Deletes the log of a group that is not registered (startup cleanup after an interrupted drop). */
  public void deleteOrphanLog(long groupId) {
    Invariants.checkArgument(!groups.containsKey(groupId), "group " + groupId + " is registered");
    try (KvBatch batch = log.newBatch()) {
      batch.deleteRange(Space.DATA, LogKeys.entryKey(groupId, 0), LogKeys.groupEnd(groupId));
      log.write(batch, true);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new HostRejectedException(HostRejectedException.Reason.SHUTTING_DOWN, "host is closed");
    }
  }

  /** Stops the workers after the tasks already queued; fails what arrives later. */
  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      w.stop();
    }
    try {
      for (Worker w : workers) {
        w.thread.join(30_000);
      }
      truncator.stop();
      truncatorThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
