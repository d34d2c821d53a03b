package io.flywheel.replication;

import java.util.Arrays;

/** The votes (or pre-votes) one campaign has received, by node, each node counted once. */
final class VoteTally {
  private long[] granted = new long[3];
  private int grantedCount;
  private long[] rejected = new long[3];
  private int rejectedCount;

  void record(long node, boolean grant) {
    if (contains(granted, grantedCount, node) || contains(rejected, rejectedCount, node)) {
      return;
    }
    if (grant) {
      if (grantedCount == granted.length) {
        granted = Arrays.copyOf(granted, grantedCount * 2);
      }
      granted[grantedCount++] = node;
    } else {
      if (rejectedCount == rejected.length) {
        rejected = Arrays.copyOf(rejected, rejectedCount * 2);
      }
      rejected[rejectedCount++] = node;
    }
  }

  QuorumTracker.VoteResult result(Membership membership) {
    return QuorumTracker.tally(membership,
        node -> contains(granted, grantedCount, node),
        node -> contains(rejected, rejectedCount, node));
  }

  private static boolean contains(long[] a, int n, long node) {
    for (int i = 0; i < n; i++) {
      if (a[i] == node) {
        return true;
      }
    }
    return false;
  }
}
