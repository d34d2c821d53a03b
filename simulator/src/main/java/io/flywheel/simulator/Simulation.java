package io.flywheel.simulator;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Config;
import io.flywheel.replication.ControlOutcome;
import io.flywheel.replication.HardState;
import io.flywheel.replication.Member;
import io.flywheel.replication.MemberKind;
import io.flywheel.replication.Membership;
import io.flywheel.replication.PlantedBug;
import io.flywheel.replication.Role;
import io.flywheel.replication.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One deterministic run: N replicas of one group on simulated nodes, a seeded nemesis, a
 * register/CAS workload, and the checkers. Everything — configuration knobs, clock drifts, network
 * and disk behaviour, faults, client choices — derives from the seed, so a run is reproduced
 * exactly by its {@link Options} ({@link Options#replayCommand()}).
 *
 * <p>A run has two phases. During the <b>fault phase</b> ({@link Options#faultNanos()}) the nemesis
 * of the {@link Scenario} crashes, partitions, cuts links one way, pauses and reconfigures, while the
 * network drops, delays, duplicates and reorders. Then <b>faults stop</b>: links heal, paused nodes
 * resume, crashed nodes restart, the network is clean; a serving leader must appear within the
 * liveness bound ({@link #livenessBoundNanos()}), clients stop, and the end checks run: every
 * applying member converged to the same state, nothing acknowledged was lost, and each key's history
 * is linearizable.
 */
public final class Simulation {
  static final long GROUP = 1;
  static final long MS = 1_000_000L;
  private static final int NODES_MAX = 10;

  /**
   * What to run.
   *
   * @param faultNanos simulated length of the fault phase
   * @param quietNanos simulated length of the phase after faults stop
   * @param protocolCheckers whether the checkers that look inside replicas run (every per-event
   *     checker of {@link Checkers}); off, only what clients can see from outside is checked —
   *     linearizability, nothing acknowledged lost, convergence, liveness — to show those catch bugs
   *     on their own
   */
  public record Options(long seed, Scenario scenario, Set<PlantedBug> bugs, long faultNanos, long quietNanos,
      boolean protocolCheckers) {
    public Options {
      bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
    }

    /** A correct core, the CI length of a run: three simulated minutes of faults, then 20 s without. */
    public static Options of(long seed, Scenario scenario) {
      return new Options(seed, scenario, Set.of(), 180_000 * MS, 20_000 * MS, true);
    }

    public Options withSeed(long s) {
      return new Options(s, scenario, bugs, faultNanos, quietNanos, protocolCheckers);
    }

    public Options withBugs(Set<PlantedBug> b) {
      return new Options(seed, scenario, b, faultNanos, quietNanos, protocolCheckers);
    }

    public Options withFaultNanos(long nanos) {
      return new Options(seed, scenario, bugs, nanos, quietNanos, protocolCheckers);
    }

    public Options withProtocolCheckers(boolean on) {
      return new Options(seed, scenario, bugs, faultNanos, quietNanos, on);
    }

    /** The one command that replays this run (a failing seed prints it). */
    public String replayCommand() {
      StringJoiner b = new StringJoiner(",");
      for (PlantedBug bug : PlantedBug.values()) {
        if (bugs.contains(bug)) {
          b.add(bug.name());
        }
      }
      return "mvn -pl simulator -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ReplayTest"
          + " -Dsim.seed=" + seed + " -Dsim.scenario=" + scenario + " -Dsim.faultMillis=" + faultNanos / MS
          + (bugs.isEmpty() ? "" : " -Dsim.bugs=" + b) + (protocolCheckers ? "" : " -Dsim.protocolCheckers=false");
    }
  }

  /**
   * How a run ended.
   *
   * @param checker the checker that failed, or null
   * @param failure what it found, with the replay command; null when the run passed
   * @param traceHash hash of the run's event trace (equal for equal options)
   * @param linearizabilityUnknownKeys keys whose history exceeded the checker's search bound
   */
  public record Result(Options options, String checker, String failure, long traceHash, long events,
      long simulatedNanos, long operations, long unknownOutcomes, long highestBallot, int linearizabilityUnknownKeys,
      long faults, Coverage coverage) {
    public boolean passed() {
      return failure == null;
    }
  }

  final long seed;
  final Options options;
  final Config config;
  final EventQueue events = new EventQueue(2_000_000);
  final Trace trace = new Trace(events);
  final SimNetwork network;
  final Checkers checkers;
  final Clients clients;
  final long tickNanos;
  private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  private final RandomSource nemesis;
  private final RandomSource disk;
  private final RandomSource clocks;
  private final SimNetwork.Knobs faultyNetwork;
  private long nextNodeId;
  private boolean faultsOver;
  private long faultsStoppedAt = Long.MAX_VALUE;
  private long firstServingAfterFaults = Long.MAX_VALUE;
  private long faultCount;
  /** A test's way to prove the liveness checker can fail: when faults "stop", every node is cut off instead. */
  boolean partitionForeverAfterFaults;
  private long crashes;
  private long crashesWithUnsynced;
  private long pauses;
  private long partitions;
  private long oneWayCuts;
  private long membershipChanges;
  private long transfers;
  long snapshotsInstalled;

  private Simulation(Options options) {
    this.options = options;
    this.seed = options.seed();
    RandomSource knobs = RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 1);
    this.nemesis = RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 2);
    this.disk = RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 3);
    this.clocks = RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 4);
    this.config = randomConfig(knobs).withPlantedBugs(options.bugs());
    this.tickNanos = Math.max(2 * MS, config.heartbeatIntervalNanos() / 4);
    this.faultyNetwork = new SimNetwork.Knobs(knobs.nextInt(50), knobs.nextInt(30), 100_000L,
        (1 + knobs.nextInt(10)) * MS, knobs.nextInt(20), config.electionTimeoutNanos());
    this.network = new SimNetwork(events, RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 5), faultyNetwork, 100_000,
        trace, m -> {
          SimNode n = nodes.get(m.to());
          if (n != null) {
            n.deliver(m);
          }
        });
    this.checkers = new Checkers(this, options.protocolCheckers());
    this.clients = new Clients(this, RandomSource.seeded(seed * 0x9E3779B97F4A7C15L + 6), 3 + knobs.nextInt(3),
        2 + knobs.nextInt(3), 5 * config.electionTimeoutNanos(), 20, 1_000_000);
  }

  /** Knobs drawn per seed within the relations {@link Config} demands: short leases, small batches. */
  private static Config randomConfig(RandomSource r) {
    long t = (200 + r.nextInt(301)) * MS;
    long d = t * (60 + r.nextInt(41)) / 100;
    long eps = d * (3 + r.nextInt(8)) / 100;
    long hb = (d - eps) / (4 + r.nextInt(5));
    return new Config(t, hb, d, eps, 1 + r.nextInt(64), 1 << (10 + r.nextInt(11)), 1 + r.nextInt(8),
        8 + r.nextInt(249), 8 + r.nextInt(249), 1 << 16, 1 + r.nextInt(64), hb * (2 + r.nextInt(4)), 2 * t);
  }

  /** Runs {@code options} to the end or to the first checker failure. */
  public static Result run(Options options) {
    return new Simulation(options).execute();
  }

  /** A run not yet started, for tests that inspect its parts afterwards. */
  static Simulation create(Options options) {
    return new Simulation(options);
  }

  /**
   * The liveness bound: once faults stop, a replica must be serving this long after (5 election
   * timeouts + lease + drift bound + 1 s: a restarted voter's promise, two election rounds with
   * randomized timers, the new leader's wait for the old lease, and slack for slow disks).
   */
  long livenessBoundNanos() {
    return 5 * config.electionTimeoutNanos() + config.leaseDurationNanos() + config.clockDriftBoundNanos() + 1_000 * MS;
  }

  Result execute() {
    String checker = null;
    String failure = null;
    int unknownKeys = 0;
    try {
      bootstrap();
      clients.start();
      scheduleNemesis();
      long faultEnd = options.faultNanos();
      events.at(faultEnd, this::stopFaults);
      events.at(faultEnd + livenessBoundNanos(), () -> checkers.check(servingLeader() != null,
          "liveness", "no replica serves " + livenessBoundNanos() / MS + " ms after faults stopped (first serving after "
              + "them: " + (firstServingAfterFaults == Long.MAX_VALUE ? "none" : firstServingAfterFaults / MS + " ms")
              + ")\n" + describe()));
      long end = faultEnd + Math.max(options.quietNanos(), livenessBoundNanos() + 3_000 * MS);
      clients.stopAt(end - 2_000 * MS);
      while (events.runNext(end)) {
        // every event runs its checkers
      }
      awaitConvergence();
      clients.endRun();
      finalChecks();
      unknownKeys = checkHistories();
    } catch (Checkers.Violation v) {
      checker = v.checker;
      failure = "seed " + seed + " scenario " + options.scenario() + " bugs " + options.bugs() + " at true time "
          + events.nowNanos() / MS + " ms: " + v.getMessage() + "\n" + describe() + "replay: " + options.replayCommand();
    }
    long highestBallot = 0;
    for (SimNode n : nodes.values()) {
      if (n.replica != null) {
        highestBallot = Math.max(highestBallot, n.status().ballot());
      }
    }
    return new Result(options, checker, failure, trace.hash(), events.executed(), events.nowNanos(),
        clients.completed(), clients.unknownOutcomes(), highestBallot, unknownKeys, faultCount,
        new Coverage(checkers.leadersElected(), checkers.logReplicaLeaderships(), crashes, crashesWithUnsynced, pauses, partitions, oneWayCuts,
            membershipChanges, transfers, snapshotsInstalled));
  }

  private void bootstrap() {
    int shape = nemesis.nextInt(100);
    List<Member> members = new ArrayList<>();
    boolean withLogReplica = switch (options.scenario()) {
      case MEMBERSHIP_CHANGES -> shape < 50;
      case RANDOM_MIX -> shape < 25;
      default -> false;
    };
    int size = !withLogReplica && shape >= 80 ? 5 : 3;
    for (long id = 1; id <= size; id++) {
      members.add(withLogReplica && id == size ? Member.logVoter(id) : Member.fullVoter(id));
    }
    nextNodeId = size + 1;
    Membership m = new Membership(members, List.of());
    for (Member mem : members) {
      addNode(mem.nodeId(), HardState.bootstrap(m));
    }
  }

  private SimNode addNode(long id, HardState initial) {
    long bound = config.clockDriftBoundNanos() * 1_000_000L / config.leaseDurationNanos() * 9 / 20;
    long drift = bound == 0 ? 0 : Math.floorMod(clocks.nextLong(), 2 * bound + 1) - bound;
    SimClock clock = new SimClock(events, Math.floorMod(clocks.nextLong(), 10_000 * MS), drift);
    SimNode n = new SimNode(this, id, clock, initial, disk.nextInt(100) < 20);
    nodes.put(id, n);
    n.start();
    return n;
  }

  /** How long an fsync on this node takes: usually 0.2-3.2 ms, now and then up to 50 ms more; a slow disk 5-40 ms. */
  long fsyncDelayNanos(boolean slowDisk) {
    long d = slowDisk ? 5 * MS + disk.nextInt(35_000_000) : 200_000L + disk.nextInt(3_000_000);
    if (disk.nextInt(100) < 2) {
      d += disk.nextInt(50) * MS;
    }
    return d;
  }

  SimNode node(long id) {
    return nodes.get(id);
  }

  Collection<SimNode> nodes() {
    return nodes.values();
  }

  List<Long> nodeIds() {
    return new ArrayList<>(nodes.keySet());
  }

  // ------------------------------------------------------------------------------------------
  // The nemesis

  private void scheduleNemesis() {
    long gap = 300 * MS + Math.floorMod(nemesis.nextLong(), 2_200 * MS);
    events.after(gap, () -> {
      if (faultsOver) {
        return;
      }
      act();
      scheduleNemesis();
    });
  }

  private void act() {
    Scenario s = options.scenario();
    if (s == Scenario.RANDOM_MIX) {
      Scenario[] pick = {Scenario.LEADER_CRASH, Scenario.LEADER_PARTITIONED, Scenario.ONE_WAY_LINKS,
          Scenario.PAUSED_LEADER, Scenario.MEMBERSHIP_CHANGES};
      s = pick[nemesis.nextInt(pick.length)];
    }
    long t = config.electionTimeoutNanos();
    SimNode leader = leader();
    SimNode victim = leader != null && nemesis.nextInt(100) < 75 ? leader : randomNode();
    faultCount++;
    switch (s) {
      case LEADER_CRASH -> crash(victim, t / 2 + Math.floorMod(nemesis.nextLong(), 4 * t));
      case LEADER_PARTITIONED -> {
        SimNode peer = randomNode();
        if (peer != victim && nemesis.nextInt(2) == 0) {
          // A partial partition: the leader and one peer lose each other, the others still hear both.
          trace.record(Trace.FAULT, 7, victim.id, peer.id);
          partitions++;
          network.isolate(victim.id, List.of(peer.id));
          long a = victim.id;
          long b = peer.id;
          events.after(t + Math.floorMod(nemesis.nextLong(), 6 * t), () -> {
            network.restore(a, b);
            network.restore(b, a);
          });
          return;
        }
        trace.record(Trace.FAULT, 2, victim.id, 0);
        partitions++;
        network.isolate(victim.id, nodes.keySet());
        long id = victim.id;
        events.after(t + Math.floorMod(nemesis.nextLong(), 6 * t), () -> {
          for (long o : nodes.keySet()) {
            network.restore(id, o);
            network.restore(o, id);
          }
        });
      }
      case ONE_WAY_LINKS -> {
        SimNode other = randomNode();
        if (other == victim) {
          return;
        }
        boolean outgoing = nemesis.nextInt(2) == 0;
        long from = outgoing ? victim.id : other.id;
        long to = outgoing ? other.id : victim.id;
        trace.record(Trace.FAULT, 3, from, to);
        oneWayCuts++;
        network.cut(from, to);
        events.after(t + Math.floorMod(nemesis.nextLong(), 8 * t), () -> network.restore(from, to));
      }
      case PAUSED_LEADER -> {
        // Longer than the lease, often much longer: the frozen leader must not serve when it wakes.
        long pause = config.leaseDurationNanos() + 1 + Math.floorMod(nemesis.nextLong(), 3 * t);
        trace.record(Trace.FAULT, 4, victim.id, pause);
        if (victim.alive && !victim.paused()) {
          pauses++;
          victim.pausedUntilNanos = events.nowNanos() + pause;
        }
      }
      case MEMBERSHIP_CHANGES -> {
        int roll = nemesis.nextInt(10);
        if (roll < 5) {
          changeMembership(leader);
        } else if (roll < 6 && leader != null) {
          transfer(leader);
        } else if (roll < 8) {
          crash(randomNode(), t / 2 + Math.floorMod(nemesis.nextLong(), 3 * t));
        } else {
          SimNode other = randomNode();
          if (other != victim) {
            oneWayCuts++;
            network.cut(victim.id, other.id);
            long a = victim.id;
            long b = other.id;
            events.after(t + Math.floorMod(nemesis.nextLong(), 4 * t), () -> network.restore(a, b));
          }
        }
      }
      case RANDOM_MIX -> throw new IllegalStateException("resolved above");
    }
  }

  private void crash(SimNode n, long downNanos) {
    if (!n.alive) {
      return;
    }
    trace.record(Trace.FAULT, 1, n.id, downNanos);
    crashes++;
    if (n.disk.hasUnsynced()) {
      crashesWithUnsynced++;
    }
    n.crash();
    events.after(downNanos, () -> {
      if (!n.alive) {
        n.start();
      }
    });
  }

  private void transfer(SimNode leader) {
    if (!leader.alive || leader.paused()) {
      return;
    }
    List<Long> full = new ArrayList<>();
    for (Member m : leader.status().membership().members()) {
      if (m.kind() == MemberKind.FULL_VOTER && m.nodeId() != leader.id) {
        full.add(m.nodeId());
      }
    }
    if (!full.isEmpty()) {
      long target = full.get(nemesis.nextInt(full.size()));
      trace.record(Trace.FAULT, 5, leader.id, target);
      transfers++;
      leader.run(r -> r.transferLeadership(target));
    }
  }

  /** Replaces a member with a new node, swaps a full replica for a log replica, or demotes one. */
  private void changeMembership(SimNode leader) {
    if (leader == null || !leader.alive || leader.paused() || nodes.size() >= NODES_MAX) {
      return;
    }
    Membership current = leader.status().membership();
    if (current.isJoint()) {
      return;
    }
    List<Member> target = new ArrayList<>(current.members());
    long newNode = 0;
    int roll = nemesis.nextInt(10);
    if (roll < 3) {
      int i = nemesis.nextInt(target.size());
      Member m = target.get(i);
      if (m.kind() != MemberKind.FULL_VOTER || m.nodeId() == leader.id) {
        return;
      }
      target.set(i, Member.logVoter(m.nodeId())); // a full replica becomes a log replica in place
    } else {
      int i = nemesis.nextInt(target.size());
      Member victim = target.get(i);
      if (victim.nodeId() == leader.id && nemesis.nextInt(4) != 0) {
        return;
      }
      newNode = nextNodeId;
      MemberKind kind = switch (nemesis.nextInt(6)) {
        case 0, 1 -> MemberKind.LOG_VOTER;
        case 2 -> MemberKind.LEARNER;
        default -> MemberKind.FULL_VOTER;
      };
      target.set(i, new Member(newNode, kind));
    }
    int full = 0;
    int voters = 0;
    for (Member m : target) {
      full += m.kind() == MemberKind.FULL_VOTER ? 1 : 0;
      voters += m.kind().votes() ? 1 : 0;
    }
    if (full < 2 || voters < 3) {
      return;
    }
    ControlOutcome[] outcome = new ControlOutcome[1];
    leader.run(r -> outcome[0] = r.changeMembership(target));
    trace.record(Trace.FAULT, 6, leader.id, outcome[0] == null ? -1 : outcome[0].ordinal());
    if (outcome[0] == ControlOutcome.ACCEPTED) {
      membershipChanges++;
    }
    if (outcome[0] == ControlOutcome.ACCEPTED && newNode != 0) {
      nextNodeId++;
      addNode(newNode, HardState.joining());
    }
  }

  private SimNode randomNode() {
    List<Long> ids = nodeIds();
    return nodes.get(ids.get(nemesis.nextInt(ids.size())));
  }

  /** The live, running replica that leads the highest ballot, or null. */
  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.alive && !n.paused()) {
        Status st = n.status();
        if (st.role() == Role.LEADER && (best == null || st.ballot() > best.status().ballot())) {
          best = n;
        }
      }
    }
    return best;
  }

  private void stopFaults() {
    faultsOver = true;
    faultsStoppedAt = events.nowNanos();
    trace.record(Trace.FAULT, 0, 0, 0);
    network.healAll();
    network.setKnobs(new SimNetwork.Knobs(0, 0, 100_000L, 1 * MS, 0, 0));
    if (partitionForeverAfterFaults) {
      for (long id : nodes.keySet()) {
        network.isolate(id, nodes.keySet());
      }
    }
    for (SimNode n : nodes.values()) {
      n.pausedUntilNanos = Long.MIN_VALUE;
      if (!n.alive) {
        n.start();
      }
    }
  }

  /** Called after every event on {@code n}: notes the first serving leader once faults stopped. */
  void noteServingState(SimNode n, boolean serving) {
    if (faultsOver && serving && firstServingAfterFaults == Long.MAX_VALUE) {
      firstServingAfterFaults = events.nowNanos();
    }
  }

  // ------------------------------------------------------------------------------------------
  // End checks

  /**
   * Lets lagging members catch up once clients have stopped (tiny batches and slow disks make
   * catch-up slow, not wrong): the run continues while some applying member of the serving leader's
   * configuration is behind it and still progressing; one that makes no progress for
   * {@code STALL_NANOS}, or a catch-up longer than {@code CATCH_UP_NANOS_MAX}, fails convergence.
   */
  private void awaitConvergence() {
    final long stallNanos = 10_000 * MS;
    final long catchUpNanosMax = 600_000 * MS;
    long start = events.nowNanos();
    long lastProgress = start;
    long lastSum = -1;
    while (true) {
      SimNode leader = servingLeader();
      checkers.check(leader != null, "liveness", "no replica serves at the end\n" + describe());
      long target = leader.machine().appliedIndex();
      long sum = 0;
      boolean behind = false;
      for (Member mem : leader.status().membership().members()) {
        if (mem.kind().applies()) {
          long a = nodes.get(mem.nodeId()).machine().appliedIndex();
          sum += a;
          behind |= a < target;
        }
      }
      if (!behind) {
        return;
      }
      long now = events.nowNanos();
      if (sum != lastSum) {
        lastSum = sum;
        lastProgress = now;
      }
      checkers.check(now - lastProgress < stallNanos && now - start < catchUpNanosMax, "replicas converge",
          "members stopped catching up with the leader's applied index " + target + "\n" + describe());
      long until = now + 1_000 * MS;
      while (events.runNext(until)) {
        // every event runs its checkers
      }
    }
  }

  private SimNode servingLeader() {
    SimNode leader = null;
    for (SimNode n : nodes.values()) {
      if (n.alive && n.status().serving()) {
        leader = n;
      }
    }
    return leader;
  }

  private void finalChecks() {
    SimNode leader = servingLeader();
    checkers.check(leader != null, "liveness", "no replica serves at the end\n" + describe());
    Membership m = leader.status().membership();
    long applied = -1;
    long digest = 0;
    long appliedBy = 0;
    for (Member mem : m.members()) {
      SimNode n = nodes.get(mem.nodeId());
      if (!mem.kind().applies()) {
        continue;
      }
      RegisterMachine sm = n.machine();
      if (applied < 0) {
        applied = sm.appliedIndex();
        digest = sm.digest();
        appliedBy = n.id;
      } else {
        checkers.check(applied == sm.appliedIndex() && digest == sm.digest(), "replicas converge",
            "node " + n.id + " applied " + sm.appliedIndex() + " (state " + sm.digest() + "), node " + appliedBy
                + " applied " + applied + " (state " + digest + ")\n" + describe());
      }
    }
    long acked = checkers.highestAcknowledged();
    checkers.check(applied >= acked, "no acknowledged command lost",
        "the members applied up to " + applied + " but index " + acked + " was acknowledged");
    for (long i = 1; i <= acked; i++) {
      long a = checkers.acknowledgedAt(i);
      if (a == 0) {
        continue;
      }
      for (Member mem : m.members()) {
        long k = nodes.get(mem.nodeId()).appliedKeys.get(i);
        checkers.check(k == 0 || k == a, "no acknowledged command lost", "node " + mem.nodeId()
            + " applied another entry at index " + i + " than the one acknowledged there");
      }
    }
  }

  private int checkHistories() {
    int unknown = 0;
    for (Map.Entry<Long, List<Op>> e : clients.history().entrySet()) {
      Linearizability.Result r = Linearizability.check(e.getValue(), 200_000);
      switch (r.verdict()) {
        case NOT_LINEARIZABLE -> checkers.check(false, "linearizability",
            "key " + e.getKey() + ": " + r.detail());
        case UNKNOWN -> unknown++;
        case LINEARIZABLE -> {}
      }
    }
    return unknown;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    b.append("  config ").append(config).append('\n');
    for (SimNode n : nodes.values()) {
      b.append("  ").append(n).append('\n');
    }
    return b.toString();
  }
}
