package io.flywheel.replication;

import io.flywheel.base.Invariants;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogReader} kept in memory, with the writes a host performs on its log: replace a suffix,
 * garbage-collect a prefix, restart after a snapshot. For tests and simulators; it has no crash
 * semantics of its own (a simulator that loses unsynced writes keeps a durable copy next to it).
 * Not thread-safe.
 */
public final class MemoryLog implements LogReader {
  /** Entries before {@code entries.get(0)} are gone; this is the index and ballot they end at. */
  private long startIndex;
  private long startBallot;
  private final ArrayList<Entry> entries = new ArrayList<>();

  @Override
  public long firstIndex() {
    return startIndex + 1;
  }

  @Override
  public long lastIndex() {
    return startIndex + entries.size();
  }

  @Override
  public long ballotAt(long index) {
    Invariants.checkArgument(index >= startIndex && index <= lastIndex(),
        "ballotAt(" + index + ") outside [" + startIndex + ", " + lastIndex() + "]");
    return index == startIndex ? startBallot : entries.get((int) (index - startIndex - 1)).ballot();
  }

  @Override
  public Entry entry(long index) {
    Invariants.checkArgument(index > startIndex && index <= lastIndex(),
        "entry(" + index + ") outside [" + firstIndex() + ", " + lastIndex() + "]");
    return entries.get((int) (index - startIndex - 1));
  }

  /**
   * Replaces the stored entries from {@code batch.get(0).index()} on with {@code batch}, as a host
   * does with {@link Ready#entries()}. Does not verify checksums (tests store corrupt entries
   * through it); the core verifies them when it reads.
   */
  public void write(List<Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long first = batch.get(0).index();
    Invariants.checkArgument(first > startIndex && first <= lastIndex() + 1,
        "write at " + first + " leaves a hole or rewrites below the start " + startIndex);
    while (lastIndex() >= first) {
      entries.remove(entries.size() - 1);
    }
    for (Entry e : batch) {
      Invariants.checkArgument(e.index() == lastIndex() + 1, "entries of a write are contiguous");
      entries.add(e);
    }
  }

  /** Drops every entry below {@code floor} (garbage collection below a {@link Ready#logFloor()}). */
  public void compact(long floor) {
    long upTo = Math.min(floor - 1, lastIndex());
    if (upTo <= startIndex) {
      return;
    }
    startBallot = ballotAt(upTo);
    entries.subList(0, (int) (upTo - startIndex)).clear();
    startIndex = upTo;
  }

  /** Empties the log so that it starts after a snapshot at {@code index} with {@code ballot}. */
  public void resetToSnapshot(long index, long ballot) {
    entries.clear();
    startIndex = index;
    startBallot = ballot;
  }

  /** A copy that shares the (immutable) entries. */
  public MemoryLog copy() {
    MemoryLog c = new MemoryLog();
    c.startIndex = startIndex;
    c.startBallot = startBallot;
    c.entries.addAll(entries);
    return c;
  }

  /** The stored entries, oldest first. */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
