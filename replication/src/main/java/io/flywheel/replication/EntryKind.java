package io.flywheel.replication;

import io.flywheel.base.CorruptDataException;

/** What a log entry carries. Every kind takes an index; hosts apply only {@link #COMMAND}s. */
public enum EntryKind {
  /** Appended by every new leader: committing it commits everything before it (earlier ballots). */
  NOOP(0),
  /** A command proposed by the host (for Flywheel: the resulting item images, never an expression). */
  COMMAND(1),
  /** A {@link Membership}, in force from the moment it is appended. */
  CONFIG(2);

  final int code;

  EntryKind(int code) {
    this.code = code;
  }

  /** The kind's stable code in stored and sent bytes. */
  public int code() {
    return code;
  }

  /** The kind of {@code code}; an unknown code is corruption. */
  public static EntryKind ofCode(int code) {
    return switch (code) {
      case 0 -> NOOP;
      case 1 -> COMMAND;
      case 2 -> CONFIG;
      default -> throw new CorruptDataException("unknown entry kind " + code);
    };
  }
}
