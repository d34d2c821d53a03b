package io.flywheel.replicahost;

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
    SHUTTING_DOWN
  }

  private final Reason reason;

  public HostRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
