package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Message.InstallSnapshot;
import io.flywheel.replication.Ready.Acknowledged;
import io.flywheel.replication.Ready.LeaseChange;
import io.flywheel.replication.Ready.ReadState;
import io.flywheel.replication.Ready.RoleChange;
import io.flywheel.replication.Ready.SnapshotToInstall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A deterministic "network" of replicas of one group, driven step by step by a test: each node has
 * its own clock, an in-memory log and a state machine that records what it applied; the network
 * holds messages until the test delivers, drops or tampers with them. Every Ready is carried out
 * exactly as the {@link Ready} contract says (send, persist, report persisted, send after persist,
 * capture snapshots, apply, advance) and recorded for assertions.
 */
final class TestCluster {
  static final long GROUP = 7;
  static final long MS = 1_000_000L;

  final Config config;
  private final long seed;
  private final Map<Long, Node> nodes = new TreeMap<>();
  /** Messages sent and not yet delivered or dropped, in send order. */
  final List<Message> network = new ArrayList<>();
  private final TreeSet<Long> isolated = new TreeSet<>();
  private final List<Predicate<Message>> dropRules = new ArrayList<>();
  boolean autoInstallSnapshots = true;
  boolean compactLogs = false;

  /** One node's host: durable state, state machine, and what it saw. */
  final class Node {
    final long id;
    final MemoryLog log = new MemoryLog();
    HardState hard;
    long clock;
    /** How fast this node's clock runs against real time, in parts per million (0: exact). */
    long driftPpm;
    Replica replica;
    long appliedIndex;
    final List<Entry> applied = new ArrayList<>();
    final List<Ready> readies = new ArrayList<>();
    final List<ReadState> reads = new ArrayList<>();
    final List<Long> readTimes = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    final List<Acknowledged> acks = new ArrayList<>();
    final List<RoleChange> roles = new ArrayList<>();
    final List<Long> roleTimes = new ArrayList<>();
    final List<LeaseChange> leases = new ArrayList<>();
    final List<Long> leaseTimes = new ArrayList<>();
    final List<SnapshotToInstall> snapshotsRequested = new ArrayList<>();
    /** Applied state captured for an InstallSnapshot this node sent, by snapshot index. */
    final Map<Long, List<Entry>> capturedSnapshots = new TreeMap<>();

    Node(long id, HardState hard, long startNanos) {
      this.id = id;
      this.hard = hard;
      this.clock = startNanos;
      start();
    }

    void start() {
      replica = Replica.start(config, GROUP, id, hard, appliedIndex, log, RandomSource.seeded(seed * 31 + id), clock);
    }

    Status status() {
      return replica.status();
    }

    /** The commands this node applied, as strings, in order. */
    List<String> appliedCommands() {
      List<String> out = new ArrayList<>();
      for (Entry e : applied) {
        if (e.kind() == EntryKind.COMMAND) {
          out.add(new String(e.payload(), StandardCharsets.UTF_8));
        }
      }
      return out;
    }
  }

  TestCluster(Config config, Membership membership, long seed) {
    this.config = config;
    this.seed = seed;
    for (Member m : membership.members()) {
      nodes.put(m.nodeId(), new Node(m.nodeId(), HardState.bootstrap(membership), 0));
    }
  }

  static TestCluster of(Membership membership) {
    return new TestCluster(Config.defaults(), membership, 1);
  }

  static TestCluster of(Config config, Membership membership) {
    return new TestCluster(config, membership, 1);
  }

  /**
   * The same group as if ballot {@code ballot} had already been used (its leader, if any, gone):
   * the next leader must wait out a lease it cannot rule out, which the winner of ballot 1 need
   * not. Call before anything runs.
   */
  TestCluster afterBallot(long ballot) {
    for (Node n : nodes.values()) {
      n.hard = new HardState(ballot, Replica.NO_NODE, 0, n.hard.membership(), 0);
      n.start();
    }
    return this;
  }

  /** Three full voters on nodes 1, 2 and 3. */
  static TestCluster threeFullVoters() {
    return of(Membership.fullVoters(1, 2, 3));
  }

  /** Adds a replica that joins an existing group (it knows no membership yet). */
  Node addJoiner(long id) {
    long clock = nodes.values().iterator().next().clock;
    Node n = new Node(id, HardState.joining(), clock);
    nodes.put(id, n);
    return n;
  }

  Node node(long id) {
    return nodes.get(id);
  }

  Replica replica(long id) {
    return nodes.get(id).replica;
  }

  // ------------------------------------------------------------------------------------------
  // Time

  /** Moves one node's clock and ticks it (nothing else happens). */
  TestCluster advance(long id, long nanos) {
    Node n = nodes.get(id);
    n.clock += nanos;
    n.replica.tick(n.clock);
    return this;
  }

  /** Moves every node's clock by the same amount and ticks each. */
  TestCluster advanceAll(long nanos) {
    for (Node n : nodes.values()) {
      n.clock += nanos;
      n.replica.tick(n.clock);
    }
    return this;
  }

