package io.flywheel.replication;

/**
 * Deliberate defects the core can be switched into, so that a simulator can prove its checkers
 * catch them (DESIGN.md §9: "a checker that cannot fail is itself a failing test"). Each is off
 * unless a {@link Config} names it ({@link Config#withPlantedBugs}); production code never does
 * (an architecture test holds main code to that). Each is consulted where the rule it breaks is
 * enforced, and nowhere else.
 */
public enum PlantedBug {
  /**
   * The leader counts its own entries as stored the moment it appends them, before the host
   * reports them fsynced ({@code Leader.maybeCommit}): an entry commits on fewer than a quorum of
   * durable logs, and a crash can lose it.
   */
  ACK_BEFORE_QUORUM_FSYNC,
  /**
   * A new leader serves without the previous lease having run out: voters grant (pre-)votes while
   * they still keep a lease promise to a leader ({@code Replica.onVoteRequest}), and the winner
   * does not wait out D + ε ({@code Replica.becomeLeader}). The design has these two independent
   * defences; the old and new leader can only serve at once when both are gone, so this one bug
   * removes both.
   */
  SERVE_BEFORE_OLD_LEASE_EXPIRES,
  /**
   * A log replica (LOG_VOTER) is handed committed entries to apply as if it kept a state machine
   * ({@code Replica.appliesSelf}).
   */
  LOG_REPLICA_APPLIES,
  /**
   * A voter answers a granted vote at once, before the hard state that records its ballot and vote
   * is durable ({@code Replica.answerVote}): a crash forgets the vote, and the voter may vote again
   * in the same ballot.
   */
  SKIP_VOTE_PERSISTENCE
}
