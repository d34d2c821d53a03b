package io.flywheel.replication;

import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's log: the host's persisted entries (through a {@link LogReader}) below {@code offset},
 * and entries not yet reported persisted in memory from {@code offset} on. Stored entries at or
 * above {@code offset} are ignored: they are being replaced.
 *
 * <p>Three marks: {@code handedIndex} (entries up to it were given to the host to persist), {@code
 * durableIndex} (entries up to it are known durable and still part of this log) and {@code
 * offset - 1} (entries up to it are read from the host).
 */
final class LogView {
  /** A ballot not known: the index is beyond the log or was garbage-collected. */
  static final long UNKNOWN = -1;

  private final LogReader stored;
  /** Null when empty: an idle replica holds no list. */
  private ArrayList<Entry> unstable;
  private long offset;
  private long handedIndex;
  private long durableIndex;

  LogView(LogReader stored) {
    this.stored = stored;
    long last = stored.lastIndex();
    Invariants.check(last >= stored.firstIndex() - 1, "stored log ends before it starts");
    this.offset = last + 1;
    this.handedIndex = last;
    this.durableIndex = last;
  }

  long firstIndex() {
    return stored.firstIndex();
  }

  long lastIndex() {
    return unstable == null ? offset - 1 : offset + unstable.size() - 1;
  }

  long durableIndex() {
    return durableIndex;
  }

  long lastBallot() {
    long b = ballotAt(lastIndex());
    Invariants.check(b != UNKNOWN, "the ballot of the last entry is known");
    return b;
  }

  /** The ballot at {@code index}, or {@link #UNKNOWN} when beyond the log or garbage-collected. */
  long ballotAt(long index) {
    if (index == 0) {
      return 0;
    }
    if (index >= offset) {
      return index > lastIndex() ? UNKNOWN : unstable.get((int) (index - offset)).ballot();
    }
    if (index < stored.firstIndex() - 1 || index < 0) {
      return UNKNOWN;
    }
    Invariants.check(index <= stored.lastIndex(), "persisted entry " + index + " is missing from the stored log");
    return stored.ballotAt(index);
  }

  boolean matches(long index, long ballot) {
    return ballotAt(index) == ballot;
  }

  /** The entry at {@code index}; a stored one is checked against its checksum and its position. */
  Entry entry(long index) {
    if (index >= offset) {
      Invariants.check(index <= lastIndex(), "entry " + index + " beyond the last " + lastIndex());
      return unstable.get((int) (index - offset));
    }
    Invariants.check(index >= stored.firstIndex(), "entry " + index + " was garbage-collected");
    Entry e = stored.entry(index);
    if (e == null || e.index() != index) {
      throw new CorruptDataException("the stored log returned " + e + " for index " + index);
    }
    return e.verified();
  }

  /** Entries from {@code lo} to at most {@code hi}, at most {@code countMax} and {@code bytesMax} (one always fits). */
  List<Entry> slice(long lo, long hi, int countMax, long bytesMax) {
    if (lo > hi) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>((int) Math.min(countMax, hi - lo + 1));
    long bytes = 0;
    for (long i = lo; i <= hi && out.size() < countMax; i++) {
      Entry e = entry(i);
      if (!out.isEmpty() && bytes + e.payload().length > bytesMax) {
        break;
      }
      bytes += e.payload().length;
      out.add(e);
    }
    return out;
  }

  /** A leader's own new entry. */
  void append(Entry e) {
    Invariants.check(e.index() == lastIndex() + 1, "appended entries are contiguous");
    if (unstable == null) {
      unstable = new ArrayList<>(4);
    }
    unstable.add(e);
  }

  /**
   * Removes every entry from {@code from} on (a conflicting suffix; the caller has checked it is
   * uncommitted). Stored entries from there on become stale until the host replaces them.
   */
  void truncateFrom(long from) {
    Invariants.check(from >= 1 && from <= lastIndex(), "truncation inside the log");
    if (from >= offset) {
      unstable.subList((int) (from - offset), unstable.size()).clear();
    } else {
      unstable = null;
      offset = from;
    }
    if (unstable != null && unstable.isEmpty()) {
      unstable = null;
    }
    handedIndex = Math.min(handedIndex, from - 1);
    durableIndex = Math.min(durableIndex, from - 1);
  }

  /** Entries not yet handed to the host; they are handed now. */
  List<Entry> takeUnhanded() {
    long last = lastIndex();
    if (handedIndex >= last) {
      return List.of();
    }
    long from = handedIndex + 1;
    Invariants.check(from >= offset, "unhanded entries are in memory");
    List<Entry> out = List.copyOf(unstable.subList((int) (from - offset), unstable.size()));
    handedIndex = last;
    return out;
  }

  boolean hasUnhanded() {
    return handedIndex < lastIndex();
  }

  /** The host reports entries up to {@code index} (whose ballot it wrote as {@code ballot}) durable. */
  void persisted(long index, long ballot) {
    if (index > handedIndex || index < offset || ballotAt(index) != ballot) {
      return; // stale: that write was superseded by a truncation, or was already reported
    }
    int drop = (int) (index - offset + 1);
    if (drop == unstable.size()) {
      unstable = null;
    } else {
      unstable.subList(0, drop).clear();
    }
    offset = index + 1;
    durableIndex = Math.max(durableIndex, index);
    Invariants.check(stored.lastIndex() >= index, "the stored log holds what was reported persisted");
  }

  /** The host replaced the log with a snapshot at {@code index}: nothing is left in memory. */
  void resetToSnapshot(long index, long ballot) {
    Invariants.check(stored.firstIndex() == index + 1 && stored.lastIndex() == index,
        "after a snapshot install the stored log starts right after the snapshot");
    Invariants.check(stored.ballotAt(index) == ballot, "the stored log records the snapshot's ballot");
    unstable = null;
    offset = index + 1;
    handedIndex = index;
    durableIndex = index;
  }
}
