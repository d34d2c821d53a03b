package io.flywheel.replication;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Quorum arithmetic over a {@link Membership}, pure: the same function gives the commit index (over
 * match indexes), the lease (over acknowledged send times), CheckQuorum (over last-response times)
 * and election results (over votes). During a joint change a quorum needs a majority of the voters
 * of each configuration; learners never count.
 */
public final class QuorumTracker {
  private QuorumTracker() {}

  /** The outcome of a vote count. */
  public enum VoteResult {
    WON,
    LOST,
    PENDING
  }

  /**
   * The largest {@code v} such that a quorum of voters has a value of at least {@code v}: with match
   * indexes, the highest index a quorum stores. {@link Long#MAX_VALUE} if there are no voters.
   */
  public static long quorumValue(Membership membership, LongUnaryOperator valueOfNode) {
    long value = majorityValue(membership.members(), valueOfNode);
    if (membership.isJoint()) {
      value = Math.min(value, majorityValue(membership.outgoing(), valueOfNode));
    }
    return value;
  }

  static long majorityValue(List<Member> config, LongUnaryOperator valueOfNode) {
    int voters = Membership.voterCount(config);
    if (voters == 0) {
      return Long.MAX_VALUE;
    }
    long[] values = new long[voters];
    int n = 0;
    for (Member m : config) {
      if (m.kind().votes()) {
        values[n++] = valueOfNode.applyAsLong(m.nodeId());
      }
    }
    Arrays.sort(values);
    int quorum = voters / 2 + 1;
    return values[voters - quorum];
  }

  /** Won when a majority of each configuration granted; lost when a majority of either can no longer. */
  public static VoteResult tally(Membership membership, LongPredicate granted, LongPredicate rejected) {
    VoteResult in = tally(membership.members(), granted, rejected);
    if (!membership.isJoint()) {
      return in;
    }
    VoteResult out = tally(membership.outgoing(), granted, rejected);
    if (in == VoteResult.LOST || out == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    return in == VoteResult.WON && out == VoteResult.WON ? VoteResult.WON : VoteResult.PENDING;
  }

  private static VoteResult tally(List<Member> config, LongPredicate granted, LongPredicate rejected) {
    int voters = Membership.voterCount(config);
    if (voters == 0) {
      return VoteResult.WON;
    }
    int yes = 0;
    int no = 0;
    for (Member m : config) {
      if (m.kind().votes()) {
        if (granted.test(m.nodeId())) {
          yes++;
        } else if (rejected.test(m.nodeId())) {
          no++;
        }
      }
    }
    int quorum = voters / 2 + 1;
    if (yes >= quorum) {
      return VoteResult.WON;
    }
    return voters - no < quorum ? VoteResult.LOST : VoteResult.PENDING;
  }
}