  /**
   * Lets {@code realNanos} of real time pass: each node's clock moves by that much adjusted by its
   * {@link Node#driftPpm}, and each ticks.
   */
  TestCluster advanceAllReal(long realNanos) {
    for (Node n : nodes.values()) {
      n.clock += realNanos + realNanos / 1_000_000 * n.driftPpm;
      n.replica.tick(n.clock);
    }
    return this;
  }

  /** Lets {@code nanos} pass in small steps, processing and delivering everything after each. */
  TestCluster run(long nanos) {
    long step = config.heartbeatIntervalNanos() / 2;
    for (long t = 0; t < nanos; t += step) {
      advanceAll(Math.min(step, nanos - t));
      stabilize();
    }
    return this;
  }

  /**
   * Makes {@code id} win an election: every clock jumps past every election timer (so clocks stay
   * aligned), only {@code id}'s campaign travels (other pre-vote requests are discarded), then
   * everything settles.
   */
  TestCluster elect(long id) {
    campaign(id);
    stabilize();
    assertThat(replica(id).status().role()).as("node %d won its election", id).isEqualTo(Role.LEADER);
    return this;
  }

  /** Elects {@code id} and waits until it serves (its NOOP committed and the old lease waited out). */
  TestCluster electAndServe(long id) {
    elect(id);
    long deadline = config.leaseDurationNanos() + config.clockDriftBoundNanos() + config.electionTimeoutNanos();
    long step = config.heartbeatIntervalNanos() / 2;
    for (long t = 0; t < deadline && !replica(id).status().serving(); t += step) {
      run(step);
    }
    assertThat(replica(id).status().serving()).as("node %d serves", id).isTrue();
    return this;
  }

  // ------------------------------------------------------------------------------------------
  // Readies

  /** Carries out every Ready of one node (the host contract), and records them. */
  TestCluster process(long id) {
    Node n = nodes.get(id);
    for (int i = 0; i < 100 && n.replica.hasReady(); i++) {
      carryOut(n, n.replica.ready());
    }
    return this;
  }

  TestCluster processAll() {
    for (Node n : nodes.values()) {
      process(n.id);
    }
    return this;
  }

  private void carryOut(Node n, Ready rd) {
    Replica r = n.replica;
    n.readies.add(rd);
    network.addAll(rd.messages());
    if (rd.hardState() != null) {
      n.hard = rd.hardState();
    }
    n.log.write(rd.entries());
    if (rd.lastEntry() != null) {
      r.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
    }
    network.addAll(rd.messagesAfterPersist());
    for (Message m : rd.messages()) {
      if (m instanceof InstallSnapshot s) {
        assertThat(n.appliedIndex).as("a snapshot names exactly the applied state").isEqualTo(s.snapshotIndex());
        n.capturedSnapshots.put(s.snapshotIndex(), List.copyOf(n.applied));
      }
    }
    for (Entry e : rd.committedEntries()) {
      assertThat(e.index()).as("entries are applied in order, once").isEqualTo(n.appliedIndex + 1);
      n.applied.add(e);
      n.appliedIndex = e.index();
    }
    for (ReadState rs : rd.readStates()) {
      n.reads.add(rs);
      n.readTimes.add(n.clock);
    }
    n.acks.addAll(rd.acknowledged());
    n.rejections.addAll(rd.rejections());
    if (rd.roleChange() != null) {
      n.roles.add(rd.roleChange());
      n.roleTimes.add(n.clock);
    }
    if (rd.leaseChange() != null) {
      n.leases.add(rd.leaseChange());
      n.leaseTimes.add(n.clock);
    }
    if (rd.logFloor().isPresent() && compactLogs) {
      n.log.compact(rd.logFloor().getAsLong());
    }
    if (n.appliedIndex > 0) {
      r.applied(n.appliedIndex);
    }
    r.advance(rd);
    if (rd.snapshotToInstall() != null) {
      n.snapshotsRequested.add(rd.snapshotToInstall());
      if (autoInstallSnapshots) {
        installSnapshot(n.id, rd.snapshotToInstall());
      }
    }
  }

  /** The receiving host fetches the sender's captured state and installs it. */
  void installSnapshot(long id, SnapshotToInstall s) {
    Node n = nodes.get(id);
    List<Entry> state = nodes.get(s.fromNode()).capturedSnapshots.get(s.index());
    assertThat(state).as("the sender captured the snapshot it named").isNotNull();
    n.applied.clear();
    n.applied.addAll(state);
    n.appliedIndex = s.index();
    n.log.resetToSnapshot(s.index(), s.ballot());
    n.replica.snapshotInstalled(s.index(), s.ballot(), s.membership());
  }

  // ------------------------------------------------------------------------------------------
  // The network

  /** Delivers every message now in flight (not those they cause), dropping what the faults say. */
  int deliverInFlight() {
    List<Message> batch = new ArrayList<>(network);
    network.clear();
    int delivered = 0;
    for (Message m : batch) {
      if (deliver(m)) {
        delivered++;
      }
    }
    return delivered;
  }

