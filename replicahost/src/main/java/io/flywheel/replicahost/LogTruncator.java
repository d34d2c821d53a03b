package io.flywheel.replicahost;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The slow half of log truncation, off the workers' threads: making the item engine durable can
 * take tens of milliseconds, which a worker must not spend while writes wait for it.
 *
 * <ol>
 *   <li>A worker offers the applied index of its groups ({@link #makeDurable}); the truncator
 *       syncs the item engine's WAL, so those applies are durable, and hands the indexes back to
 *       the worker, which tells the replicas ({@code Replica.applied}).
 *   <li>The replicas then raise their log floor (it also respects what peers still need); the
 *       worker cuts its view of the log and asks the truncator to delete the entries below ({@link
 *       #truncate}), with the floor record, in one unsynced batch: a lost truncation only leaves
 *       entries that are deleted again later.
 * </ol>
 *
 * One thread; jobs run in order; the queue holds at most one durability job per worker at a time
 * (workers wait for the answer before offering again).
 */
final class LogTruncator implements Runnable {
  private final KvEngine kv;
  private final KvEngine log;
  private final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
  private boolean stopped;

  LogTruncator(KvEngine kv, KvEngine log) {
    this.kv = kv;
    this.log = log;
  }

  /** Syncs the item engine, then passes {@code appliedByGroup} (all applied before this call) to {@code done}. */
  void makeDurable(Map<Long, Long> appliedByGroup, Consumer<Map<Long, Long>> done) {
    enqueue(() -> {
      kv.syncWal();
      done.accept(appliedByGroup);
    });
  }

  /** Deletes log entries below the floors of {@code truncations}. */
  void truncate(List<StoredLog.Truncation> truncations) {
    enqueue(() -> {
      try (KvBatch batch = log.newBatch()) {
        for (StoredLog.Truncation t : truncations) {
          t.addTo(batch);
        }
        log.write(batch, false);
      }
    });
  }

  private synchronized void enqueue(Runnable job) {
    if (!stopped) {
      jobs.add(job);
      notifyAll();
    }
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  private synchronized Runnable take() throws InterruptedException {
    while (jobs.isEmpty() && !stopped) {
      wait();
    }
    if (stopped && jobs.isEmpty()) {
      return null;
    }
    return jobs.poll();
  }

  @Override
  public void run() {
    try {
      Runnable job;
      while ((job = take()) != null) {
        try {
          job.run();
        } catch (RuntimeException e) {
          // The log merely keeps growing until a later truncation succeeds; nothing is lost.
          System.getLogger(LogTruncator.class.getName()).log(System.Logger.Level.ERROR, "log truncation failed", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
