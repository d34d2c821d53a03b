package io.flywheel.replication;

import io.flywheel.base.Invariants;

/**
 * What a replica must persist before anything it says can depend on it: its ballot, its vote in
 * that ballot and its commit index, plus the latest membership at or below the commit index (so a
 * restart knows its configuration even when the entry that carried it was garbage-collected).
 *
 * @param ballot the highest ballot this replica has seen
 * @param votedFor the node it voted for in {@code ballot}, or {@link Replica#NO_NODE}
 * @param commitIndex the highest index it knows committed
 * @param membership the latest configuration at an index at or below {@code commitIndex}
 * @param membershipIndex the index of the entry (or snapshot) that carried {@code membership}
 */
public record HardState(long ballot, long votedFor, long commitIndex, Membership membership, long membershipIndex) {
  public HardState {
    Invariants.checkArgument(ballot >= 0, "ballot >= 0");
    Invariants.checkArgument(votedFor >= 0, "votedFor >= 0");
    Invariants.checkArgument(commitIndex >= 0, "commitIndex >= 0");
    Invariants.checkNotNull(membership, "membership");
    Invariants.checkArgument(membershipIndex >= 0 && membershipIndex <= commitIndex,
        "0 <= membershipIndex <= commitIndex");
  }

  /** The state every replica of a new group starts from. */
  public static HardState bootstrap(Membership membership) {
    return new HardState(0, Replica.NO_NODE, 0, membership, 0);
  }

  /** The state of a replica added to an existing group: it learns the membership from the leader. */
  public static HardState joining() {
    return bootstrap(Membership.EMPTY);
  }
}
