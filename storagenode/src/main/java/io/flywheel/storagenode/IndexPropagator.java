package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.Clock;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.storagenode.PartitionEntry.GsiUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Delivers global-index updates from partitions' outboxes to the indexes' partitions, in outbox
 * order per partition, then deletes them from the outbox: global indexes are eventually
 * consistent with their table (paper section 3; DESIGN.md section 3).
 *
 * <p>Delivery is at least once (an outbox record deleted by a batch that a crash loses is sent
 * again) and index partitions apply each source's sequence at most once, so every update lands
 * exactly once. One thread; a failed delivery is retried after {@link #RETRY_DELAY_MILLIS}, the
 * partition's later records wait, and other partitions' records are delivered meanwhile.
 */
final class IndexPropagator implements Runnable {
  /** Pause before retrying a delivery that failed (the index partition moved, its node was busy). */
  static final long RETRY_DELAY_MILLIS = 100;
  /** How long one delivery may take before it counts as failed. */
  static final long DELIVERY_TIMEOUT_MILLIS = 10_000;

  private static final System.Logger LOG = System.getLogger(IndexPropagator.class.getName());

  private final KvEngine kv;
  private final IndexLocator locator;
  private final LongFunction<PartitionReplica> replicas;
  private final Clock clock;
  /** Partitions whose outbox may hold records, with a count of signals that bumps on every signal. */
  private final Map<Long, Long> dirty = new LinkedHashMap<>();
  /** Partitions whose last delivery failed, with when ({@link Clock#monotonicNanos}) to try them again. */
  private final Map<Long, Long> retryAtNanos = new HashMap<>();
  private boolean stopped;
  private long delivered;

  IndexPropagator(KvEngine kv, IndexLocator locator, LongFunction<PartitionReplica> replicas, Clock clock) {
    this.kv = kv;
    this.locator = locator;
    this.replicas = replicas;
    this.clock = clock;
  }

  /** The outbox of {@code groupId} has new records. */
  synchronized void signal(long groupId) {
    dirty.merge(groupId, 1L, Long::sum); // a signal during a drain keeps the partition dirty
    notifyAll();
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  /** Waits until every outbox signalled so far is empty (for tests). */
  synchronized void awaitIdle() throws InterruptedException {
    while (!dirty.isEmpty() && !stopped) {
      wait();
    }
  }

  synchronized long deliveredCount() {
    return delivered;
  }

  @Override
  public void run() {
    try {
      while (true) {
        long groupId;
        long signals;
        synchronized (this) {
          Map.Entry<Long, Long> next;
          while ((next = nextDue()) == null && !stopped) {
            waitForSignalOrRetry();
          }
          if (stopped) {
            return;
          }
          groupId = next.getKey();
          signals = next.getValue();
        }
        boolean drained;
        try {
          drained = drain(groupId);
        } catch (RuntimeException e) {
          // the locator, the engine or a record failed: retry like a failed delivery, never end the thread
          LOG.log(System.Logger.Level.WARNING, "index propagation of group " + groupId + " failed, will retry", e);
          drained = false;
        }
        synchronized (this) {
          if (drained) {
            retryAtNanos.remove(groupId);
            // records signalled while draining may have been missed by its iterator: drain again
            dirty.remove(groupId, signals);
            notifyAll();
          } else {
            // the partition's next record waits for this one; other partitions go on meanwhile
            retryAtNanos.put(groupId, clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MILLIS));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first dirty partition that is not waiting to retry a failed delivery, or null. */
  private Map.Entry<Long, Long> nextDue() {
    long now = clock.monotonicNanos();
    for (Map.Entry<Long, Long> e : dirty.entrySet()) {
      Long retryAt = retryAtNanos.get(e.getKey());
      if (retryAt == null || retryAt - now <= 0) {
        return e;
      }
    }
    return null;
  }

  private void waitForSignalOrRetry() throws InterruptedException {
    if (dirty.isEmpty()) {
      wait();
      return;
    }
    long now = clock.monotonicNanos();
    long soonest = Long.MAX_VALUE;
    for (long groupId : dirty.keySet()) {
      soonest = Math.min(soonest, retryAtNanos.get(groupId) - now); // every dirty partition is waiting to retry
    }
    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(soonest) + 1));
  }

  /**
   * Delivers the outbox of one partition in order, on the caller's thread (the propagator's own,
   * or a test's); false when a delivery failed (retry later).
   */
  boolean drain(long groupId) {
    PartitionReplica replica = replicas.apply(groupId);
    byte[] from = StateKeys.tagged(StateKeys.OUTBOX, groupId);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    try (KvIterator it = kv.iterator(Space.STATE, from, StateKeys.groupEnd(StateKeys.OUTBOX, groupId), false)) {
      for (it.seekFirst(); it.valid() && keys.size() < 256; it.next()) {
        keys.add(it.key());
        records.add(it.value());
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      if (replica != null && !deliver(groupId, StateKeys.second(keys.get(i)), records.get(i), replica.schema().tableName())) {
        return false;
      }
      try (KvBatch batch = kv.newBatch()) {
        batch.delete(Space.STATE, keys.get(i));
        kv.write(batch, false); // if a crash loses this, the record is delivered again: harmless
      }
      synchronized (this) {
        delivered++;
      }
    }
    if (keys.size() == 256) {
      return drain(groupId);
    }
    return true;
  }

  private boolean deliver(long groupId, long sequence, byte[] record, String tableName) {
    List<GsiUpdate> updates = PartitionEntry.readGsiUpdates(new ByteReader(record));
    Map<PartitionRef, IndexLocator.Target> targets = new LinkedHashMap<>();
    Map<PartitionRef, List<IndexMutations.Mutation>> byPartition = new LinkedHashMap<>();
    for (GsiUpdate u : updates) {
      IndexLocator.Target target = locator.locate(tableName, u.indexId(), u.hash());
      if (target == null) {
        continue; // the index was deleted: nothing to maintain
      }
      targets.put(target.partition(), target);
      byPartition.computeIfAbsent(target.partition(), p -> new ArrayList<>()).add(new IndexMutations.Mutation(u.key(), u.image()));
    }
    IndexLocator.Target current = null;
    try {
      for (Map.Entry<PartitionRef, List<IndexMutations.Mutation>> e : byPartition.entrySet()) {
        current = targets.get(e.getKey());
        current.node().applyIndexMutations(e.getKey(), new IndexMutations(groupId, sequence, e.getValue()))
            .get(DELIVERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      locator.failed(current, e);
      boolean moved = e.getCause() instanceof io.flywheel.protocol.RoutingException; // a leader moved: expected, retried
      LOG.log(moved ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "index delivery from group " + groupId + " sequence " + sequence + " failed, will retry", e);
      return false;
    }
  }
}
