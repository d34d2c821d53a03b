package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.replication.Entry;
import io.flywheel.replication.LogReader;
import java.util.List;

/**
 * One group's persisted log in the log engine, as the replication core reads it. Entries are read
 * from the engine on demand (the core keeps what it has not been told is persisted in memory).
 * Used on the group's worker thread (or the registering thread before that).
 *
 * <p>Truncation is logical first ({@link #truncateBelow}: the core never asks below its floor),
 * then physical, off the worker thread, together with the floor record that remembers the ballot
 * before the first entry.
 */
final class StoredLog implements LogReader {
  private final KvEngine log;
  private final long groupId;
  private long first;
  private long last;
  /** The ballot of the entry at {@code first - 1} (0 for index 0). */
  private long ballotBeforeFirst;
  private long lastBallot;

  private StoredLog(KvEngine log, long groupId) {
    this.log = log;
    this.groupId = groupId;
  }

  /** Reads the bounds of a group's log (checking that it has no holes is left to reads). */
  static StoredLog load(KvEngine log, long groupId) {
    StoredLog s = new StoredLog(log, groupId);
    byte[] floor = log.get(Space.DATA, LogKeys.entryKey(groupId, LogKeys.FLOOR));
    long floorIndex = 0;
    long floorBallot = 0;
    if (floor != null) {
      if (floor.length != 16) {
        throw new CorruptDataException("log floor record of group " + groupId + " is malformed");
      }
      floorIndex = Bytes.getLong(floor, 0);
      floorBallot = Bytes.getLong(floor, 8);
    }
    long firstFound = -1;
    try (KvIterator it = log.iterator(Space.DATA, LogKeys.entryKey(groupId, 0), LogKeys.entriesEnd(groupId), false)) {
      it.seekFirst();
      if (it.valid()) {
        firstFound = LogKeys.indexOf(it.key());
      }
    }
    long lastFound = -1;
    try (KvIterator it = log.iterator(Space.DATA, LogKeys.entryKey(groupId, 0), LogKeys.entriesEnd(groupId), true)) {
      it.seekFirst();
      if (it.valid()) {
        lastFound = LogKeys.indexOf(it.key());
      }
    }
    if (firstFound < 0) {
      s.first = floorIndex + 1;
      s.last = floorIndex;
      s.ballotBeforeFirst = floorBallot;
      s.lastBallot = floorBallot;
      return s;
    }
    s.first = firstFound;
    s.last = lastFound;
    if (firstFound - 1 == floorIndex) {
      s.ballotBeforeFirst = floorBallot;
    } else if (firstFound == 1) {
      s.ballotBeforeFirst = 0;
    } else {
      throw new CorruptDataException("log of group " + groupId + " starts at " + firstFound + " but its floor record says " + floorIndex);
    }
    s.lastBallot = s.entry(lastFound).ballot();
    return s;
  }

  @Override
  public long firstIndex() {
    return first;
  }

  @Override
  public long lastIndex() {
    return last;
  }

  @Override
  public long ballotAt(long index) {
    Invariants.checkArgument(index >= first - 1 && index <= last, "ballotAt " + index + " outside [" + (first - 1) + ", " + last + "]");
    if (index == last) {
      return lastBallot;
    }
    if (index == first - 1) {
      return ballotBeforeFirst;
    }
    return entry(index).ballot();
  }

  @Override
  public Entry entry(long index) {
    Invariants.checkArgument(index >= first && index <= last, "entry " + index + " outside [" + first + ", " + last + "]");
    return LogKeys.decodeEntry(groupId, index, log.get(Space.DATA, LogKeys.entryKey(groupId, index)));
  }

  /**
   * Adds {@code entries} (contiguous; they replace every stored entry from the first one's index on)
   * to {@code batch}. Call {@link #persisted} once the batch is durable.
   */
  void stage(List<Entry> entries, KvBatch batch) {
    if (entries.isEmpty()) {
      return;
    }
    long from = entries.get(0).index();
    Invariants.check(from >= first && from <= last + 1, "entries from " + from + " extend the log [" + first + ", " + last + "]");
    long newLast = entries.get(entries.size() - 1).index();
    if (newLast < last) {
      batch.deleteRange(Space.DATA, LogKeys.entryKey(groupId, newLast + 1), LogKeys.entryKey(groupId, last + 1));
    }
    for (Entry e : entries) {
      batch.put(Space.DATA, LogKeys.entryKey(groupId, e.index()), LogKeys.encodeEntry(e));
    }
  }

  /** The batch with {@code entries} (as staged) is durable. */
  void persisted(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Entry lastEntry = entries.get(entries.size() - 1);
    last = lastEntry.index();
    lastBallot = lastEntry.ballot();
  }

  /**
   * Entries below {@code floor} are no longer needed: from now on the log starts at {@code floor}.
   * Returns the physical truncation to carry out (off the worker), or null when nothing changes.
   */
  Truncation truncateBelow(long floor) {
    long newFirst = Math.min(floor, last + 1);
    if (newFirst <= first) {
      return null;
    }
    long ballot = ballotAt(newFirst - 1);
    first = newFirst;
    ballotBeforeFirst = ballot;
    return new Truncation(groupId, newFirst - 1, ballot);
  }

  /** Delete a group's entries up to {@code lastRemovedIndex} and record that entry's {@code ballot}. */
  record Truncation(long groupId, long lastRemovedIndex, long ballot) {
    void addTo(KvBatch batch) {
      batch.deleteRange(Space.DATA, LogKeys.entryKey(groupId, 0), LogKeys.entryKey(groupId, lastRemovedIndex + 1));
      batch.put(Space.DATA, LogKeys.entryKey(groupId, LogKeys.FLOOR), LogKeys.encodeFloor(lastRemovedIndex, ballot));
    }
  }
}
