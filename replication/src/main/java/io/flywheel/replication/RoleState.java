package io.flywheel.replication;

/**
 * The role-specific state of a replica: a distinct type per role, dispatched with exhaustive
 * switches. Log-replica behaviour is not a role of its own but a kind ({@link MemberKind#LOG_VOTER})
 * that changes a leader's duties ({@link Leader#mustHandOff()}) and a follower's timeouts.
 */
sealed interface RoleState permits RoleState.Follower, RoleState.PreCandidate, RoleState.Candidate, Leader {
  Role role();

  /** Follows {@link Replica}'s known leader; holds nothing of its own (one shared instance). */
  final class Follower implements RoleState {
    static final Follower INSTANCE = new Follower();

    private Follower() {}

    @Override
    public Role role() {
      return Role.FOLLOWER;
    }
  }

  /** Collects pre-votes for {@code ballot + 1} without having changed any durable state. */
  final class PreCandidate implements RoleState {
    final VoteTally tally = new VoteTally();

    @Override
    public Role role() {
      return Role.PRE_CANDIDATE;
    }
  }

  /**
   * Collects votes in its ballot.
   *
   * @param transfer the campaign was started by a leader's {@link Message.TimeoutNow} (lease hand-off)
   * @param handOffServingFromNanos if it wins a transfer campaign, it may serve from this time on
   */
  final class Candidate implements RoleState {
    final VoteTally tally = new VoteTally();
    final boolean transfer;
    final long handOffServingFromNanos;

    Candidate(boolean transfer, long handOffServingFromNanos) {
      this.transfer = transfer;
      this.handOffServingFromNanos = handOffServingFromNanos;
    }

    @Override
    public Role role() {
      return Role.CANDIDATE;
    }
  }
}
