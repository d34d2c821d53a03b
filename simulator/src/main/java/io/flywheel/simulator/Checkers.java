package io.flywheel.simulator;

import io.flywheel.replication.Entry;
import io.flywheel.replication.Member;
import io.flywheel.replication.MemberKind;
import io.flywheel.replication.Membership;
import io.flywheel.replication.Message;
import io.flywheel.replication.Ready;
import io.flywheel.replication.Role;
import io.flywheel.replication.Status;
import java.util.List;
import java.util.TreeMap;

/**
 * The safety checkers, run after every event on the node it touched (and at the send of every
 * message). Each has a name that a failure reports:
 *
 * <ul>
 *   <li><b>one leaseholder</b>: at no instant of true time do two replicas hold a serving lease. A
 *       replica that serves from true time {@code s} holds its lease until its lease expiry on its
 *       own clock, mapped to true time, or until it stops serving; a replica starting to serve while
 *       another's lease runs fails.
 *   <li><b>one leader per ballot</b>: two replicas never lead the same ballot.
 *   <li><b>quorum-durable commit</b>: when a leader's commit index advances, every newly committed
 *       entry is in the fsynced log of a majority of the voters of its configuration (of each half
 *       when joint) — DESIGN.md §4's definition of acknowledged.
 *   <li><b>committed entries never change</b>: every entry any replica knows committed is the same
 *       entry at that index on every replica, forever.
 *   <li><b>applied logs agree</b>: replicas apply the same entry at every index.
 *   <li><b>durable before promised</b>: a granted vote leaves a node only once its hard state records
 *       that vote durably; an append acknowledgement only once those entries are durable.
 *   <li><b>ready contract</b>: a log replica is never handed entries to apply; Readies are finished in
 *       order.
 *   <li><b>acknowledged command applied</b>: the entry applied at an acknowledged proposal's index is
 *       that proposal.
 * </ul>
 *
 * The end-of-run checks (linearizability, nothing acknowledged lost, convergence, liveness) are in
 * {@link Simulation}.
 */
final class Checkers {
  /** A checker failed: the run stops here. */
  static final class Violation extends RuntimeException {
    final String checker;

    Violation(String checker, String detail) {
      this(checker, detail, null);
    }

    Violation(String checker, String detail, Throwable cause) {
      super(checker + ": " + detail, cause);
      this.checker = checker;
    }
  }

  private final Simulation sim;
  /** Index -> checksum of the entry known committed there (and its ballot). */
  private final LongTable committed = new LongTable();
  private final LongTable committedBallot = new LongTable();
  /** Index -> checksum of the entry applied there. */
  private final LongTable applied = new LongTable();
  private final TreeMap<Long, Long> leaderOfBallot = new TreeMap<>();
  private long highestAcknowledged;
  private final LongTable acknowledged = new LongTable();

  /** Whether the checkers that look inside replicas run (see {@link Simulation.Options#protocolCheckers()}). */
  private final boolean protocol;

  Checkers(Simulation sim, boolean protocol) {
    this.sim = sim;
    this.protocol = protocol;
  }

  void check(boolean ok, String checker, String detail) {
    if (!ok) {
      throw new Violation(checker, detail);
    }
  }

  private long logReplicaLeaderships;

  /** Ballots a log replica led (it must hand leadership to a full replica). */
  long logReplicaLeaderships() {
    return logReplicaLeaderships;
  }

  long leadersElected() {
    return leaderOfBallot.size();
  }

  long highestAcknowledged() {
    return highestAcknowledged;
  }

  /** The checksum of the entry acknowledged at {@code index}, or 0. */
  long acknowledgedAt(long index) {
    return acknowledged.get(index);
  }

  long committedAt(long index) {
    return committed.get(index);
  }

  void afterEvent(SimNode n) {
    if (!n.alive) {
      return;
    }
    Status st = n.status();
    long now = sim.events.nowNanos();
    sim.noteServingState(n, st.serving());
    if (!protocol) {
      return;
    }
    // One leader per ballot.
    if (st.role() == Role.LEADER) {
      Long other = leaderOfBallot.putIfAbsent(st.ballot(), n.id);
      if (other == null && st.membership().kindInMembers(n.id) == MemberKind.LOG_VOTER) {
        logReplicaLeaderships++;
      }
      check(other == null || other == n.id, "one leader per ballot",
          "nodes " + other + " and " + n.id + " both lead ballot " + st.ballot());
    }
    // One leaseholder at a time, in true time: this replica's serving interval (from when it began
    // serving to its lease expiry mapped to true time) overlaps no other replica's latest one.
    if (st.serving()) {
      if (!n.servingNow) {
        n.servingNow = true;
        n.servingSinceTrueNanos = now;
        n.leaseEndTrueNanos = now;
      }
      n.leaseEndTrueNanos = Math.max(n.leaseEndTrueNanos, n.clock.trueAt(st.leaseExpiryNanos()));
      for (SimNode o : sim.nodes()) {
        check(o == n || o.leaseEndTrueNanos <= n.servingSinceTrueNanos
                || o.servingSinceTrueNanos >= n.leaseEndTrueNanos, "one leaseholder",
            "node " + n.id + " serves from " + n.servingSinceTrueNanos + " while node " + o.id + "'s lease runs from "
                + o.servingSinceTrueNanos + " until " + o.leaseEndTrueNanos + " (true time)");
      }
    } else if (n.servingNow) {
      n.servingNow = false;
      n.leaseEndTrueNanos = Math.min(n.leaseEndTrueNanos, now);
    }
    // Commits: quorum-durable on the leader, and never changing anywhere.
    long commit = st.commitIndex();
    if (st.role() == Role.LEADER && commit > n.commitSeen) {
      for (long i = n.commitSeen + 1; i <= commit; i++) {
        checkQuorumDurable(n, st.membership(), i);
      }
    }
    n.commitSeen = commit;
  }

