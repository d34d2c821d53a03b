package io.flywheel.replicahost;

import io.flywheel.base.Clock;
import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import java.util.concurrent.ThreadFactory;

/**
 * What a host takes from its surroundings: who it is, time, randomness, threads and the network
 * to its peers.
 *
 * @param nodeId this node's id in every group it hosts (positive)
 * @param clock the monotonic time of elections, heartbeats and leases
 * @param random election-timeout jitter
 */
public record HostEnvironment(long nodeId, Clock clock, RandomSource random, ThreadFactory threads, PeerNetwork network) {
  public HostEnvironment {
    Invariants.checkArgument(nodeId > 0, "node ids are positive");
    Invariants.checkNotNull(clock, "clock");
    Invariants.checkNotNull(random, "random");
    Invariants.checkNotNull(threads, "threads");
    Invariants.checkNotNull(network, "network");
  }

  /** A node of its own (node 1) whose groups have one member each: the embedded server. */
  public static HostEnvironment singleNode(Clock clock, RandomSource random, ThreadFactory threads) {
    return new HostEnvironment(1, clock, random, threads, PeerNetwork.NONE);
  }
}
