package io.flywheel.replication;

/** A replica's role in its current ballot, as reported in {@link Ready#roleChange()}. */
public enum Role {
  /** Follows the leader it last heard from in its ballot (or none yet). */
  FOLLOWER,
  /** Asks voters whether they would vote for it, without changing any ballot (PreVote). */
  PRE_CANDIDATE,
  /** Campaigns in a new ballot it has voted for itself in. */
  CANDIDATE,
  /** Won its ballot: replicates, commits, and serves while it holds the lease. */
  LEADER
}
