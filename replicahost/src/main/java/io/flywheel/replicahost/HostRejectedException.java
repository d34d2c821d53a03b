package io.flywheel.replicahost;

import io.flywheel.replication.Replica;

/** A proposal the host did not accept or could not finish, with why. Roles map it to API errors. */
public final class HostRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a proposal was rejected. */
  public enum Reason {
    /** The worker's queue is full: back off and retry. */
    OVERLOADED,
    /** The group is not hosted here (never registered, or dropped). */
    NO_SUCH_GROUP,
    /** The group stopped after an internal failure (fail-stop); it needs repair. */
    GROUP_FAILED,
    /** The host is shutting down. */
    SHUTTING_DOWN,
    /** This replica does not lead its group (see {@link #leaderHint()}): nothing was decided. */
    NOT_LEADER,
    /**
     * Leadership changed while the proposal was in flight: it may or may not take effect (another
     * leader may commit its entry). A client must read before it assumes either.
     */
    OUTCOME_UNKNOWN
  }

  private final Reason reason;
  private final long leaderHint;

  public HostRejectedException(Reason reason, String message) {
    this(reason, message, Replica.NO_NODE);
  }

  public HostRejectedException(Reason reason, String message, long leaderHint) {
    super(message, null, false, false);
    this.reason = reason;
    this.leaderHint = leaderHint;
  }

  public Reason reason() {
    return reason;
  }

  /** The node this replica believes leads the group, or {@link Replica#NO_NODE}. */
  public long leaderHint() {
    return leaderHint;
  }
}
