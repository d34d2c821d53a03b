package io.flywheel.replication;

import io.flywheel.base.Invariants;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every tunable of the replication core, with units in the names. One instance is shared by all
 * replicas of a host; it holds no per-group state.
 *
 * <p>Time relations the lease argument relies on (checked here): a voter's promise lasts from its
 * last message from the leader for {@code electionTimeoutNanos}, which must cover the lease
 * duration {@code D}; the drift bound {@code ε} must be smaller than {@code D}; heartbeats must come
 * more often than {@code D - ε} or the lease lapses between them.
 *
 * @param electionTimeoutNanos a follower that hears no leader for a random time in [T, 2T)
 *     campaigns (a log replica waits [2T, 3T)); a leader that hears from no quorum for T steps down
 *     (CheckQuorum); a voter that heard its leader within T refuses (pre-)votes for anyone else
 * @param heartbeatIntervalNanos how often a leader sends heartbeats (they renew its lease)
 * @param leaseDurationNanos {@code D}: how long a voter's acknowledgement promises not to vote for
 *     another candidate; the leader's lease is the send time of the last quorum-acknowledged request
 *     plus {@code D - ε}
 * @param clockDriftBoundNanos {@code ε}: the most two replicas' clocks can drift apart over one
 *     lease duration
 * @param appendEntriesMax entries in one append message at most
 * @param appendBytesMax payload bytes in one append message at most (one entry always fits)
 * @param inflightAppendsMax append messages sent to one follower and not yet acknowledged, at most
 * @param pendingProposalsMax proposals appended by a leader and not yet committed, at most; more
 *     are rejected as {@link Rejection.Overloaded}
 * @param pendingReadsMax reads a new leader holds until it may serve, at most; more are rejected
 * @param proposalBytesMax the largest command a proposal may carry
 * @param applyEntriesMax committed entries handed out in one {@link Ready} at most
 * @param appendRetryNanos an append or probe unanswered this long is sent again
 * @param snapshotRetryNanos an install-snapshot instruction unanswered this long is sent again
 * @param plantedBugs deliberate defects for simulators to catch ({@link PlantedBug}); empty in
 *     production, where nothing but tests and the simulator may name one
 */
