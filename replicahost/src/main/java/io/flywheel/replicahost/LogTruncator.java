package io.flywheel.replicahost;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.Space;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts replication logs below what the item engine holds durably, off the workers' threads: making
 * the item engine durable can take tens of milliseconds, which a worker must not spend while
 * writes wait for it.
 *
 * <p>Workers {@link #offer} the applied index of each of their groups, as of writes that have
 * returned; the truncator then syncs the item engine (so those writes are durable) and only then
 * deletes log entries up to those indexes. One pending request at a time: offers made while it
 * works are merged (highest index per group wins).
 */
final class LogTruncator implements Runnable {
  private final KvEngine kv;
  private final KvEngine log;
  private Map<Long, Long> pending = new HashMap<>();
  private boolean working;
  private boolean stopped;
  /** Truncator thread only. */
  private final Map<Long, Long> truncatedThrough = new HashMap<>();

  LogTruncator(KvEngine kv, KvEngine log) {
    this.kv = kv;
    this.log = log;
  }

  synchronized void offer(Map<Long, Long> appliedByGroup) {
    appliedByGroup.forEach((group, index) -> pending.merge(group, index, Math::max));
    notifyAll();
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  private synchronized Map<Long, Long> take() throws InterruptedException {
    while (pending.isEmpty() && !stopped) {
      wait();
    }
    if (pending.isEmpty()) {
      return null;
    }
    Map<Long, Long> work = pending;
    pending = new HashMap<>();
    working = true;
    return work;
  }

  private synchronized void done() {
    working = false;
    notifyAll();
  }

  /** Waits until every offer so far has been carried out (for tests). */
  synchronized void awaitIdle() throws InterruptedException {
    while ((working || !pending.isEmpty()) && !stopped) {
      wait();
    }
  }

  @Override
  public void run() {
    try {
      Map<Long, Long> work;
      while ((work = take()) != null) {
        try {
          truncate(work);
        } finally {
          done();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The log merely keeps growing until a restart replays and retries; nothing is lost.
      System.getLogger(LogTruncator.class.getName()).log(System.Logger.Level.ERROR, "log truncation failed", e);
    }
  }

  private void truncate(Map<Long, Long> appliedByGroup) {
    kv.syncWal();
    try (KvBatch batch = log.newBatch()) {
      for (Map.Entry<Long, Long> e : appliedByGroup.entrySet()) {
        long group = e.getKey();
        long applied = e.getValue();
        if (applied > truncatedThrough.getOrDefault(group, 0L)) {
          batch.deleteRange(Space.DATA, LogKeys.entryKey(group, 0), LogKeys.entryKey(group, applied + 1));
          truncatedThrough.put(group, applied);
        }
      }
      if (batch.count() > 0) {
        log.write(batch, false); // losing a truncation only means replaying applied entries again
      }
    }
  }
}
