package io.flywheel.simulator;

import io.flywheel.replication.Entry;
import io.flywheel.replication.HardState;
import io.flywheel.replication.MemoryLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's replication log and hard state with a disk's crash semantics: a write is visible to
 * the process at once (the page cache) but durable only once {@link #sync()} ran (the fsync); a
 * {@link #crash()} drops every write not yet synced. Garbage collection below a floor and
 * snapshot installs are durable when they happen (they only drop entries the group no longer needs).
 */
final class SimDisk {
  private record Write(HardState hardState, List<Entry> entries) {}

  private MemoryLog visible = new MemoryLog();
  private final MemoryLog durable = new MemoryLog();
  private HardState visibleHard;
  private HardState durableHard;
  /** Writes since the last sync, oldest first; at most one Ready's worth in this simulator. */
  private final ArrayList<Write> unsynced = new ArrayList<>(2);

  SimDisk(HardState initial) {
    this.visibleHard = initial;
    this.durableHard = initial;
  }

  /** What the running process reads (what it wrote, synced or not). */
  MemoryLog visibleLog() {
    return visible;
  }

  MemoryLog durableLog() {
    return durable;
  }

  HardState visibleHardState() {
    return visibleHard;
  }

  HardState durableHardState() {
    return durableHard;
  }

  void write(HardState hard, List<Entry> entries) {
    if (hard != null) {
      visibleHard = hard;
    }
    visible.write(entries);
    unsynced.add(new Write(hard, entries));
  }

  boolean hasUnsynced() {
    return !unsynced.isEmpty();
  }

  /** The fsync: every write so far becomes durable, in order. */
  void sync() {
    for (Write w : unsynced) {
      if (w.hardState() != null) {
        durableHard = w.hardState();
      }
      durable.write(w.entries());
    }
    unsynced.clear();
  }

  /** Power loss: what was not synced is gone; the process will restart from the durable state. */
  void crash() {
    unsynced.clear();
    visible = durable.copy();
    visibleHard = durableHard;
  }

  void compact(long floor) {
    visible.compact(floor);
    durable.compact(Math.min(floor, durable.lastIndex() + 1));
  }

  /** Installs a snapshot at {@code index}: both copies start after it, durably, and the hard state commits it. */
  void installSnapshot(long index, long ballot, HardState hard) {
    visible.resetToSnapshot(index, ballot);
    durable.resetToSnapshot(index, ballot);
    visibleHard = hard;
    durableHard = hard;
  }

  /** Whether the durable log holds entry {@code index} with this checksum, or has collected past it. */
  boolean durablyHolds(long index, long ballot, int checksum) {
    if (index < durable.firstIndex()) {
      return true;
    }
    if (index > durable.lastIndex()) {
      return false;
    }
    Entry e = durable.entry(index);
    return e.ballot() == ballot && e.checksum() == checksum;
  }
}
