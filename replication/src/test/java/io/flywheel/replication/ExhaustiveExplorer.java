package io.flywheel.replication;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.Heartbeat;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import io.flywheel.replication.Ready.Acknowledged;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exhaustive small-scope model checker that drives the real {@link Replica} core (issue 4, must
 * show 5): every interleaving of a bounded {@link ExplorerScenario} for a three-replica group —
 * message deliveries in any order across links, duplicates, losses, cut links, ticks at any point
 * within their quantum, crashes (including between sending a Ready's messages and persisting it),
 * restarts, proposals — explored depth first or breadth first, every distinct state once.
 *
 * <h2>The model</h2>
 *
 * A state ({@link World}) is the true time; per node its clock, its durable state (hard state, log,
 * applied index) and its running {@link Replica} (null while crashed, with all its volatile state);
 * the messages in flight with the quantum they were sent in; the remaining fault budgets and the cut
 * links; and ghost state for the checks (the leader of each ballot, every entry seen committed with
 * the lowest ballot it was seen committed in, every acknowledged proposal). Its actions:
 *
 * <ul>
 *   <li>{@code TICK n}: n's clock moves one quantum, once per quantum, anywhere among the quantum's
 *       other events (so clocks drift up to two quanta apart, see {@link ExplorerScenario});
 *   <li>{@code ADVANCE}: true time moves one quantum once every running node ticked; a message not
 *       delivered within the delay bound is lost and counts against the loss budget (true time
 *       waits while the budget cannot pay for it);
 *   <li>{@code DELIVER m}: the oldest message of a link arrives (dropped if its node is down);
 *       {@code DUPLICATE m}: it arrives and stays in flight; {@code LOSE m}: it is lost; {@code CUT
 *       link}: that one-way link loses everything from now on;
 *   <li>{@code READY n}: after every input the node's host carries out its Ready, as replicahost's
 *       worker loop does: send {@code messages()}, persist hard state and entries in one durable
 *       write, report them persisted, send {@code messagesAfterPersist()}, apply, acknowledge,
 *       advance. No other input reaches that replica in between;
 *   <li>{@code CRASH n}: n loses its replica; {@code CRASH n after sending}: instead of {@code
 *       READY}, the host sent the Ready's messages and crashed before the write was durable;
 *       {@code RESTART n}: in place of a tick, a new replica from n's durable state (which keeps its
 *       lease promise from the restart, see {@link Replica});
 *   <li>{@code PROPOSE n}: a one-byte command at a replica that takes proposals.
 * </ul>
 *
 * <h2>Checks, in every state</h2>
 *
 * At most one replica serves (leads under its lease, judged at its own clock's reading at this true
 * time); at most one leader per ballot, ever; an entry once committed never changes on any replica,
 * and every replica applies exactly the committed entries, in order; every leader of a ballot above
 * the one an entry was seen committed in holds it, and every leader of a later ballot holds every
 * acknowledged proposal (leader completeness); log matching between every pair of replicas; a log
 * replica is never handed entries to apply; every granted vote and every acknowledgement in flight
 * is backed by its sender's durable state; and the core's own invariants (an exception from the
 * core is a violation).
 *
 * <h2>Not modelled</h2>
 *
 * Membership changes, leadership transfer, snapshots and log collection, strongly consistent reads
 * (the serving check covers what they rely on), torn or corrupt writes (the checksum tests do),
 * clocks that drift more than two quanta over intervals longer than the lease (the model bounds the
 * drift over every interval), and anything past a scenario's bounds: its horizon, budgets, message
 * delay, and states whose ballot passes {@code ballotsMax} (checked, not expanded).
 *
 * <p>States are identified by a 128-bit fingerprint of their complete content ({@link ObjectGraph}),
 * including budgets and ghost state, so visiting each once loses no behaviour (up to fingerprint
 * collisions, about 2^-128 per pair). Breadth first, the first violation found has a shortest path.
 * No clock, no randomness, no threads: the same scenario always explores the same states in the
 * same order.
 */
final class ExhaustiveExplorer {
  static final long GROUP = 11;

  enum Search {
    BREADTH_FIRST,
    DEPTH_FIRST
  }

  private static final int TICK = 1;
  private static final int READY = 2;
  private static final int CRASH_AFTER_SEND = 3;
  private static final int CRASH = 4;
  private static final int RESTART = 5;
  private static final int PROPOSE = 6;
  private static final int ADVANCE = 7;
  private static final int DELIVER = 8;
  private static final int DUPLICATE = 9;
  private static final int DROP = 10;
  private static final int CUT = 11;
  private static final int PERSIST = 12;

  private final ExplorerScenario scenario;
  private final Search search;
  private final ObjectGraph graph = new ObjectGraph(Set.of(FixedJitter.class, RoleState.Follower.class),
      Set.of(Config.class, MemoryLog.class));

  ExhaustiveExplorer(ExplorerScenario scenario, Search search) {
    this.scenario = scenario;
    this.search = search;
  }

  /** A random source that always yields the same value: each node's election timeout is T (or 2T) plus a fixed jitter. */
  static final class FixedJitter implements RandomSource {
    private final long value;

    FixedJitter(long value) {
      this.value = value;
    }

    @Override
    public long nextLong() {
      return value;
    }

    @Override
    public int nextInt(int bound) {
      return (int) Math.floorMod(value, (long) bound);
    }

