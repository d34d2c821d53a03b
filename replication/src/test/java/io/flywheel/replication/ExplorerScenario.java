package io.flywheel.replication;

import io.flywheel.base.Invariants;
import java.util.List;

/**
 * One bounded scenario for the {@link ExhaustiveExplorer}: the group, its timing in quanta, and the
 * bounds that make the space of interleavings finite.
 *
 * <h2>Time</h2>
 *
 * True time advances in quanta of {@code quantumNanos}. In each quantum every running node ticks
 * exactly once, at any point among the other events of that quantum (so its clock reads the true
 * time or one quantum ahead of it); true time advances once every running node has ticked. Two
 * clocks therefore drift apart by at most two quanta over any interval, which is what the core's
 * drift bound must cover: the scenarios use {@code clockDriftBoundNanos = 2 * quantumNanos}, the
 * tightest bound the lease argument allows for this clock model (see {@link #checkTimeModel}).
 *
 * @param name for reports
 * @param members the group's configuration (fixed: the explorer makes no membership change)
 * @param config the core's configuration; its times are multiples of {@code quantumNanos}
 * @param quantumNanos the time step
 * @param jitterNanos per member, in member order: the election-timeout jitter its random source yields
 * @param horizonQuanta true time never passes this
 * @param ballotsMax a state in which a replica reached a higher ballot is checked but not expanded
 * @param crashesMax crashes (each losing the node's unpersisted Ready and all volatile state)
 * @param duplicatesMax deliveries that leave the message in flight (a duplicate)
 * @param proposalsMax commands proposed, each at a replica that takes proposals at that moment
 * @param lossesMax messages lost at most; every other message arrives at most {@code
 *     messageDelayQuantaMax} quanta after it was sent (true time waits for it), or is lost because
 *     its node is down
 * @param cutsMax links (one direction between two nodes) cut at most: from then on they lose every message
 * @param messageDelayQuantaMax how late a message may arrive, in quanta after the one it was sent in
 * @param inFlightMax messages in flight at most; a state with more is checked but not expanded
 * @param statesMax distinct states explored at most; reaching it fails the exploration
 * @param batchedInputs whether a host may pass several inputs (deliveries, ticks, proposals) to a
 *     replica before taking its Ready, as a busy host's worker loop does; if false, every input's
 *     Ready is carried out (or the node crashes) before anything else happens, which keeps the
 *     space small enough to exhaust
 * @param fifoLinks whether messages between two nodes arrive in the order sent (one connection per
 *     node pair, DESIGN.md section 4), each possibly lost or duplicated; if false any message in
 *     flight may arrive next
 * @param pipelinedPersist whether a host may pass inputs to a replica between taking its Ready
 *     (and sending its messages) and that Ready's write becoming durable, as the {@link Ready}
 *     contract allows; if false the host persists before the next input, as replicahost's loop does
 * @param startWithServingLeader start from the first state of a fault-free run in which a leader
 *     serves (every message delivered at once), instead of from bootstrap; the horizon counts from there
 * @param crashLeaderAtStart (with {@code startWithServingLeader}) the serving leader's node is lost
 *     for good at the start (not counted in {@code crashesMax}; it never restarts)
 */