public record Config(
    long electionTimeoutNanos,
    long heartbeatIntervalNanos,
    long leaseDurationNanos,
    long clockDriftBoundNanos,
    int appendEntriesMax,
    int appendBytesMax,
    int inflightAppendsMax,
    int pendingProposalsMax,
    int pendingReadsMax,
    int proposalBytesMax,
    int applyEntriesMax,
    long appendRetryNanos,
    long snapshotRetryNanos,
    Set<PlantedBug> plantedBugs) {

  private static final long MILLIS = 1_000_000L;

  public Config {
    Invariants.checkNotNull(plantedBugs, "plantedBugs");
    plantedBugs = plantedBugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(plantedBugs));
    Invariants.checkArgument(electionTimeoutNanos > 0, "electionTimeoutNanos > 0");
    Invariants.checkArgument(electionTimeoutNanos <= Long.MAX_VALUE / 4, "electionTimeoutNanos is absurdly large");
    Invariants.checkArgument(leaseDurationNanos > 0, "leaseDurationNanos > 0");
    Invariants.checkArgument(leaseDurationNanos <= electionTimeoutNanos,
        "leaseDurationNanos <= electionTimeoutNanos (a voter's promise lasts one election timeout)");
    Invariants.checkArgument(clockDriftBoundNanos >= 0, "clockDriftBoundNanos >= 0");
    Invariants.checkArgument(clockDriftBoundNanos < leaseDurationNanos, "clockDriftBoundNanos < leaseDurationNanos");
    Invariants.checkArgument(heartbeatIntervalNanos > 0, "heartbeatIntervalNanos > 0");
    Invariants.checkArgument(heartbeatIntervalNanos < leaseDurationNanos - clockDriftBoundNanos,
        "heartbeatIntervalNanos < leaseDurationNanos - clockDriftBoundNanos (or the lease lapses between heartbeats)");
    Invariants.checkArgument(appendEntriesMax >= 1, "appendEntriesMax >= 1");
    Invariants.checkArgument(appendBytesMax >= 1, "appendBytesMax >= 1");
    Invariants.checkArgument(inflightAppendsMax >= 1, "inflightAppendsMax >= 1");
    Invariants.checkArgument(pendingProposalsMax >= 1, "pendingProposalsMax >= 1");
    Invariants.checkArgument(pendingReadsMax >= 1, "pendingReadsMax >= 1");
    Invariants.checkArgument(proposalBytesMax >= 0, "proposalBytesMax >= 0");
    Invariants.checkArgument(applyEntriesMax >= 1, "applyEntriesMax >= 1");
    Invariants.checkArgument(appendRetryNanos > 0, "appendRetryNanos > 0");
    Invariants.checkArgument(snapshotRetryNanos > 0, "snapshotRetryNanos > 0");
  }

  /** Every tunable, with no planted bug (what every host uses). */
  public Config(long electionTimeoutNanos, long heartbeatIntervalNanos, long leaseDurationNanos,
      long clockDriftBoundNanos, int appendEntriesMax, int appendBytesMax, int inflightAppendsMax,
      int pendingProposalsMax, int pendingReadsMax, int proposalBytesMax, int applyEntriesMax, long appendRetryNanos,
      long snapshotRetryNanos) {
    this(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos, appendEntriesMax,
        appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax, proposalBytesMax, applyEntriesMax,
        appendRetryNanos, snapshotRetryNanos, Set.of());
  }

  /** Whether {@code bug} is switched on (never, outside tests and the simulator). */
  /**
   * How often an idle leader heartbeats (nothing in flight, every follower up to date): every
   * {@code min(4 heartbeat intervals, (D - ε) / 2, T / 2)}, never less often than that nor more
   * often than {@link #heartbeatIntervalNanos()}. Half the effective lease, so one lost heartbeat
   * never lets the lease lapse; half the election timeout, so a follower hears its leader at least
   * twice before it may campaign. Heartbeats are what an idle group costs (issue 5's 5,000 idle
   * groups), so an idle group sends a quarter of them.
   */
  public long idleHeartbeatIntervalNanos() {
    long bound = Math.min(4 * heartbeatIntervalNanos, Math.min((leaseDurationNanos - clockDriftBoundNanos) / 2, electionTimeoutNanos / 2));
    return Math.max(heartbeatIntervalNanos, bound);
  }

  public boolean planted(PlantedBug bug) {
    return !plantedBugs.isEmpty() && plantedBugs.contains(bug);
  }

  /** A copy with exactly these planted bugs (for simulators and tests only). */
  public Config withPlantedBugs(Set<PlantedBug> bugs) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax, proposalBytesMax,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, bugs);
  }

  /**
   * Defaults for a cluster in one region: 1 s election timeout, 100 ms heartbeats, a 900 ms lease
   * shortened by a 50 ms drift bound, DynamoDB-sized entries (an item is at most 400 KB).
   */
  public static Config defaults() {
    return new Config(
        1_000 * MILLIS,
        100 * MILLIS,
        900 * MILLIS,
        50 * MILLIS,
        64,
        1 << 20,
        8,
        1_024,
        1_024,
        1 << 20,
        256,
        500 * MILLIS,
        5_000 * MILLIS);
  }

  public Config withElectionTimeoutNanos(long v) {
    return new Config(v, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos, appendEntriesMax,
        appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax, proposalBytesMax,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }

  public Config withLease(long leaseNanos, long driftBoundNanos) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseNanos, driftBoundNanos, appendEntriesMax,
        appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax, proposalBytesMax,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }

  public Config withAppendBounds(int entriesMax, int bytesMax, int inflightMax) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos,
        entriesMax, bytesMax, inflightMax, pendingProposalsMax, pendingReadsMax, proposalBytesMax,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }

  public Config withPendingBounds(int proposalsMax, int readsMax) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, proposalsMax, readsMax, proposalBytesMax,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }

  public Config withProposalBytesMax(int v) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax, v,
        applyEntriesMax, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }

  public Config withApplyEntriesMax(int v) {
    return new Config(electionTimeoutNanos, heartbeatIntervalNanos, leaseDurationNanos, clockDriftBoundNanos,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, pendingProposalsMax, pendingReadsMax,
        proposalBytesMax, v, appendRetryNanos, snapshotRetryNanos, plantedBugs);
  }
}