  /** Delivers the in-flight messages matching {@code which} (and drops none of the others). */
  int deliverWhere(Predicate<Message> which) {
    int delivered = 0;
    for (Message m : take(which)) {
      if (deliver(m)) {
        delivered++;
      }
    }
    return delivered;
  }

  /** Rounds of process-then-deliver restricted to messages matching {@code allowed}, until {@code done} holds. */
  TestCluster stepUntil(java.util.function.BooleanSupplier done, Predicate<Message> allowed) {
    for (int round = 0; round < 1_000; round++) {
      processAll();
      if (done.getAsBoolean()) {
        return this;
      }
      if (deliverWhere(allowed) == 0 && network.stream().noneMatch(allowed)) {
        processAll();
        if (done.getAsBoolean()) {
          return this;
        }
        throw new AssertionError("nothing left to deliver and the condition does not hold\n" + describe());
      }
    }
    throw new AssertionError("the condition never held\n" + describe());
  }

  /** Every replica may collect its log up to what it applied (as if all of it were archived). */
  TestCluster archiveEverything() {
    for (Node n : nodes.values()) {
      n.replica.archived(Long.MAX_VALUE);
    }
    compactLogs = true;
    return this;
  }

  /**
   * Moves every clock past every election timer, discards the vote requests of every campaign but
   * {@code id}'s, and delivers only {@code id}'s votes until its campaign is decided. Other traffic
   * stays in flight.
   */
  TestCluster campaign(long id) {
    advanceAll(3 * config.electionTimeoutNanos());
    processAll();
    take(m -> m instanceof Message.VoteRequest && m.from() != id);
    return stepUntil(() -> replica(id).status().role() == Role.LEADER || replica(id).status().role() == Role.FOLLOWER,
        m -> isVoteOf(m, id));
  }

  /** A vote request from {@code candidate} or a vote response to it. */
  static boolean isVoteOf(Message m, long candidate) {
    return (m instanceof Message.VoteRequest && m.from() == candidate)
        || (m instanceof Message.VoteResponse && m.to() == candidate);
  }

  /** Delivers one message unless a fault drops it; returns whether it arrived. */
  boolean deliver(Message m) {
    Node to = nodes.get(m.to());
    if (to == null || isolated.contains(m.from()) || isolated.contains(m.to())) {
      return false;
    }
    for (Predicate<Message> rule : dropRules) {
      if (rule.test(m)) {
        return false;
      }
    }
    to.replica.receive(m);
    return true;
  }

  /** Removes and returns the in-flight messages matching {@code which} (to deliver, drop or tamper with). */
  List<Message> take(Predicate<Message> which) {
    List<Message> out = new ArrayList<>();
    for (Iterator<Message> it = network.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (which.test(m)) {
        out.add(m);
        it.remove();
      }
    }
    return out;
  }

  /** Processes and delivers until nothing is left in flight and no replica has a Ready. */
  TestCluster stabilize() {
    for (int round = 0; round < 10_000; round++) {
      processAll();
      if (network.isEmpty()) {
        return this;
      }
      deliverInFlight();
    }
    throw new AssertionError("the cluster did not settle");
  }

  TestCluster isolate(long id) {
    isolated.add(id);
    return this;
  }

  TestCluster heal() {
    isolated.clear();
    dropRules.clear();
    return this;
  }

  /** Drops every message matching {@code rule} from now on (until {@link #heal()}). */
  TestCluster dropWhere(Predicate<Message> rule) {
    dropRules.add(rule);
    return this;
  }

  /** Drops messages from {@code from} to {@code to} (one way). */
  TestCluster cut(long from, long to) {
    return dropWhere(m -> m.from() == from && m.to() == to);
  }

  /** Restarts a node from its durable state: log, hard state, applied index. Messages in flight stay. */
  TestCluster restart(long id) {
    nodes.get(id).start();
    return this;
  }

  // ------------------------------------------------------------------------------------------
  // Clients

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A strongly consistent read at {@code id}, processed at once (so its recorded time is the decision's). */
  TestCluster read(long id, long readId) {
    replica(id).read(readId);
    return process(id);
  }

  long propose(long id, String command) {
    return replica(id).propose(bytes(command));
  }

  /** The leaders (by role) right now. */
  List<Long> leaders() {
    List<Long> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.replica.status().role() == Role.LEADER) {
        out.add(n.id);
      }
    }
    return out;
  }

  /** The nodes serving right now. */
  List<Long> servingNodes() {
    List<Long> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.replica.status().serving()) {
        out.add(n.id);
      }
    }
    return out;
  }

  /** Every node's status and the messages in flight, for failure messages. */
  String describe() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes.values()) {
      b.append("  ").append(n.replica.status()).append(" clock=").append(n.clock).append('\n');
    }
    for (Message m : network) {
      b.append("  in flight: ").append(m).append('\n');
    }
    return b.toString();
  }

  Iterable<Node> nodes() {
    return nodes.values();
  }
}
