package io.flywheel.replicahost;

import io.flywheel.base.Clock;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.Space;
import io.flywheel.replication.Message;
import io.flywheel.replication.Ready;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker thread: owns a share of the groups and runs the loop the package documentation
 * describes. Everything here except {@link #submit} and {@link #stop} runs on the worker thread.
 */
final class Worker implements Runnable {
  private static final System.Logger LOG = System.getLogger(Worker.class.getName());

  final int id;
  Thread thread;
  private final KvEngine kv;
  private final KvEngine log;
  private final HostConfig config;
  private final Clock clock;
  private final PeerNetwork network;
  private final ArrayBlockingQueue<Task> queue;
  private final LogTruncator truncator;
  /** Tasks drained but not processed because a loop hit its byte bound. */
  private final ArrayDeque<Task> carried = new ArrayDeque<>();
  /** The groups this worker owns, by id. */
  private final Map<Long, HostedGroup<?>> groups = new HashMap<>();
  /**
   * Groups with something to do in the next loop without a new task (a Ready to finish after the
   * sync, more to hand out), and groups holding proposals for a new leader: kept as sets, because
   * a loop runs for every batch of inbound messages and must not visit every group it hosts.
   */
  private final LinkedHashSet<HostedGroup<?>> pendingWork = new LinkedHashSet<>();
  private final LinkedHashSet<HostedGroup<?>> holding = new LinkedHashSet<>();
  /** Whether any group needed periodic ticks at the last periodic pass (or adoption). */
  private boolean anyTicking;
  /** Groups that were not quiet after their last loop: ticked every tick interval, the rest every quiet interval. */
  private final LinkedHashSet<HostedGroup<?>> busy = new LinkedHashSet<>();
  private long nextQuietPassNanos;
  private long loops;
  private long nextTickNanos;
  private long appliedSinceDurable;
  private boolean durableOutstanding;
  private final Map<Long, Long> appliedNotDurable = new HashMap<>();
  private volatile boolean stopping;
  private volatile Throwable fatal;
  /** Set once the loop has ended, before the queue is drained for the last time. */
  private volatile boolean exited;

  Worker(int id, KvEngine kv, KvEngine log, HostConfig config, Clock clock, PeerNetwork network, LogTruncator truncator) {
    this.id = id;
    this.kv = kv;
    this.log = log;
    this.config = config;
    this.clock = clock;
    this.network = network;
    this.truncator = truncator;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
  }

  /** Work for a worker. */
  sealed interface Task {
    record Adopt(HostedGroup<?> group) implements Task {}

    record Proposal(HostedGroup<?> group, Object command, CompletableFuture<Object> future) implements Task {}

    record Inbound(Message message) implements Task {}

    record Durable(Map<Long, Long> appliedByGroup) implements Task {}

    record Drop(HostedGroup<?> group, java.util.function.Consumer<KvBatch> extraDeletes, CompletableFuture<Void> done) implements Task {}

    record Stop() implements Task {}
  }

  /** Queues a task; false when the queue is full (a stopped worker fails proposals at once). */
  boolean submit(Task task) {
    if (stopping || exited) {
      failTask(task, stoppedError());
      return true;
    }
    if (!queue.offer(task)) {
      return false;
    }
    if (exited) {
      failQueued(); // the worker ended between the check and the offer; its last drain may have missed us
    }
    return true;
  }

  private HostRejectedException stoppedError() {
    Throwable t = fatal;
    return new HostRejectedException(HostRejectedException.Reason.SHUTTING_DOWN,
        t == null ? "replica worker stopped" : "replica worker failed: " + t);
  }

  private void failQueued() {
    Task t;
    while ((t = queue.poll()) != null) {
      failTask(t, stoppedError());
    }
  }

  void stop() {
    stopping = true;
    try {
      queue.put(new Task.Stop()); // after everything accepted before; waits at most one loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Task> tasks = new ArrayList<>(config.maxBatchProposals());
    nextTickNanos = clock.monotonicNanos() + config.tickIntervalNanos();
    try {
      boolean running = true;
      while (running) {
        tasks.clear();
        while (!carried.isEmpty() && tasks.size() < config.maxBatchProposals()) {
          tasks.add(carried.poll());
        }
        if (tasks.isEmpty() && !hasPendingWork()) {
          long waitNanos = Math.max(0, nextTickNanos - clock.monotonicNanos());
          Task first = tickingGroups() ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : queue.take();
          if (first != null) {
            tasks.add(first);
          }
        }
        queue.drainTo(tasks, config.maxBatchProposals() - tasks.size());
        running = runLoop(tasks);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      // A log or engine write failed: nothing after this point can be acknowledged safely.
      fatal = t;
      LOG.log(System.Logger.Level.ERROR, "replica worker " + id + " stopped", t);
      for (HostedGroup<?> g : groups.values()) {
        g.failAll(stoppedError());
      }
    }
    exited = true;
    for (Task t : carried) {
      failTask(t, stoppedError());
    }
    failQueued();
  }

  private boolean tickingGroups() {
    return anyTicking || !holding.isEmpty();
  }

  private boolean hasPendingWork() {
    return !pendingWork.isEmpty();
  }

  /** One loop over a batch of tasks. Returns false when the worker must stop. */
  private boolean runLoop(List<Task> tasks) {
    loops++;
    long now = clock.monotonicNanos();
    HostedGroup.Loop loop = new HostedGroup.Loop();
    LinkedHashSet<HostedGroup<?>> active = new LinkedHashSet<>();
    List<Task.Drop> drops = new ArrayList<>();
    boolean stop = false;
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      if (loop.logBytes >= config.maxBatchBytes()) {
        for (int j = i; j < tasks.size(); j++) {
          carried.add(tasks.get(j));
        }
        break;
      }
      switch (task) {
        case Task.Stop ignored -> stop = true;
        case Task.Adopt a -> {
          groups.put(a.group().id, a.group());
          active.add(a.group());
          busy.add(a.group());
          anyTicking |= a.group().needsPeriodicTicks();
        }
        case Task.Proposal p -> {
          HostedGroup<?> g = p.group();
          if (groups.get(g.id) != g) {
            p.future().completeExceptionally(new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "group " + g.id + " is not hosted"));
            break;
          }
          tickOnce(g, now);
          g.propose(p.command(), p.future(), now, loop);
          active.add(g);
          if (!g.held.isEmpty()) {
            holding.add(g);
          }
        }
        case Task.Inbound m -> {
          HostedGroup<?> g = groups.get(m.message().groupId());
          if (g != null && g.failure == null && !g.dropping) {
            g.replica.receive(m.message());
            active.add(g);
          }
        }
        case Task.Durable d -> {
          durableOutstanding = false;
          d.appliedByGroup().forEach((groupId, index) -> {
            HostedGroup<?> g = groups.get(groupId);
            if (g != null && g.failure == null) {
              g.durablyApplied(index);
              active.add(g);
            }
          });
        }
        case Task.Drop d -> {
          d.group().dropping = true;
          drops.add(d);
          active.add(d.group());
        }
      }
    }
    if (now >= nextTickNanos) {
      // Busy groups every tick; every group (the quiet ones) once per quiet interval: a node's
      // groups are mostly idle, and visiting each of them every tick was most of what they cost.
      if (now >= nextQuietPassNanos) {
        boolean ticking = false;
        for (HostedGroup<?> g : groups.values()) {
          if (g.needsPeriodicTicks()) {
            ticking = true;
            tickOnce(g, now);
            active.add(g);
          }
        }
        anyTicking = ticking;
        nextQuietPassNanos = now + config.quietTickIntervalNanos();
      } else {
        for (Iterator<HostedGroup<?>> it = busy.iterator(); it.hasNext(); ) {
          HostedGroup<?> g = it.next();
          if (groups.get(g.id) != g) {
            it.remove();
          } else if (g.needsPeriodicTicks()) {
            tickOnce(g, now);
            active.add(g);
          }
        }
      }
      nextTickNanos = now + config.tickIntervalNanos();
    }
    for (Iterator<HostedGroup<?>> it = holding.iterator(); it.hasNext(); ) {
      HostedGroup<?> g = it.next();
      if (groups.get(g.id) == g && !g.held.isEmpty()) {
        tickOnce(g, now);
        g.retryHeld(now, loop);
        active.add(g);
      }
      if (g.held.isEmpty() || groups.get(g.id) != g) {
        it.remove();
      }
    }
    for (HostedGroup<?> g : pendingWork) {
      if (groups.get(g.id) == g) {
        active.add(g);
      }
    }
    pendingWork.clear();
    persistAndFinish(active, loop);
    for (HostedGroup<?> g : active) {
      if (g.failure == null && groups.get(g.id) == g) {
        if (g.hasWork()) {
          pendingWork.add(g);
        }
        if (g.replica.isQuiet()) {
          busy.remove(g);
        } else {
          busy.add(g);
        }
      }
    }
    for (Task.Drop d : drops) {
      drop(d);
    }
    maybeMakeDurable(loop);
    return !stop;
  }

  private void tickOnce(HostedGroup<?> g, long now) {
    if (g.tickedInLoop != loops && g.failure == null) {
      g.tickedInLoop = loops;
      g.replica.tick(now);
    }
  }

  /** Takes every active group's Ready, persists them with one sync, then carries them out. */
  private void persistAndFinish(LinkedHashSet<HostedGroup<?>> active, HostedGroup.Loop loop) {
    List<HostedGroup<?>> readyGroups = new ArrayList<>();
    List<Ready> readies = new ArrayList<>();
    try (KvBatch logBatch = log.newBatch()) {
      for (HostedGroup<?> g : active) {
        if (g.failure != null) {
          continue;
        }
        Ready rd = g.take();
        if (rd != null) {
          g.stage(rd, logBatch, loop);
          readyGroups.add(g);
          readies.add(rd);
        }
      }
      sendAll(loop);
      if (logBatch.count() > 0) {
        log.write(logBatch, true); // the durable point: one fsync for every group of this loop
      }
    }
    for (int i = 0; i < readyGroups.size(); i++) {
      readyGroups.get(i).finish(readies.get(i), loop);
    }
    sendAll(loop);
    if (!loop.lightWrites.isEmpty()) {
      try (KvBatch batch = log.newBatch()) {
        for (byte[][] w : loop.lightWrites) {
          batch.put(Space.DATA, w[0], w[1]);
        }
        log.write(batch, false);
      }
    }
    if (!loop.truncations.isEmpty()) {
      truncator.truncate(List.copyOf(loop.truncations));
    }
    for (HostedGroup<?> g : active) {
      g.settle();
    }
  }

  private void sendAll(HostedGroup.Loop loop) {
    for (Message m : loop.outbound) {
      network.send(m);
    }
    loop.outbound.clear();
  }

  /** Once enough was applied, asks the truncator to make it durable, which lets the logs be cut below it. */
  private void maybeMakeDurable(HostedGroup.Loop loop) {
    appliedSinceDurable += loop.appliedEntries;
    appliedNotDurable.putAll(loop.applied);
    if (appliedSinceDurable < config.logRetainEntries() || durableOutstanding) {
      return;
    }
    durableOutstanding = true;
    Map<Long, Long> offer = new LinkedHashMap<>(appliedNotDurable);
    appliedNotDurable.clear();
    appliedSinceDurable = 0;
    truncator.makeDurable(offer, applied -> {
      if (!submit(new Task.Durable(applied))) {
        LOG.log(System.Logger.Level.WARNING, "worker " + id + " queue full: a durability report was dropped");
      }
    });
  }

  private void drop(Task.Drop drop) {
    HostedGroup<?> group = drop.group();
    try {
      try (KvBatch batch = kv.newBatch()) {
        batch.delete(Space.STATE, LogKeys.appliedKey(group.id));
        drop.extraDeletes().accept(batch);
        kv.write(batch, true);
      }
      try (KvBatch batch = log.newBatch()) {
        batch.deleteRange(Space.DATA, LogKeys.entryKey(group.id, 0), LogKeys.groupEnd(group.id));
        log.write(batch, true);
      }
      HostRejectedException dropped = new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "group " + group.id + " was dropped");
      group.failure = dropped;
      group.failAll(dropped);
      group.readableUntilNanos = Long.MIN_VALUE;
      groups.remove(group.id, group);
      appliedNotDurable.remove(group.id);
      drop.done().complete(null);
    } catch (RuntimeException e) {
      drop.done().completeExceptionally(e);
    }
  }

  private static void failTask(Task task, RuntimeException error) {
    switch (task) {
      case Task.Proposal p -> p.future().completeExceptionally(error);
      case Task.Drop d -> d.done().completeExceptionally(error);
      case Task.Adopt a -> a.group().failAll(error);
      case Task.Inbound ignored -> {}
      case Task.Durable ignored -> {}
      case Task.Stop ignored -> {}
    }
  }
}
