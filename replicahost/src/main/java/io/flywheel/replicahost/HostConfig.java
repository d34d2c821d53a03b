package io.flywheel.replicahost;

import io.flywheel.base.Invariants;
import io.flywheel.replication.Config;

/**
 * Tunables of the host runtime.
 *
 * @param workers worker threads; each owns a share of the groups and runs its own loop
 * @param queueCapacity bound of a worker's task queue (proposals and inbound messages); a full
 *     queue rejects new proposals and drops messages
 * @param maxBatchProposals proposals decided per loop (and so per fsync) at most
 * @param maxBatchBytes log bytes per loop at most (the loop ends early when reached)
 * @param logRetainEntries applied entries after which a worker makes the item engine durable and
 *     lets the log be truncated below what it applied
 * @param tickIntervalNanos how often groups with peers get the time (elections, heartbeats, leases)
 * @param heldProposalsMax proposals a group holds while its new leader is not serving yet, at most
 * @param holdProposalNanos how long such a proposal waits before it is refused
 * @param replication the consensus core's tunables
 */
public record HostConfig(
    int workers,
    int queueCapacity,
    int maxBatchProposals,
    long maxBatchBytes,
    long logRetainEntries,
    long tickIntervalNanos,
    int heldProposalsMax,
    long holdProposalNanos,
    Config replication) {
  public HostConfig {
    Invariants.checkArgument(workers >= 1, "workers >= 1");
    Invariants.checkArgument(queueCapacity >= 1, "queueCapacity >= 1");
    Invariants.checkArgument(maxBatchProposals >= 1, "maxBatchProposals >= 1");
    Invariants.checkArgument(maxBatchBytes >= 1, "maxBatchBytes >= 1");
    Invariants.checkArgument(logRetainEntries >= 1, "logRetainEntries >= 1");
    Invariants.checkArgument(tickIntervalNanos > 0, "tickIntervalNanos > 0");
    Invariants.checkArgument(tickIntervalNanos < replication.heartbeatIntervalNanos(), "ticks come more often than heartbeats");
    Invariants.checkArgument(heldProposalsMax >= 0, "heldProposalsMax >= 0");
    Invariants.checkArgument(holdProposalNanos >= 0, "holdProposalNanos >= 0");
  }

  /**
   * How often a quiet group ({@link io.flywheel.replication.Replica#isQuiet()}: an idle leader, or
   * a follower that knows its leader) is ticked: ten tick intervals, at most one heartbeat interval.
   * Idle groups are what a node hosts most of; ticking them at the busy rate was most of what they
   * cost.
   */
  public long quietTickIntervalNanos() {
    return Math.min(10 * tickIntervalNanos, replication.heartbeatIntervalNanos());
  }

  /** Proposals (item writes, transaction steps) are at most this large: a 4 MB transaction with its index entries fits. */
  public static final int PROPOSAL_BYTES_MAX = 16 << 20;

  public static HostConfig defaults(int workers) {
    return new HostConfig(workers, 16_384, 1_024, 16L << 20, 50_000, 10_000_000L, 1_024, 3_000_000_000L, replicationDefaults());
  }

  /** A copy with other limits (tests). */
  public HostConfig withLimits(int queueCapacity, int maxBatchProposals, long maxBatchBytes, long logRetainEntries) {
    return new HostConfig(workers, queueCapacity, maxBatchProposals, maxBatchBytes, logRetainEntries, tickIntervalNanos,
        heldProposalsMax, holdProposalNanos, replication);
  }

  /** The core's defaults, with room for the largest partition entry. */
  static Config replicationDefaults() {
    Config c = Config.defaults();
    return new Config(c.electionTimeoutNanos(), c.heartbeatIntervalNanos(), c.leaseDurationNanos(), c.clockDriftBoundNanos(),
        c.appendEntriesMax(), c.appendBytesMax(), c.inflightAppendsMax(), c.pendingProposalsMax(), c.pendingReadsMax(),
        PROPOSAL_BYTES_MAX, c.applyEntriesMax(), c.appendRetryNanos(), c.snapshotRetryNanos());
  }
}
