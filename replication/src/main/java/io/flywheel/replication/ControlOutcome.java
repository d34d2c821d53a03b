package io.flywheel.replication;

/** The immediate answer to {@link Replica#changeMembership} and {@link Replica#transferLeadership}. */
public enum ControlOutcome {
  /** Under way; its progress shows in later {@link Ready}s (membership, role changes). */
  ACCEPTED,
  /** This replica is not a leader that may do this; ask the leader. */
  NOT_LEADER,
  /** Another change or transfer is in progress, or the leader has not committed an entry of its ballot yet. */
  BUSY,
  /** The request itself is wrong (an unknown or non-full-voter target, a configuration without voters...). */
  INVALID
}
