package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.base.Invariants;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Hosts replication groups on one node: registers them (replaying their logs), routes proposals to
 * the worker that owns each group, and runs the workers. See the package documentation for the
 * loop. Thread-safe.
 */
public final class ReplicaHost implements AutoCloseable {
  private final KvEngine kv;
  private final KvEngine log;
  private final HostConfig config;
  private final Worker[] workers;
  private final LogTruncator truncator;
  private final Thread truncatorThread;
  private final ConcurrentHashMap<Long, Group<?>> groups = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ReplicaHost(KvEngine kv, KvEngine log, HostConfig config, ThreadFactory threads) {
    this.kv = kv;
    this.log = log;
    this.config = config;
    this.truncator = new LogTruncator(kv, log);
    this.truncatorThread = threads.newThread(truncator);
    truncatorThread.setName("log-truncator");
    truncatorThread.start();
    this.workers = new Worker[config.workers()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i, kv, log, config, truncator);
    }
    for (Worker w : workers) {
      Thread t = threads.newThread(w);
      t.setName("replica-worker-" + w.id);
      w.thread = t;
      t.start();
    }
  }

  /**
   * Registers a group: recovers its state machine and replays its log from the applied index, then
   * hands it to its worker. Returns the handle to propose through.
   */
  public <C> GroupHandle<C> register(long groupId, StateMachine<C> stateMachine) {
    checkOpen();
    Group<C> group;
    synchronized (this) {
      group = new Group<>(groupId, stateMachine, leastLoadedWorker());
      Invariants.checkArgument(groups.putIfAbsent(groupId, group) == null, "group " + groupId + " registered twice");
    }
    try {
      group.recover(kv, log, config);
    } catch (RuntimeException e) {
      groups.remove(groupId);
      throw e;
    }
    return new GroupHandle<>(group);
  }

  /**
   * The worker with the fewest groups (the first of equals): spreads a table's partitions over the
   * cores. Good enough while groups are equally busy; balancing by load comes with splits.
   */
  private Worker leastLoadedWorker() {
    int[] counts = new int[workers.length];
    for (Group<?> g : groups.values()) {
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
    Group<?> g = groups.get(groupId);
    return g == null ? null : new GroupHandle<>((Group<C>) g);
  }

  /**
   * Removes a group and all its persistent state: on its worker, after the proposals queued before
   * this call, deletes its log and applied index and runs {@code extraDeletes} in the same durable
   * item batch (the role deletes its data and descriptor there).
   */
  public CompletableFuture<Void> drop(long groupId, Consumer<KvBatch> extraDeletes) {
    Group<?> group = groups.get(groupId);
    if (group == null) {
      return CompletableFuture.failedFuture(new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "no group " + groupId));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued = group.worker.submit(new Task.Drop(group, extraDeletes, done));
    if (!queued) {
      return CompletableFuture.failedFuture(new HostRejectedException(HostRejectedException.Reason.OVERLOADED, "worker queue full"));
    }
    return done.thenRun(() -> groups.remove(groupId, group));
  }

  /** Group ids that have log entries but are not registered: leftovers of an interrupted drop. */
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

  /** Waits until the log truncations requested so far are done (for tests). */
  void awaitLogTruncation() throws InterruptedException {
    truncator.awaitIdle();
  }

  /** Stops the workers after the tasks already queued; fails what arrives later. */
  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      w.stop();
    }
    truncator.stop();
    try {
      for (Worker w : workers) {
        w.thread.join(30_000);
      }
      truncatorThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A registered group; its mutable fields belong to its worker's thread after registration. */
  static final class Group<C> {
    final long id;
    final StateMachine<C> stateMachine;
    final Worker worker;
    long lastIndex;
    long appliedIndex;
    volatile RuntimeException failure;

    Group(long id, StateMachine<C> stateMachine, Worker worker) {
      this.id = id;
      this.stateMachine = stateMachine;
      this.worker = worker;
    }

    void recover(KvEngine kv, KvEngine log, HostConfig config) {
      stateMachine.recover(kv);
      byte[] applied = kv.get(Space.STATE, LogKeys.appliedKey(id));
      appliedIndex = applied == null ? 0 : Bytes.getLong(applied, 0);
      lastIndex = appliedIndex;
      KvBatch batch = kv.newBatch();
      int inBatch = 0;
      try (KvIterator it = log.iterator(Space.DATA, LogKeys.entryKey(id, appliedIndex + 1), LogKeys.groupEnd(id), false)) {
        for (it.seekFirst(); it.valid(); it.next()) {
          long index = LogKeys.indexOf(it.key());
          Invariants.check(index == lastIndex + 1, "log of group " + id + " has a gap after " + lastIndex + ": found " + index);
          byte[] entry = LogKeys.unframe(id, index, it.value());
          stateMachine.apply(index, entry, batch);
          lastIndex = index;
          if (++inBatch >= config.maxBatchProposals() || batch.sizeBytes() >= config.maxBatchBytes()) {
            finishReplayBatch(kv, batch);
            batch = kv.newBatch();
            inBatch = 0;
          }
        }
        finishReplayBatch(kv, batch);
      }
    }

    private void finishReplayBatch(KvEngine kv, KvBatch batch) {
      try (batch) {
        if (lastIndex > appliedIndex) {
          batch.put(Space.STATE, LogKeys.appliedKey(id), Bytes.ofLong(lastIndex));
          kv.write(batch, false);
          stateMachine.applied(lastIndex);
          appliedIndex = lastIndex;
        }
      }
    }
  }

  /** Work for a worker. */
  sealed interface Task {
    record Proposal(Group<?> group, Object command, CompletableFuture<Object> future) implements Task {}

    record Drop(Group<?> group, Consumer<KvBatch> extraDeletes, CompletableFuture<Void> done) implements Task {}

    record Stop() implements Task {}
  }
}
