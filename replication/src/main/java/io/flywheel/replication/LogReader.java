package io.flywheel.replication;

/**
 * Read-only access to the entries the host has persisted for one replica. The core reads persisted
 * entries only through this and keeps entries not yet reported persisted in memory.
 *
 * <p>The host keeps this view consistent with what it persisted: after carrying out a {@link Ready}
 * (which replaces stored entries from the first entry's index on), after garbage collection below
 * a {@link Ready#logFloor()}, and after {@link Replica#snapshotInstalled}. The core verifies the
 * checksum of every entry it reads.
 */
public interface LogReader {
  /**
   * The index of the first stored entry. Entries below it were garbage-collected or replaced by a
   * snapshot; {@code ballotAt(firstIndex() - 1)} still answers. {@code lastIndex() + 1} when empty.
   */
  long firstIndex();

  /** The index of the last stored entry; {@code firstIndex() - 1} when none is stored. */
  long lastIndex();

  /**
   * The ballot of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}
   * (at {@code firstIndex() - 1}: the ballot of the entry or snapshot the log starts after; 0 for
   * index 0).
   */
  long ballotAt(long index);

  /** The stored entry at {@code index}, for {@code firstIndex() <= index <= lastIndex()}. */
  Entry entry(long index);
}