  /**
   * Right after a Ready's write (or a Ready with nothing to write) the host's log is exactly the
   * replica's log, so every entry up to its commit index can be compared with what was committed
   * before. (In between, the host's log may still hold a suffix the replica has already replaced.)
   */
  void afterWrite(SimNode n) {
    if (!protocol) {
      return;
    }
    long commit = n.status().commitIndex();
    var log = n.disk.visibleLog();
    long upTo = Math.min(commit, log.lastIndex());
    for (long i = Math.max(n.commitChecked + 1, log.firstIndex()); i <= upTo; i++) {
      Entry e = log.entry(i);
      long known = committed.get(i);
      if (known == 0) {
        committed.put(i, key(e));
        committedBallot.put(i, e.ballot());
      } else {
        check(known == key(e), "committed entries never change", "node " + n.id + " has " + e + " committed at " + i
            + " but ballot " + committedBallot.get(i) + "'s entry was committed there before");
      }
    }
    n.commitChecked = Math.max(n.commitChecked, upTo);
  }

  private void checkQuorumDurable(SimNode leader, Membership m, long index) {
    var log = leader.disk.visibleLog();
    if (index < log.firstIndex()) {
      return;
    }
    Entry e = log.entry(index);
    check(majorityHolds(m.members(), e) && (m.outgoing().isEmpty() || majorityHolds(m.outgoing(), e)),
        "quorum-durable commit", "leader " + leader.id + " committed " + e + " which is fsynced on no majority of "
            + m + durableSummary(e));
  }

  private boolean majorityHolds(List<Member> config, Entry e) {
    int voters = 0;
    int holding = 0;
    for (Member mem : config) {
      if (!mem.kind().votes()) {
        continue;
      }
      voters++;
      SimNode n = sim.node(mem.nodeId());
      if (n != null && n.disk.durablyHolds(e.index(), e.ballot(), e.checksum())) {
        holding++;
      }
    }
    return voters == 0 || holding > voters / 2;
  }

  private String durableSummary(Entry e) {
    StringBuilder b = new StringBuilder(" (durable holders:");
    for (SimNode n : sim.nodes()) {
      if (n.disk.durablyHolds(e.index(), e.ballot(), e.checksum())) {
        b.append(' ').append(n.id);
      }
    }
    return b.append(')').toString();
  }

  void nodeStopped(SimNode n) {
    if (n.servingNow) {
      n.servingNow = false;
      n.leaseEndTrueNanos = Math.min(n.leaseEndTrueNanos, sim.events.nowNanos());
    }
  }

  void onReady(SimNode n, Ready rd) {
    if (protocol && !rd.committedEntries().isEmpty()) {
      MemberKind kind = n.status().membership().kindInMembers(n.id);
      check(kind != MemberKind.LOG_VOTER, "ready contract",
          "log replica " + n.id + " was handed " + rd.committedEntries().size() + " committed entries to apply");
    }
  }

  void onSend(SimNode n, Message m) {
    if (!protocol) {
      return;
    }
    switch (m) {
      case Message.VoteResponse v when v.granted() && !v.preVote() -> {
        var hard = n.disk.durableHardState();
        check(hard.ballot() > v.ballot() || (hard.ballot() == v.ballot() && hard.votedFor() == v.to()),
            "durable before promised", "node " + n.id + " grants its vote in ballot " + v.ballot() + " to " + v.to()
                + " but its durable hard state is " + hard);
      }
      case Message.AppendResponse a when a.success() -> {
        // The host's log is the replica's as of its last Ready; the acknowledged entry must be that
        // entry, durably (or collected below a floor or a snapshot, hence committed).
        var log = n.disk.visibleLog();
        long i = a.index();
        boolean durable = i < log.firstIndex() ? i < n.disk.durableLog().firstIndex()
            : i <= log.lastIndex() && n.disk.durablyHolds(i, log.entry(i).ballot(), log.entry(i).checksum());
        check(durable, "durable before promised", "node " + n.id + " acknowledges entries up to " + i
            + " before they are durable (durable log ends at " + n.disk.durableLog().lastIndex() + ")");
      }
      default -> {}
    }
  }

  void onApply(SimNode n, Entry e) {
    sim.trace.record(Trace.APPLY, n.id, e.index(), e.checksum());
    if (!protocol) {
      return;
    }
    long k = key(e);
    long known = applied.get(e.index());
    if (known == 0) {
      applied.put(e.index(), k);
    } else {
      check(known == k, "applied logs agree", "node " + n.id + " applies " + e + " where another replica applied "
          + "a different entry");
    }
    long c = committed.get(e.index());
    check(c == 0 || c == k, "committed entries never change", "node " + n.id + " applies " + e
        + " but another entry was committed at that index");
  }

  void onAcknowledged(Entry e) {
    acknowledged.put(e.index(), key(e));
    highestAcknowledged = Math.max(highestAcknowledged, e.index());
  }

  /** A nonzero identity of an entry: its ballot and checksum. */
  static long key(Entry e) {
    return (e.ballot() << 32 | (e.checksum() & 0xFFFFFFFFL)) | 1L << 62;
  }

  /** A growable long array by index (0: unknown), bounded by memory of a run. */
  static final class LongTable {
    private long[] values = new long[1024];

    long get(long index) {
      return index < values.length && index >= 0 ? values[(int) index] : 0;
    }

    void put(long index, long v) {
      if (index >= values.length) {
        io.flywheel.base.Invariants.check(index < 1 << 26, "log index within the simulator's bound");
        values = java.util.Arrays.copyOf(values, (int) Math.max(values.length * 2L, index + 1));
      }
      values[(int) index] = v;
    }
  }
}
