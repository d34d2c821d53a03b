package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.Space;
import io.flywheel.replicahost.ReplicaHost.Group;
import io.flywheel.replicahost.ReplicaHost.Task;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * One worker thread: owns a share of the groups and runs the loop the package documentation
 * describes. Everything here except {@link #submit} and {@link #stop} runs on the worker thread.
 */
final class Worker implements Runnable {
  final int id;
  Thread thread;
  private final KvEngine kv;
  private final KvEngine log;
  private final HostConfig config;
  private final ArrayBlockingQueue<Task> queue;
  private final LogTruncator truncator;
  /** Tasks drained but not processed because a loop hit its byte bound. */
  private final ArrayDeque<Task> carried = new ArrayDeque<>();
  private final IdentityHashMap<Group<?>, Boolean> groupsSeen = new IdentityHashMap<>();
  private long appliedSinceTruncation;
  private volatile boolean stopping;
  private volatile Throwable fatal;
  /** Set once the loop has ended, before the queue is drained for the last time. */
  private volatile boolean exited;

  Worker(int id, KvEngine kv, KvEngine log, HostConfig config, LogTruncator truncator) {
    this.id = id;
    this.truncator = truncator;
    this.kv = kv;
    this.log = log;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
  }

  boolean submit(Task task) {
    if (stopping || exited) {
      failTask(task, stoppedError());
      return true;
    }
    if (!queue.offer(task)) {
      return false;
    }
    if (exited) {
      // The worker ended between the check and the offer; its last drain may have missed us.
      failQueued();
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
    // Queued after everything accepted before: the worker finishes those, then ends. A full queue
    // drains (the worker runs, or it has exited and its last drain emptied the queue), so this
    // waits at most one loop.
    try {
      queue.put(new Task.Stop());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Task> tasks = new ArrayList<>(config.maxBatchProposals());
    try {
      while (true) {
        tasks.clear();
        while (!carried.isEmpty() && tasks.size() < config.maxBatchProposals()) {
          tasks.add(carried.poll());
        }
        if (tasks.isEmpty()) {
          tasks.add(queue.take());
        }
        queue.drainTo(tasks, config.maxBatchProposals() - tasks.size());
        if (!runLoop(tasks)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      // A log or engine write failed: nothing after this point can be acknowledged safely.
      fatal = t;
    }
    exited = true;
    for (Task t : carried) {
      failTask(t, stoppedError());
    }
    failQueued();
  }

  /** One loop over a batch of tasks. Returns false when the worker must stop. */
  private boolean runLoop(List<Task> tasks) {
    Segment segment = new Segment(log.newBatch());
    boolean stop = false;
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      if (segment.logBatch.sizeBytes() >= config.maxBatchBytes()) {
        for (int j = i; j < tasks.size(); j++) {
          carried.add(tasks.get(j));
        }
        break;
      }
      switch (task) {
        case Task.Stop ignored -> stop = true;
        case Task.Drop drop -> {
          // Finish what this loop evaluated before deleting the group's state.
          finish(segment);
          segment = new Segment(log.newBatch());
          drop(drop);
        }
        case Task.Proposal p -> evaluate(p, segment);
      }
    }
    finish(segment);
    maybeTruncate();
    return !stop;
  }

  /** The proposals of one loop (or of the part of a loop before a drop). */
  private static final class Segment {
    final KvBatch logBatch;
    final Map<Group<?>, List<Pending>> appends = new LinkedHashMap<>();
    final List<Completion> completions = new ArrayList<>();

    Segment(KvBatch logBatch) {
      this.logBatch = logBatch;
    }
  }

  private void finish(Segment segment) {
    try (KvBatch batch = segment.logBatch) {
      persistApplyComplete(batch, segment.appends, segment.completions);
    }
  }

  private record Pending(long index, byte[] entry) {}

  private record Completion(Group<?> group, CompletableFuture<Object> future, Object result, RuntimeException error) {
    void complete() {
      RuntimeException groupFailure = group.failure;
      if (error != null) {
        future.completeExceptionally(error);
      } else if (groupFailure != null) {
        // Committed but not applied: the outcome is unknown to the client until the group is
        // repaired, and this replica must not serve what it could not apply.
        future.completeExceptionally(new HostRejectedException(
            HostRejectedException.Reason.GROUP_FAILED, "group " + group.id + " stopped: " + groupFailure));
      } else {
        future.complete(result);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void evaluate(Task.Proposal p, Segment segment) {
    KvBatch logBatch = segment.logBatch;
    Map<Group<?>, List<Pending>> appends = segment.appends;
    List<Completion> completions = segment.completions;
    Group group = p.group();
    if (group.failure != null) {
      completions.add(new Completion(group, p.future(), null,
          new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED, "group " + group.id + " stopped")));
      return;
    }
    Evaluation evaluation;
    try {
      evaluation = group.stateMachine.evaluate(p.command(), group.lastIndex + 1);
    } catch (RuntimeException e) {
      evaluation = new Evaluation.Reject(e);
    }
    // Every outcome, rejections included, is released only after this loop's entries are durable:
    // it may depend on an earlier entry of this loop, which must not be observable before commit.
    switch (evaluation) {
      case Evaluation.Append a -> {
        long index = ++group.lastIndex;
        logBatch.put(Space.DATA, LogKeys.entryKey(group.id, index), LogKeys.frame(a.entry()));
        appends.computeIfAbsent(group, g -> new ArrayList<>()).add(new Pending(index, a.entry()));
        completions.add(new Completion(group, p.future(), a.result(), null));
      }
      case Evaluation.Done d -> completions.add(new Completion(group, p.future(), d.result(), null));
      case Evaluation.Reject r -> completions.add(new Completion(group, p.future(), null, r.error()));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void persistApplyComplete(KvBatch logBatch, Map<Group<?>, List<Pending>> appends, List<Completion> completions) {
    if (logBatch.count() > 0) {
      try {
        log.write(logBatch, true); // the commit point: one fsync for every group of this loop
      } catch (RuntimeException e) {
        // Nothing of this loop is known to be durable: fail it all, then stop the worker.
        HostRejectedException failed = new HostRejectedException(HostRejectedException.Reason.SHUTTING_DOWN,
            "replication log write failed: " + e);
        for (Completion c : completions) {
          c.future().completeExceptionally(failed);
        }
        throw e;
      }
    }
    for (Map.Entry<Group<?>, List<Pending>> e : appends.entrySet()) {
      Group group = e.getKey();
      List<Pending> entries = e.getValue();
      long last = entries.get(entries.size() - 1).index();
      try (KvBatch batch = kv.newBatch()) {
        for (Pending pending : entries) {
          group.stateMachine.apply(pending.index(), pending.entry(), batch);
        }
        batch.put(Space.STATE, LogKeys.appliedKey(group.id), Bytes.ofLong(last));
        kv.write(batch, false);
        group.appliedIndex = last;
        group.stateMachine.applied(last);
        appliedSinceTruncation += entries.size();
        groupsSeen.put(group, Boolean.TRUE);
      } catch (RuntimeException failure) {
        // Fail-stop this group: its log holds committed entries it cannot apply. It stays stopped
        // (after a restart too) until repaired; other groups go on.
        group.failure = failure;
      }
    }
    for (Completion c : completions) {
      c.complete();
    }
  }

  private void drop(Task.Drop drop) {
    Group<?> group = drop.group();
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
      group.failure = new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "group " + group.id + " was dropped");
      groupsSeen.remove(group);
      drop.done().complete(null);
    } catch (RuntimeException e) {
      drop.done().completeExceptionally(e);
    }
  }

  /** Once enough was applied, asks the truncator to cut the logs below what this worker applied. */
  private void maybeTruncate() {
    if (appliedSinceTruncation < config.logRetainEntries()) {
      return;
    }
    Map<Long, Long> applied = new HashMap<>();
    for (Group<?> group : groupsSeen.keySet()) {
      applied.put(group.id, group.appliedIndex);
    }
    truncator.offer(applied);
    groupsSeen.clear();
    appliedSinceTruncation = 0;
  }

  @SuppressWarnings("unchecked")
  private static void failTask(Task task, RuntimeException error) {
    switch (task) {
      case Task.Proposal p -> p.future().completeExceptionally(error);
      case Task.Drop d -> d.done().completeExceptionally(error);
      case Task.Stop ignored -> {}
    }
  }
}
