package io.flywheel.replication;

/**
 * Why a proposal or a read was not taken, as a type the host reacts to (redirect, back off, report
 * an unknown outcome), never a string to parse.
 */
public sealed interface Rejection {
  /** What was rejected. */
  enum RequestKind {
    PROPOSAL,
    READ
  }

  RequestKind kind();

  /** The proposal id returned by {@link Replica#propose} or the read id passed to {@link Replica#read}. */
  long requestId();

  /** This replica does not lead (or is handing leadership over); {@code leaderHint} may, or is {@link Replica#NO_NODE}. */
  record NotLeader(RequestKind kind, long requestId, long leaderHint) implements Rejection {}

  /** This replica leads but holds no lease now (it lapsed, or the leader could not renew it): retry. */
  record NoLease(RequestKind kind, long requestId) implements Rejection {}

  /** A bound is full (pending proposals or reads): back off and retry. */
  record Overloaded(RequestKind kind, long requestId) implements Rejection {}

  /** A proposal that will not be acknowledged by this replica. */
  record ProposalDropped(long requestId, DropReason reason) implements Rejection {
    @Override
    public RequestKind kind() {
      return RequestKind.PROPOSAL;
    }
  }

  /** Why a proposal was dropped. */
  enum DropReason {
    /** Larger than {@link Config#proposalBytesMax()}; never appended. */
    TOO_LARGE,
    /**
     * The leader appended it, then lost leadership before it committed. Its outcome is
     * <em>unknown</em>: a later leader may still commit it. The host must report it as such, never
     * as failed.
     */
    LEADERSHIP_LOST
  }
}