record ExplorerScenario(
    String name,
    List<Member> members,
    Config config,
    long quantumNanos,
    List<Long> jitterNanos,
    int horizonQuanta,
    int ballotsMax,
    int crashesMax,
    int duplicatesMax,
    int proposalsMax,
    int lossesMax,
    int cutsMax,
    int messageDelayQuantaMax,
    int inFlightMax,
    long statesMax,
    boolean batchedInputs,
    boolean fifoLinks,
    boolean pipelinedPersist,
    boolean startWithServingLeader,
    boolean crashLeaderAtStart) {

  ExplorerScenario {
    members = List.copyOf(members);
    jitterNanos = List.copyOf(jitterNanos);
    Invariants.checkArgument(members.size() == jitterNanos.size(), "one jitter per member");
    Invariants.checkArgument(horizonQuanta >= 1 && ballotsMax >= 1 && crashesMax >= 0 && duplicatesMax >= 0,
        "bounds are positive");
    Invariants.checkArgument(messageDelayQuantaMax >= 0 && inFlightMax >= 1 && statesMax >= 1, "bounds are positive");
    checkTimeModel(config, quantumNanos);
    Invariants.checkArgument(!crashLeaderAtStart || startWithServingLeader, "a leader to crash");
  }

  /**
   * The clock model lets two clocks drift apart by up to two quanta over any interval; the core's
   * lease is sound only if its drift bound covers that. Timing knobs must be whole quanta.
   */
  static void checkTimeModel(Config config, long quantumNanos) {
    Invariants.checkArgument(config.clockDriftBoundNanos() >= 2 * quantumNanos,
        "the clock model drifts two quanta: clockDriftBoundNanos >= 2 * quantumNanos");
    for (long t : new long[] {config.electionTimeoutNanos(), config.heartbeatIntervalNanos(),
        config.leaseDurationNanos(), config.clockDriftBoundNanos(), config.appendRetryNanos()}) {
      Invariants.checkArgument(t % quantumNanos == 0, "timing knobs are whole quanta");
    }
  }

  static final long QUANTUM_NANOS = 1_000_000L;

  /**
   * The scenarios' timing, in quanta of 1 ms: election timeout T = 5, heartbeats every 2, lease
   * D = 5 with drift bound ε = 2 (so a leader's lease lasts 3 quanta past its last acknowledged
   * request, and a voter's promise 5), appends retried after 4; at most 2 appends in flight.
   */
  static Config timing() {
    long q = QUANTUM_NANOS;
    return new Config(5 * q, 2 * q, 5 * q, 2 * q, 8, 1 << 16, 2, 8, 8, 64, 16, 4 * q, 1_000 * q);
  }

  ExplorerScenario withConfig(Config c) {
    return new ExplorerScenario(name, members, c, quantumNanos, jitterNanos, horizonQuanta, ballotsMax, crashesMax,
        duplicatesMax, proposalsMax, lossesMax, cutsMax, messageDelayQuantaMax, inFlightMax, statesMax,
        batchedInputs, fifoLinks, pipelinedPersist, startWithServingLeader, crashLeaderAtStart);
  }

  ExplorerScenario withPipelinedPersist(boolean v) {
    return new ExplorerScenario(name, members, config, quantumNanos, jitterNanos, horizonQuanta, ballotsMax,
        crashesMax, duplicatesMax, proposalsMax, lossesMax, cutsMax, messageDelayQuantaMax, inFlightMax, statesMax,
        batchedInputs, fifoLinks, v, startWithServingLeader, crashLeaderAtStart);
  }

  @Override
  public String toString() {
    StringBuilder group = new StringBuilder();
    for (Member m : members) {
      group.append(group.isEmpty() ? "" : ", ").append('n').append(m.nodeId()).append(' ').append(m.kind());
    }
    return name + " (" + group + "; horizon " + horizonQuanta + " quanta, ballots <= " + ballotsMax
        + ", crashes <= " + crashesMax + ", duplicates <= " + duplicatesMax + ", losses <= " + lossesMax
        + ", cut links <= " + cutsMax + ", proposals <= " + proposalsMax + ", delay <= " + messageDelayQuantaMax
        + " quanta, in flight <= " + inFlightMax + (batchedInputs ? ", batched inputs" : "")
        + (fifoLinks ? ", FIFO links" : ", any order") + (pipelinedPersist ? ", inputs before a Ready is durable" : "")
        + (startWithServingLeader ? ", from a serving leader" : ", from bootstrap")
        + (crashLeaderAtStart ? " whose node is then lost" : "") + ")";
  }
}