    @Override
    public void nextBytes(byte[] into) {
      Arrays.fill(into, (byte) value);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The state

  /** A message in flight, with its fingerprint (computed once, when it is sent). */
  record InFlight(Message message, int sentQuantum, long fingerprint1, long fingerprint2) {}

  /** An entry seen committed, and the lowest ballot of a replica seen holding it committed. */
  record Committed(Entry entry, long ballotBound) {}

  /** A proposal acknowledged to its client by the leader of {@code ballot}. */
  record AckedProposal(long index, long entryBallot, int checksum, long ballot) {}

  static final class Host {
    final long id;
    final MemberKind kind;
    MemoryLog log = new MemoryLog();
    HardState hard;
    long appliedIndex;
    Replica replica;
    /** With pipelined persists: the Ready taken and sent, whose write is not durable yet. */
    Ready pending;
    int clockQuanta;

    Host(long id, MemberKind kind) {
      this.id = id;
      this.kind = kind;
    }

    boolean up() {
      return replica != null;
    }
  }

  final class World {
    int time;
    final Host[] hosts;
    ArrayList<InFlight> network = new ArrayList<>();
    int crashesLeft;
    int duplicatesLeft;
    int lossesLeft;
    int cutsLeft;
    /** Links (from * 8 + to) that lose every message from the moment they were cut. */
    long cutLinks;
    int proposalsLeft;
    /** Nodes (bit per id) that never restart: lost for good. */
    long goneForGood;
    /** Ghost: the leader of each ballot (0: none yet). */
    long[] leaderOfBallot;
    /** Ghost: committed entries by index - 1. */
    ArrayList<Committed> committed = new ArrayList<>();
    ArrayList<AckedProposal> acked = new ArrayList<>();

    World(int nodes) {
      hosts = new Host[nodes];
    }

    World copy() {
      World w = new World(hosts.length);
      w.time = time;
      IdentityHashMap<Object, Object> memo = new IdentityHashMap<>();
      for (int i = 0; i < hosts.length; i++) {
        Host h = hosts[i];
        Host c = new Host(h.id, h.kind);
        c.log = h.log.copy();
        memo.put(h.log, c.log);
        c.hard = h.hard;
        c.appliedIndex = h.appliedIndex;
        c.replica = graph.copy(h.replica, memo);
        c.pending = h.pending;
        c.clockQuanta = h.clockQuanta;
        w.hosts[i] = c;
      }
      w.network = new ArrayList<>(network);
      w.crashesLeft = crashesLeft;
      w.duplicatesLeft = duplicatesLeft;
      w.lossesLeft = lossesLeft;
      w.cutsLeft = cutsLeft;
      w.cutLinks = cutLinks;
      w.proposalsLeft = proposalsLeft;
      w.goneForGood = goneForGood;
      w.leaderOfBallot = leaderOfBallot.clone();
      w.committed = new ArrayList<>(committed);
      w.acked = new ArrayList<>(acked);
      return w;
    }

    Host host(long id) {
      return hosts[(int) id - 1];
    }

    long[] fingerprint() {
      ObjectGraph.Fingerprint fp = new ObjectGraph.Fingerprint();
      fp.mix(time);
      fp.mix(crashesLeft);
      fp.mix(duplicatesLeft);
      fp.mix(lossesLeft);
      fp.mix(cutsLeft);
      fp.mix(cutLinks);
      fp.mix(proposalsLeft);
      fp.mix(goneForGood);
      for (long l : leaderOfBallot) {
        fp.mix(l);
      }
      IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
      graph.fingerprint(committed, fp, seen);
      graph.fingerprint(acked, fp, seen);
      for (Host h : hosts) {
        fp.mix(h.clockQuanta);
        fp.mix(h.appliedIndex);
        graph.fingerprint(h.hard, fp, seen);
        fp.mix(h.log.firstIndex());
        graph.fingerprint(h.log.entries(), fp, seen);
        graph.fingerprint(h.replica, fp, seen);
        graph.fingerprint(h.pending, fp, seen);
      }
      // The network is a multiset: combine its messages' fingerprints commutatively.
      long a = 0;
      long b = 0;
      for (InFlight f : network) {
        a += f.fingerprint1();
        b += f.fingerprint2();
      }
      fp.mix(network.size());
      fp.mix(a);
      fp.mix(b);
      return new long[] {fp.first(), fp.second()};
    }

    int maxBallot() {
      long max = 0;
      for (Host h : hosts) {
        if (h.up()) {
          max = Math.max(max, h.replica.status().ballot());
        }
        max = Math.max(max, h.hard.ballot());
      }
      return (int) Math.min(max, Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("t=" + time);
      for (Host h : hosts) {
        b.append(" | n").append(h.id).append(" clock=").append(h.clockQuanta);
        if (!h.up()) {
          b.append(" DOWN (hard ballot ").append(h.hard.ballot()).append(" vote ").append(h.hard.votedFor())
              .append(" last ").append(h.log.lastIndex()).append(')');
          continue;
        }
        Status s = h.replica.status();
        b.append(' ').append(s.role()).append(" b").append(s.ballot()).append(" commit ").append(s.commitIndex())
            .append(" last ").append(s.lastIndex());
        if (s.serving()) {
          b.append(" SERVING until ").append(s.leaseExpiryNanos() / scenario.quantumNanos());
        }
        if (h.replica.hasReady()) {
          b.append(" (has a Ready)");
        }
      }
      b.append(" | in flight ").append(network.size());
      return b.toString();
    }
  }

  World initial() {
    List<Member> members = scenario.members();
    World w = new World(members.size());
    Membership membership = new Membership(members, List.of());
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      if (m.nodeId() != i + 1) {
        throw new IllegalArgumentException("members are nodes 1.." + members.size() + " in order");
      }
      Host h = new Host(m.nodeId(), m.kind());
      h.hard = HardState.bootstrap(membership);
      w.hosts[i] = h;
      start(h);
    }
    w.crashesLeft = scenario.crashesMax();
    w.duplicatesLeft = scenario.duplicatesMax();
    w.lossesLeft = scenario.lossesMax();
    w.cutsLeft = scenario.cutsMax();
    w.proposalsLeft = scenario.proposalsMax();
    w.leaderOfBallot = new long[scenario.ballotsMax() + 1];
    return w;
  }

  /**
   * The state the search starts from: the initial one, or — if the scenario says so — the first
   * state in which a leader serves on the path where every message arrives at once, in order, and
   * clocks tick together ({@link #prefix}).
   */
  World root() {
    World w = initial();
    for (int a : prefix()) {
      String violation = apply(w, a);
      if (violation == null) {
        violation = check(w);
      }
      if (violation != null) {
        throw new IllegalStateException("the prefix of " + scenario.name() + " violates: " + violation);
      }
    }
    w.crashesLeft = scenario.crashesMax(); // the fault budgets start at the root
    for (Host h : w.hosts) {
      if (!h.up()) {
        w.goneForGood |= 1L << h.id; // the leader crashed at the start: its node is lost
      }
    }
    return w;
  }

  private int[] prefixActions;
  /** A violation on the fault-free path itself (its last action caused it), or null. */
  private String prefixViolation;
  /** True time at the root: the horizon counts from there. */
  private int rootTime;

  /** The actions from the initial state to the root: none, or a fault-free run until a leader serves. */
  int[] prefix() {
    if (prefixActions != null) {
      return prefixActions;
    }
    IntArray path = new IntArray();
    if (scenario.startWithServingLeader()) {
      World w = initial();
      for (int step = 0; !quietWithServingLeader(w); step++) {
        if (step > 10_000) {
          throw new IllegalStateException("no leader served in the fault-free prefix of " + scenario.name());
        }
        int a = nextFaultFree(w);
        path.add(a);
        String violation;
        try {
          violation = apply(w, a);
          if (violation == null) {
            violation = check(w);
          }
        } catch (RuntimeException e) {
          violation = "the core failed: " + e;
        }
        if (violation != null) {
          prefixViolation = violation;
          break;
        }
      }
      if (scenario.crashLeaderAtStart() && prefixViolation == null) {
        for (Host h : w.hosts) {
          if (h.replica.status().serving()) {
            path.add(action(CRASH, (int) h.id));
          }
        }
      }
    }
    prefixActions = Arrays.copyOf(path.items, path.size());
    return prefixActions;
  }

  private static boolean quietWithServingLeader(World w) {
    boolean serving = false;
    for (Host h : w.hosts) {
      if (h.replica.hasReady() || h.pending != null) {
        return false;
      }
      serving |= h.replica.status().serving();
    }
    return serving && w.network.isEmpty();
  }

  /** Persist, else carry out a Ready, else deliver the oldest message, else tick the next node, else advance. */
  private int nextFaultFree(World w) {
    for (Host h : w.hosts) {
      if (h.pending != null) {
        return action(PERSIST, (int) h.id);
      }
    }
    for (Host h : w.hosts) {
      if (h.replica.hasReady()) {
        return action(READY, (int) h.id);
      }
    }
    if (!w.network.isEmpty()) {
      return action(DELIVER, 0);
    }
    for (Host h : w.hosts) {
      if (h.clockQuanta == w.time) {
        return action(TICK, (int) h.id);
      }
    }
    return action(ADVANCE, 0);
  }

  private void start(Host h) {
    long jitter = scenario.jitterNanos().get((int) h.id - 1);
    h.replica = Replica.start(scenario.config(), GROUP, h.id, h.hard, h.appliedIndex, h.log, new FixedJitter(jitter),
        h.clockQuanta * scenario.quantumNanos());
  }

  // ------------------------------------------------------------------------------------------
  // Actions

  private static int action(int kind, int arg) {
    return kind << 16 | arg;
  }

  private static int kindOf(int action) {
    return action >>> 16;
  }

  private static int argOf(int action) {
    return action & 0xFFFF;
  }

  /** The actions enabled in {@code w}, in a fixed order. */
  int[] enabled(World w) {
    int[] out = new int[8 * w.hosts.length + 3 * w.network.size() + 1 + w.hosts.length * w.hosts.length];
    int n = 0;
    if (!scenario.batchedInputs()) {
      // A host carries out the Ready of each input before the next input: only it may act (or crash).
      for (Host h : w.hosts) {
        if (h.up() && h.replica.hasReady()) {
          out[n++] = action(READY, (int) h.id);
          if (w.crashesLeft > 0) {
            out[n++] = action(CRASH, (int) h.id);
            if (!scenario.pipelinedPersist() && sendsNow(h.replica)) {
              out[n++] = action(CRASH_AFTER_SEND, (int) h.id);
            }
          }
          return Arrays.copyOf(out, n);
        }
      }
    }
    boolean allTicked = true;
    for (Host h : w.hosts) {
      int id = (int) h.id;
      if (h.up()) {
        if (h.clockQuanta == w.time) {
          out[n++] = action(TICK, id);
          allTicked = false;
        }
        if (h.pending != null) {
          out[n++] = action(PERSIST, id);
          allTicked = false; // a write started in a quantum is durable (or lost in a crash) within it
        }
        boolean hasReady = h.replica.hasReady();
        if (hasReady) {
          out[n++] = action(READY, id);
        }
        if (w.proposalsLeft > 0 && h.replica.takesProposals()) {
          out[n++] = action(PROPOSE, id);
        }
        if (w.crashesLeft > 0) {
          out[n++] = action(CRASH, id);
          if (hasReady && sendsNow(h.replica)) {
            out[n++] = action(CRASH_AFTER_SEND, id);
          }
        }
      } else if (h.clockQuanta == w.time && (w.goneForGood & (1L << id)) == 0) {
        // A node restarts in its tick's place: at any point of a quantum in which it has not ticked.
        out[n++] = action(RESTART, id);
      }
    }
    if (w.cutsLeft > 0) {
      for (Host from : w.hosts) {
        for (Host to : w.hosts) {
          int link = linkOf(from.id, to.id);
          if (from != to && (w.cutLinks & (1L << link)) == 0) {
            out[n++] = action(CUT, link);
          }
        }
      }
    }
    if (allTicked && w.time < rootTime + scenario.horizonQuanta() && expiringAtAdvance(w) <= w.lossesLeft) {
      out[n++] = action(ADVANCE, 0);
    }
    for (int k = 0; k < w.network.size(); k++) {
      if (scenario.fifoLinks() && !isHeadOfLink(w.network, k)) {
        continue;
      }
      out[n++] = action(DELIVER, k);
      if (w.duplicatesLeft > 0) {
        out[n++] = action(DUPLICATE, k);
      }
      if (w.lossesLeft > 0) {
        out[n++] = action(DROP, k);
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int linkOf(long from, long to) {
    return (int) (from * 8 + to);
  }

  /** Messages that would be lost for being late if true time advanced now. */
  private int expiringAtAdvance(World w) {
    int n = 0;
    for (InFlight f : w.network) {
      if (w.time + 1 - f.sentQuantum() > scenario.messageDelayQuantaMax()) {
        n++;
      }
    }
    return n;
  }

  /** Whether no earlier message in flight has the same sender and receiver. */
  private static boolean isHeadOfLink(List<InFlight> network, int k) {
    Message m = network.get(k).message();
    for (int i = 0; i < k; i++) {
      Message e = network.get(i).message();
      if (e.from() == m.from() && e.to() == m.to()) {
        return false;
      }
    }
    return true;
  }

  /** What an action did, in words (taken before it is applied). */
  String describe(World w, int action) {
    int arg = argOf(action);
    return switch (kindOf(action)) {
      case TICK -> "TICK n" + arg + " to " + (w.host(arg).clockQuanta + 1);
      case READY -> "READY n" + arg + " " + readySummary(w.host(arg).replica) + ": send, persist, "
          + persistSummary(w.host(arg).replica);
      case CRASH -> "CRASH n" + arg + (w.host(arg).pending != null ? " before its Ready's write is durable" : "");
      case PERSIST -> "PERSIST n" + arg + ": " + persistSummary(w.host(arg).pending);
      case CRASH_AFTER_SEND -> "CRASH n" + arg + " after sending its Ready's messages, before persisting it";
      case RESTART -> "RESTART n" + arg;
      case PROPOSE -> "PROPOSE at n" + arg;
      case ADVANCE -> "ADVANCE true time to " + (w.time + 1);
      case DELIVER -> "DELIVER " + describe(w.network.get(arg));
      case DUPLICATE -> "DUPLICATE " + describe(w.network.get(arg));
      case DROP -> "LOSE " + describe(w.network.get(arg));
      case CUT -> "CUT the link n" + arg / 8 + "->n" + arg % 8 + " (it loses everything from now on)";
      default -> "?" + action;
    };
  }

  private String readySummary(Replica r) {
    return "(taken from " + r.status().role() + " b" + r.status().ballot() + ")";
  }

  /** What the replica's next Ready holds; takes it from a copy, so the replica is unchanged. */
  private String persistSummary(Replica replica) {
    if (scenario.pipelinedPersist()) {
      return "sends " + graph.copy(replica, new IdentityHashMap<>()).ready().messages().size() + " now";
    }
    return persistSummary(graph.copy(replica, new IdentityHashMap<>()).ready());
  }

  private static String persistSummary(Ready rd) {
    StringBuilder b = new StringBuilder();
    if (!rd.messages().isEmpty()) {
      b.append("sends ").append(rd.messages().size()).append(" now ");
    }
    if (rd.hardState() != null) {
      b.append("hard{b").append(rd.hardState().ballot()).append(" vote ").append(rd.hardState().votedFor())
          .append(" commit ").append(rd.hardState().commitIndex()).append("} ");
    }
    if (!rd.entries().isEmpty()) {
      b.append("entries ").append(rd.entries()).append(' ');
    }
    if (!rd.messagesAfterPersist().isEmpty()) {
      b.append("then sends ").append(rd.messagesAfterPersist().size()).append(' ');
    }
    if (!rd.committedEntries().isEmpty()) {
      b.append("applies up to ").append(rd.committedEntries().get(rd.committedEntries().size() - 1).index())
          .append(' ');
    }
    if (!rd.acknowledged().isEmpty()) {
      b.append("acks ").append(rd.acknowledged()).append(' ');
    }
    return b.toString().trim();
  }

  private String describe(InFlight f) {
    Message m = f.message();
    String body = switch (m) {
      case VoteRequest r -> (r.preVote() ? "PreVoteRequest" : "VoteRequest") + " b" + r.ballot()
          + (r.transfer() ? " transfer" : "") + " last " + r.lastIndex() + "@" + r.lastBallot();
      case VoteResponse r -> (r.preVote() ? "PreVoteResponse" : "VoteResponse") + " b" + r.ballot()
          + (r.granted() ? " granted" : " refused");
      case AppendEntries a -> "AppendEntries b" + a.ballot() + " prev " + a.prevIndex() + "@" + a.prevBallot()
          + " " + a.entries() + " commit " + a.commitIndex() + " sent " + a.sentNanos() / scenario.quantumNanos();
      case AppendResponse r -> "AppendResponse b" + r.ballot() + (r.success() ? " ok " : " reject ") + r.index()
          + " echo " + quanta(r.echoSentNanos());
      case Heartbeat h -> "Heartbeat b" + h.ballot() + " commit " + h.commitIndex() + " sent "
          + h.sentNanos() / scenario.quantumNanos();
      case HeartbeatResponse r -> "HeartbeatResponse b" + r.ballot() + " echo " + quanta(r.echoSentNanos());
      case TimeoutNow t -> "TimeoutNow b" + t.ballot();
      default -> m.toString();
    };
    return "n" + m.from() + "->n" + m.to() + " " + body + " (sent at t=" + f.sentQuantum() + ")";
  }

  private String quanta(long nanos) {
    return nanos == Long.MIN_VALUE ? "none" : String.valueOf(nanos / scenario.quantumNanos());
  }

  /** Applies {@code action} to {@code w} (which it changes); returns a violation, or null. */
  String apply(World w, int action) {
    int arg = argOf(action);
    switch (kindOf(action)) {
      case TICK -> {
        Host h = w.host(arg);
        h.clockQuanta++;
        h.replica.tick(h.clockQuanta * scenario.quantumNanos());
      }
      case READY -> {
        // Like the host's worker loop: take the Ready, send, persist with one fsync, send what
        // waited for it, apply, advance — no input reaches this replica in between.
        Host h = w.host(arg);
        Ready rd = h.replica.ready();
        send(w, rd.messages());
        if (scenario.pipelinedPersist()) {
          h.pending = rd; // inputs may reach the replica before the write is durable
          return null;
        }
        return persist(w, h, rd);
      }
      case PERSIST -> {
        Host h = w.host(arg);
        Ready rd = h.pending;
        h.pending = null;
        return persist(w, h, rd);
      }
      case CRASH -> {
        Host h = w.host(arg);
        h.replica = null;
        h.pending = null;
        w.crashesLeft--;
      }
      case CRASH_AFTER_SEND -> {
        // The appends went out while the write was under way; the write never became durable.
        Host h = w.host(arg);
        send(w, h.replica.ready().messages());
        h.replica = null;
        w.crashesLeft--;
      }
      case RESTART -> {
        Host h = w.host(arg);
        h.clockQuanta = w.time + 1;
        start(h);
      }
      case PROPOSE -> {
        Host h = w.host(arg);
        h.replica.propose(new byte[] {(byte) w.proposalsLeft});
        w.proposalsLeft--;
      }
      case ADVANCE -> {
        w.time++;
        for (Host h : w.hosts) {
          if (!h.up()) {
            h.clockQuanta = w.time;
          }
        }
        int before = w.network.size();
        w.network.removeIf(f -> w.time - f.sentQuantum() > scenario.messageDelayQuantaMax());
        w.lossesLeft -= before - w.network.size();
      }
      case DELIVER -> deliver(w, w.network.remove(arg).message());
      case DUPLICATE -> {
        w.duplicatesLeft--;
        deliver(w, w.network.get(arg).message());
      }
      case DROP -> {
        w.lossesLeft--;
        w.network.remove(arg);
      }
      case CUT -> {
        w.cutsLeft--;
        w.cutLinks |= 1L << arg;
        w.network.removeIf(f -> linkOf(f.message().from(), f.message().to()) == arg);
      }
      default -> throw new IllegalArgumentException("action " + action);
    }
    return null;
  }

  /** Whether the replica's next Ready has messages to send before persisting (taken from a copy). */
  private boolean sendsNow(Replica replica) {
    return !graph.copy(replica, new IdentityHashMap<>()).ready().messages().isEmpty();
  }

  private void deliver(World w, Message m) {
    Host to = w.host(m.to());
    if (to.up()) {
      to.replica.receive(m);
    }
  }

  private void send(World w, List<Message> messages) {
    for (Message m : messages) {
      if ((w.cutLinks & (1L << linkOf(m.from(), m.to()))) == 0) {
        ObjectGraph.Fingerprint fp = new ObjectGraph.Fingerprint();
        fp.mix(w.time);
        graph.fingerprint(m, fp, new IdentityHashMap<>());
        w.network.add(new InFlight(m, w.time, fp.first(), fp.second()));
      }
    }
  }

  private String persist(World w, Host h, Ready rd) {
    Replica r = h.replica;
    if (rd.hardState() != null) {
      h.hard = rd.hardState();
    }
    h.log.write(rd.entries());
    if (rd.lastEntry() != null) {
      r.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
    }
    send(w, rd.messagesAfterPersist());
    if (rd.snapshotToInstall() != null) {
      return "n" + h.id + " was told to install a snapshot, but no log was ever collected";
    }
    for (Entry e : rd.committedEntries()) {
      if (h.kind == MemberKind.LOG_VOTER) {
        return "log replica n" + h.id + " was handed committed entry " + e + " to apply";
      }
      if (e.index() != h.appliedIndex + 1) {
        return "n" + h.id + " applies " + e + " after " + h.appliedIndex;
      }
      Committed c = e.index() <= w.committed.size() ? w.committed.get((int) e.index() - 1) : null;
      if (c == null || !sameEntry(c.entry(), e)) {
        return "n" + h.id + " applies " + e + " but the entry committed at that index is "
            + (c == null ? "unknown" : c.entry());
      }
      h.appliedIndex = e.index();
    }
    for (Acknowledged a : rd.acknowledged()) {
      Entry e = r.log().entry(a.index());
      w.acked.add(new AckedProposal(a.index(), e.ballot(), e.checksum(), r.status().ballot()));
    }
    if (h.appliedIndex > 0) {
      r.applied(h.appliedIndex);
    }
    r.advance(rd);
    return null;
  }

  private static boolean sameEntry(Entry a, Entry b) {
    return a.index() == b.index() && a.ballot() == b.ballot() && a.checksum() == b.checksum();
  }

  // ------------------------------------------------------------------------------------------
  // Checks

  /** Checks every invariant in {@code w}, updating its ghost state; returns a violation or null. */
  String check(World w) {
    long servingNode = 0;
    for (Host h : w.hosts) {
      if (h.kind == MemberKind.LOG_VOTER && h.appliedIndex != 0) {
        return "log replica n" + h.id + " applied up to " + h.appliedIndex;
      }
      if (!h.up()) {
        continue;
      }
      Replica r = h.replica;
      Status s = r.status();
      if (h.kind == MemberKind.LOG_VOTER && s.appliedIndex() != 0) {
        return "log replica n" + h.id + " handed out entries up to " + s.appliedIndex() + " to apply";
      }
      if (s.serving()) {
        if (servingNode != 0) {
          return "n" + servingNode + " and n" + h.id + " both serve at true time " + w.time + " (clocks "
              + w.host(servingNode).clockQuanta + " and " + h.clockQuanta + ")";
        }
        servingNode = h.id;
      }
      if (s.role() == Role.LEADER && s.ballot() < w.leaderOfBallot.length) {
        int b = (int) s.ballot();
        if (w.leaderOfBallot[b] == 0) {
          w.leaderOfBallot[b] = h.id;
        } else if (w.leaderOfBallot[b] != h.id) {
          return "two leaders in ballot " + b + ": n" + w.leaderOfBallot[b] + " and n" + h.id;
        }
      }
      LogView log = r.log();
      for (long i = 1; i <= s.commitIndex(); i++) {
        Entry e = log.entry(i);
        if (i > w.committed.size()) {
          w.committed.add(new Committed(e, s.ballot()));
          continue;
        }
        Committed c = w.committed.get((int) i - 1);
        if (!sameEntry(c.entry(), e)) {
          return "committed entry " + i + " changed: " + c.entry() + " then " + e + " on n" + h.id;
        }
        if (s.ballot() < c.ballotBound()) {
          w.committed.set((int) i - 1, new Committed(c.entry(), s.ballot()));
        }
      }
      if (s.role() == Role.LEADER) {
        for (Committed c : w.committed) {
          long i = c.entry().index();
          if (c.ballotBound() < s.ballot() && (i > log.lastIndex() || !sameEntry(c.entry(), log.entry(i)))) {
            return "leader n" + h.id + " of ballot " + s.ballot() + " lacks committed " + c.entry();
          }
        }
        for (AckedProposal a : w.acked) {
          if (a.ballot() < s.ballot() && (a.index() > log.lastIndex() || log.entry(a.index()).checksum() != a.checksum()
              || log.entry(a.index()).ballot() != a.entryBallot())) {
            return "leader n" + h.id + " of ballot " + s.ballot() + " lacks proposal acknowledged at index "
                + a.index() + " in ballot " + a.ballot();
          }
        }
      }
    }
    String quorum = checkCommittedOnAQuorum(w);
    if (quorum != null) {
      return quorum;
    }
    String promises = checkPromisesAreDurable(w);
    return promises != null ? promises : checkLogMatching(w);
  }

  /** Every entry seen committed is on the durable logs of a majority of the voters. */
  private String checkCommittedOnAQuorum(World w) {
    int voters = 0;
    for (Host h : w.hosts) {
      voters += h.kind.votes() ? 1 : 0;
    }
    for (Committed c : w.committed) {
      long i = c.entry().index();
      int stored = 0;
      for (Host h : w.hosts) {
        if (h.kind.votes() && h.log.lastIndex() >= i && sameEntry(h.log.entry(i), c.entry())) {
          stored++;
        }
      }
      if (stored < voters / 2 + 1) {
        return "committed " + c.entry() + " is durable on " + stored + " of " + voters + " voters only";
      }
    }
    return null;
  }

  /**
   * A vote or an acknowledgement in flight is a promise: its sender's durable state must already
   * back it (the vote recorded, or a later ballot; the acknowledged entries stored).
   */
  private String checkPromisesAreDurable(World w) {
    for (InFlight f : w.network) {
      Message m = f.message();
      Host from = w.host(m.from());
      HardState hard = from.hard;
      if (m instanceof VoteResponse v && v.granted() && !v.preVote()) {
        if (hard.ballot() < v.ballot() || (hard.ballot() == v.ballot() && hard.votedFor() != v.to())) {
          return "n" + from.id + " granted its vote in ballot " + v.ballot() + " to n" + v.to()
              + " but its durable state says ballot " + hard.ballot() + " vote " + hard.votedFor();
        }
      }
      if (m instanceof AppendResponse a && a.success() && hard.ballot() == a.ballot()
          && from.log.lastIndex() < a.index()) {
        return "n" + from.id + " acknowledged entries up to " + a.index() + " in ballot " + a.ballot()
            + " but its durable log ends at " + from.log.lastIndex();
      }
    }
    return null;
  }

  /** Two logs with an entry of the same index and ballot are identical up to it. */
  private String checkLogMatching(World w) {
    for (int x = 0; x < w.hosts.length; x++) {
      for (int y = x + 1; y < w.hosts.length; y++) {
        Host a = w.hosts[x];
        Host b = w.hosts[y];
        if (!a.up() || !b.up()) {
          continue;
        }
        LogView la = a.replica.log();
        LogView lb = b.replica.log();
        long last = Math.min(la.lastIndex(), lb.lastIndex());
        boolean agreeAbove = false;
        for (long i = last; i >= 1; i--) {
          Entry ea = la.entry(i);
          Entry eb = lb.entry(i);
          if (agreeAbove && !sameEntry(ea, eb)) {
            return "logs of n" + a.id + " and n" + b.id + " agree at a later index but differ at " + i;
          }
          if (ea.ballot() == eb.ballot()) {
            if (!sameEntry(ea, eb)) {
              return "n" + a.id + " and n" + b.id + " hold different entries " + ea + " / " + eb;
            }
            agreeAbove = true;
          }
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------
  // The search

  /** What an exploration found. */
  record Result(
      ExplorerScenario scenario,
      long states,
      long transitions,
      int maxDepth,
      long prunedAtBallotBound,
      boolean exhausted,
      String violation,
      List<String> trace,
      Coverage coverage) {

    String summary() {
      return scenario.name() + ": " + states + " states, " + transitions + " transitions, depth <= " + maxDepth
          + ", " + prunedAtBallotBound + " states past the ballot bound, "
          + (exhausted ? "exhausted" : "NOT exhausted") + "; " + coverage
          + (violation == null ? "" : "\nVIOLATION: " + violation);
    }
  }

  /** How much of the interesting behaviour the bounded scenario reached (so a vacuous run fails its test). */
  static final class Coverage {
    long statesServing;
    long statesWithCrashedNode;
    long crashesLosingAWrite;
    long statesAfterProposalAcknowledged;
    int highestBallotWithLeader;
    /** New states by the true time they are at (the last slot counts later times too). */
    final long[] byTime = new long[64];
    long statesWithTwoBallotsLed;

    @Override
    public String toString() {
      return "serving in " + statesServing + ", a node down in " + statesWithCrashedNode + ", crashes losing a sent Ready's write "
          + crashesLosingAWrite + ", a proposal acknowledged in " + statesAfterProposalAcknowledged
          + ", two ballots led in " + statesWithTwoBallotsLed + ", highest ballot with a leader "
          + highestBallotWithLeader + "; new states by true time " + byTimeText();
    }

    private String byTimeText() {
      int last = byTime.length - 1;
      while (last > 0 && byTime[last] == 0) {
        last--;
      }
      StringBuilder b = new StringBuilder();
      for (int t = 0; t <= last; t++) {
        if (byTime[t] > 0) {
          b.append(b.isEmpty() ? "" : " ").append(t).append(':').append(byTime[t]);
        }
      }
      return b.toString();
    }

    void count(World w) {
      boolean serving = false;
      boolean down = false;
      for (Host h : w.hosts) {
        down |= !h.up();
        serving |= h.up() && h.replica.status().serving();
      }
      int led = 0;
      for (int b = 1; b < w.leaderOfBallot.length; b++) {
        if (w.leaderOfBallot[b] != 0) {
          led++;
          highestBallotWithLeader = Math.max(highestBallotWithLeader, b);
        }
      }
      statesServing += serving ? 1 : 0;
      statesWithCrashedNode += down ? 1 : 0;
      statesAfterProposalAcknowledged += w.acked.isEmpty() ? 0 : 1;
      statesWithTwoBallotsLed += led >= 2 ? 1 : 0;
    }
  }

  private record Pending(World world, int id, int depth) {}

  Result explore() {
    FingerprintSet visited = new FingerprintSet();
    IntArray parents = new IntArray();
    IntArray actions = new IntArray();
    Coverage coverage = new Coverage();
    int[] prefix = prefix();
    if (prefixViolation != null) {
      // Even the fault-free run breaks an invariant: report that path.
      return new Result(scenario, prefix.length, prefix.length, prefix.length, 0, false, prefixViolation,
          traceFromInitial(prefix), new Coverage());
    }
    World root = root();
    rootTime = root.time;
    String rootViolation = check(root);
    if (rootViolation != null) {
      return new Result(scenario, 1, 0, 0, 0, false, rootViolation, List.of("initial state: " + root), coverage);
    }
    long[] fp = root.fingerprint();
    visited.add(fp[0], fp[1]);
    parents.add(-1);
    actions.add(0);
    coverage.count(root);
    ArrayDeque<Pending> work = new ArrayDeque<>();
    work.add(new Pending(root, 0, 0));
    long transitions = 0;
    long pruned = 0;
    int maxDepth = 0;
    while (!work.isEmpty()) {
      Pending p = search == Search.BREADTH_FIRST ? work.pollFirst() : work.pollLast();
      for (int a : enabled(p.world())) {
        transitions++;
        World next = p.world().copy();
        String violation;
        try {
          violation = apply(next, a);
          if (violation == null) {
            violation = check(next);
          }
        } catch (RuntimeException e) {
          violation = "the core failed: " + e;
        }
        if (violation != null) {
          return new Result(scenario, visited.size(), transitions, Math.max(maxDepth, p.depth() + 1), pruned, false,
              violation, trace(parents, actions, p.id(), a), coverage);
        }
        long[] h = next.fingerprint();
        if (!visited.add(h[0], h[1])) {
          continue;
        }
        if (kindOf(a) == CRASH_AFTER_SEND) {
          coverage.crashesLosingAWrite++;
        }
        int id = parents.size();
        parents.add(p.id());
        actions.add(a);
        coverage.count(next);
        coverage.byTime[Math.min(next.time, coverage.byTime.length - 1)]++;
        maxDepth = Math.max(maxDepth, p.depth() + 1);
        if (visited.size() >= scenario.statesMax()) {
          return new Result(scenario, visited.size(), transitions, maxDepth, pruned, false, null, List.of(), coverage);
        }
        if (next.maxBallot() > scenario.ballotsMax() || next.network.size() > scenario.inFlightMax()) {
          pruned++;
          continue;
        }
        work.add(new Pending(next, id, p.depth() + 1));
      }
    }
    return new Result(scenario, visited.size(), transitions, maxDepth, pruned, true, null, List.of(), coverage);
  }

  /** Describes the fault-free path from the initial state, up to the action that broke an invariant. */
  private List<String> traceFromInitial(int[] path) {
    List<String> out = new ArrayList<>();
    World w = initial();
    out.add("     " + w);
    for (int step = 0; step < path.length; step++) {
      String what = describe(w, path[step]);
      String violation;
      try {
        violation = apply(w, path[step]);
        if (violation == null) {
          violation = check(w);
        }
      } catch (RuntimeException e) {
        violation = "the core failed: " + e;
      }
      out.add(String.format("%3d. %s%n     %s", step + 1, what, w));
      if (violation != null) {
        out.add("     VIOLATION: " + violation);
      }
    }
    return out;
  }

  /** Replays the path to a state and the action from it, describing every step. */
  private List<String> trace(IntArray parents, IntArray actions, int id, int last) {
    ArrayList<Integer> path = new ArrayList<>();
    path.add(last);
    for (int at = id; parents.get(at) >= 0; at = parents.get(at)) {
      path.add(actions.get(at));
    }
    java.util.Collections.reverse(path);
    List<String> out = new ArrayList<>();
    World w = root();
    out.add("     " + (prefix().length == 0 ? "" : "after a fault-free prefix of " + prefix().length + " steps: ") + w);
    for (int step = 0; step < path.size(); step++) {
      int a = path.get(step);
      String what = describe(w, a);
      String violation;
      try {
        violation = apply(w, a);
        if (violation == null) {
          violation = check(w);
        }
      } catch (RuntimeException e) {
        violation = "the core failed: " + e;
      }
      out.add(String.format("%3d. %s%n     %s", step + 1, what, w));
      if (violation != null) {
        out.add("     VIOLATION: " + violation);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------

  /** An open-addressing set of 128-bit fingerprints. */
  static final class FingerprintSet {
    private long[] a = new long[1 << 16];
    private long[] b = new long[1 << 16];
    private boolean[] used = new boolean[1 << 16];
    private int size;

    int size() {
      return size;
    }

    boolean add(long x, long y) {
      if (2 * (size + 1) > a.length) {
        grow();
      }
      return insert(x, y);
    }

    private boolean insert(long x, long y) {
      int mask = a.length - 1;
      int i = (int) (x ^ (x >>> 32)) & mask;
      while (used[i]) {
        if (a[i] == x && b[i] == y) {
          return false;
        }
        i = (i + 1) & mask;
      }
      used[i] = true;
      a[i] = x;
      b[i] = y;
      size++;
      return true;
    }

    private void grow() {
      long[] oa = a;
      long[] ob = b;
      boolean[] ou = used;
      a = new long[oa.length * 2];
      b = new long[oa.length * 2];
      used = new boolean[oa.length * 2];
      size = 0;
      for (int i = 0; i < oa.length; i++) {
        if (ou[i]) {
          insert(oa[i], ob[i]);
        }
      }
    }
  }

  /** A growable int array. */
  static final class IntArray {
    int[] items = new int[1 << 12];
    private int size;

    void add(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    int get(int i) {
      return items[i];
    }

    int size() {
      return size;
    }
  }
}
