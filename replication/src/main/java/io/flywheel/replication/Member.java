package io.flywheel.replication;

import io.flywheel.base.Invariants;

/** One replica of a group: the node that hosts it and its kind. */
public record Member(long nodeId, MemberKind kind) {
  public Member {
    Invariants.checkArgument(nodeId > 0, "node ids are positive (0 means no node)");
    Invariants.checkNotNull(kind, "kind");
  }

  public static Member fullVoter(long nodeId) {
    return new Member(nodeId, MemberKind.FULL_VOTER);
  }

  public static Member logVoter(long nodeId) {
    return new Member(nodeId, MemberKind.LOG_VOTER);
  }

  public static Member learner(long nodeId) {
    return new Member(nodeId, MemberKind.LEARNER);
  }
}
