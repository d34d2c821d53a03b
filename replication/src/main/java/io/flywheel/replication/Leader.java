package io.flywheel.replication;

import io.flywheel.base.Bytes;
import io.flywheel.base.Invariants;
import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.Heartbeat;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.InstallSnapshot;
import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Rejection.RequestKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader role of one {@link Replica}: replication to each peer with flow control, commit by
 * quorum of the current ballot, the lease, proposals and reads, membership changes, and handing
 * leadership over (on request, or because a log replica or a removed replica leads).
 *
 * <p>Per peer, a {@link Progress} is in one of three modes: {@code PROBE} (one append at a time
 * until the follower's log is found to match), {@code PIPELINE} (up to {@link
 * Config#inflightAppendsMax()} appends in flight) or {@code SNAPSHOT} (waiting for the follower to
 * install a snapshot). Lost messages are recovered by retry timers, not by trusting the network.
 *
 * <p>The lease: each acknowledgement echoes the leader-clock time its request was sent; the lease
 * runs until the latest time a quorum has acknowledged, plus {@code D - ε}. The leader serves (reads
 * and writes) only while {@link #isServing()}: the lease holds, no transfer is under way, it is a
 * full voter of the configuration in force, an entry of its ballot is committed, and the old
 * leader's lease must have expired ({@code servingFromNanos}).
 */
final class Leader implements RoleState {
  enum Mode {
    PROBE,
    PIPELINE,
    SNAPSHOT
  }

  /** What the leader knows of one peer's log, and of its acknowledgements. */
  static final class Progress {
    final long nodeId;
    long match;
    long next;
    Mode mode = Mode.PROBE;
    boolean probeSent;
    long snapshotIndex;
    /** Latest leader-clock send time of a request this peer acknowledged (for the lease). */
    long lastAckedSentNanos = Long.MIN_VALUE;
    /** The highest commit index this peer was told it may apply (by an append or a heartbeat). */
    long toldCommit;
    /** When this peer last answered anything (for CheckQuorum). */
    long lastResponseNanos;
    /** When the oldest unanswered append, probe or snapshot was sent (for retries). */
    long waitingSinceNanos;
    /** Last indexes of the appends in flight (PIPELINE), oldest first; allocated on first use. */
    LongQueue inflight;

    Progress(long nodeId, long next, long nowNanos) {
      this.nodeId = nodeId;
      this.next = next;
      this.lastResponseNanos = nowNanos;
    }

    int inflightCount() {
      return inflight == null ? 0 : inflight.size();
    }

    void clearInflight() {
      if (inflight != null) {
        inflight.clear();
      }
    }

    boolean awaitingAnswer() {
      return switch (mode) {
        case PROBE -> probeSent;
        case PIPELINE -> inflightCount() > 0;
        case SNAPSHOT -> true;
      };
    }

    void probeFrom(long nextIndex) {
      mode = Mode.PROBE;
      probeSent = false;
      next = nextIndex;
      clearInflight();
    }
  }

  private final Replica r;
  private final Config config;
  private final boolean byTransfer;
  private final long electedNanos;
  /** The old leader's lease must have expired by then (or was handed over). */
  private final long servingFromNanos;
  /** The index of this leader's first (NOOP) entry; serving waits for it to commit. */
  private long ballotStartIndex;
  private Progress[] peers = new Progress[0];
  private long nextHeartbeatNanos;
  private long lastHeartbeatNanos;
  /** Proposals appended and not yet committed: ids and indexes, in index order. Lazy. */
  private LongQueue proposalIds;
  private LongQueue proposalIndexes;
  /** Reads held until this new leader may serve. Lazy. */
  private LongQueue waitingReads;
  private long transferTarget = Replica.NO_NODE;
  private long transferStartNanos;
  private boolean timeoutNowSent;
  /** The transfer was started by the core (log replica or removed leader), not by the host. */
  private boolean handOff;

  Leader(Replica r, boolean byTransfer, long servingFromNanos) {
    this.r = r;
    this.config = r.config();
    this.byTransfer = byTransfer;
    this.electedNanos = r.now();
    this.servingFromNanos = servingFromNanos;
  }

  @Override
  public Role role() {
    return Role.LEADER;
  }

  boolean electedByTransfer() {
    return byTransfer;
  }

  /** Called once the replica has switched to this role: the NOOP entry, peers, first heartbeat. */
  void start() {
    rebuildPeers();
    ballotStartIndex = r.appendOwn(EntryKind.NOOP, Bytes.EMPTY).index();
    for (Progress p : peers) {
      p.next = ballotStartIndex;
    }
    nextHeartbeatNanos = Replica.saturatingAdd(electedNanos, config.heartbeatIntervalNanos());
    lastHeartbeatNanos = electedNanos;
    maybeCommit(); // a single voter commits alone once its entry is durable
  }

  // ------------------------------------------------------------------------------------------
  // Time

  void tick() {
    long now = r.now();
    // CheckQuorum: a leader that heard from no quorum for an election timeout steps down.
    long heard = QuorumTracker.quorumValue(r.membership(), node -> node == r.self() ? now : lastResponseOf(node));
    if (heard != Long.MAX_VALUE && (heard == Long.MIN_VALUE || now - heard >= config.electionTimeoutNanos())) {
      r.becomeFollower(r.ballot(), Replica.NO_NODE);
      return;
    }
    if (transferTarget != Replica.NO_NODE && now - transferStartNanos >= config.electionTimeoutNanos()) {
      if (handOff) {
        clearTransfer(); // try again, perhaps with another target
      } else if (timeoutNowSent) {
        // It handed its lease over: it may never serve in this ballot again.
        r.becomeFollower(r.ballot(), Replica.NO_NODE);
        return;
      } else {
        clearTransfer(); // the target never caught up: resume serving
      }
    }
    boolean idle = idle();
    if (!idle) { // activity resumed: back to the busy cadence, counted from the last round
      nextHeartbeatNanos = Math.min(nextHeartbeatNanos, Replica.saturatingAdd(lastHeartbeatNanos, config.heartbeatIntervalNanos()));
    }
    if (now >= nextHeartbeatNanos) {
      for (Progress p : peers) {
        long commit = Math.min(r.commitIndex(), p.match);
        r.sendNow(MessageCodec.seal(new Heartbeat(r.groupIdValue(), r.self(), p.nodeId, r.ballot(), commit, now, 0)));
        p.toldCommit = Math.max(p.toldCommit, commit);
      }
      lastHeartbeatNanos = now;
      nextHeartbeatNanos = Replica.saturatingAdd(now, idle ? config.idleHeartbeatIntervalNanos() : config.heartbeatIntervalNanos());
    }
    for (Progress p : peers) {
      long retry = p.mode == Mode.SNAPSHOT ? config.snapshotRetryNanos() : config.appendRetryNanos();
      if (p.awaitingAnswer() && now - p.waitingSinceNanos >= retry) {
        // Lost, or slow: send again. A probe retries its guess; otherwise restart after the match.
        p.probeFrom(p.mode == Mode.PROBE ? p.next : p.match + 1);
      }
    }
    maybeHandOff();
    releaseWaitingReads();
  }

  // ------------------------------------------------------------------------------------------
  // Replication

  /** Sends what flow control allows to every peer (called when a Ready is taken: batches a loop's proposals). */
  void flush() {
    for (Progress p : peers) {
      sendAppends(p);
    }
  }

  boolean hasAppendsToSend() {
    long last = r.log().lastIndex();
    for (Progress p : peers) {
      switch (p.mode) {
        case PROBE -> {
          if (!p.probeSent && p.match < last) {
            return true;
          }
        }
        case PIPELINE -> {
          if (p.next <= last && p.inflightCount() < config.inflightAppendsMax()) {
            return true;
          }
        }
        case SNAPSHOT -> {}
      }
    }
    return false;
  }

  private void sendAppends(Progress p) {
    long last = r.log().lastIndex();
    switch (p.mode) {
      case PROBE -> {
        if (!p.probeSent && p.match < last) {
          sendAppend(p, false);
        }
      }
      case PIPELINE -> {
        int sent = 0;
        while (p.mode == Mode.PIPELINE && p.next <= last && p.inflightCount() < config.inflightAppendsMax()) {
          Invariants.check(sent++ <= config.inflightAppendsMax(), "a pipeline send loop ends");
          sendAppend(p, true);
        }
      }
      case SNAPSHOT -> {}
    }
  }

  private void sendAppend(Progress p, boolean pipeline) {
    LogView log = r.log();
    long prev = p.next - 1;
    long prevBallot = log.ballotAt(prev);
    if (prevBallot == LogView.UNKNOWN || p.next < log.firstIndex()) {
      sendSnapshot(p);
      return;
    }
    List<Entry> entries = log.slice(p.next, log.lastIndex(), config.appendEntriesMax(), config.appendBytesMax());
    r.sendNow(MessageCodec.seal(new AppendEntries(r.groupIdValue(), r.self(), p.nodeId, r.ballot(), prev, prevBallot,
        entries, r.commitIndex(), r.now(), 0)));
    p.toldCommit = Math.max(p.toldCommit, Math.min(r.commitIndex(), prev + entries.size()));
    if (!p.awaitingAnswer()) {
      p.waitingSinceNanos = r.now();
    }
    if (pipeline) {
      Invariants.check(!entries.isEmpty(), "a pipelined append carries entries");
      if (p.inflight == null) {
        p.inflight = new LongQueue(config.inflightAppendsMax(), 2);
      }
      long lastSent = entries.get(entries.size() - 1).index();
      p.inflight.add(lastSent);
      p.next = lastSent + 1;
    } else {
      p.probeSent = true;
    }
  }

  private void sendSnapshot(Progress p) {
    long index = r.appliedHandedIndex();
    LogView log = r.log();
    // A log replica has no state to send; a full replica names its applied state once that covers
    // the committed configuration (so the snapshot's membership is exact).
    if (!r.appliesSelf() || index < r.committedMembershipIndex() || index < log.firstIndex() - 1) {
      p.probeFrom(p.next);
      p.probeSent = true; // wait for the retry timer, then look again
      p.waitingSinceNanos = r.now();
      return;
    }
    long snapshotBallot = log.ballotAt(index);
    Invariants.check(snapshotBallot != LogView.UNKNOWN, "the ballot at the applied index is known");
    r.sendNow(MessageCodec.seal(new InstallSnapshot(r.groupIdValue(), r.self(), p.nodeId, r.ballot(), index,
        snapshotBallot, r.committedMembership(), r.now(), 0)));
    p.mode = Mode.SNAPSHOT;
    p.snapshotIndex = index;
    p.clearInflight();
    p.waitingSinceNanos = r.now();
  }

  void onAppendResponse(AppendResponse m) {
    Progress p = progress(m.from());
    if (p == null) {
      return;
    }
    noteAcknowledgement(p, m.echoSentNanos());
    if (m.success()) {
      if (m.index() > p.match) {
        p.match = m.index();
        p.waitingSinceNanos = r.now();
      }
      if (p.next <= p.match) {
        p.next = p.match + 1;
      }
      if (p.inflight != null) {
        while (!p.inflight.isEmpty() && p.inflight.peek() <= p.match) {
          p.inflight.poll();
        }
      }
      switch (p.mode) {
        case PROBE -> {
          p.mode = Mode.PIPELINE;
          p.probeSent = false;
          p.next = p.match + 1;
        }
        case SNAPSHOT -> {
          if (p.match >= p.snapshotIndex) {
            p.mode = Mode.PIPELINE;
            p.next = p.match + 1;
          }
        }
        case PIPELINE -> {}
      }
      maybeCommit();
      maybeSendTimeoutNow();
    } else {
      boolean stale = switch (p.mode) {
        case PIPELINE -> m.index() <= p.match;
        case PROBE -> m.index() != p.next - 1;
        case SNAPSHOT -> true;
      };
      if (!stale) {
        long next = nextFromHint(m.hintIndex(), m.hintBallot());
        p.probeFrom(Math.max(p.match + 1, Math.min(next, m.index())));
      }
    }
    releaseWaitingReads();
  }

  void onHeartbeatResponse(HeartbeatResponse m) {
    Progress p = progress(m.from());
    if (p == null) {
      return;
    }
    noteAcknowledgement(p, m.echoSentNanos());
    if (p.mode == Mode.PROBE) {
      p.probeSent = false; // the peer is reachable: probe again now rather than at the retry timer
    } else if (p.mode == Mode.PIPELINE && p.inflightCount() > 0 && m.echoSentNanos() > p.waitingSinceNanos) {
      // It answered a heartbeat sent after an append it has not answered: over one ordered
      // connection that append was lost. Restart after the match instead of waiting for the retry.
      p.probeFrom(p.match + 1);
    }
    releaseWaitingReads();
  }

  private void noteAcknowledgement(Progress p, long echoSentNanos) {
    long now = r.now();
    p.lastResponseNanos = now;
    // Only requests this leader sent in its ballot count (an echo from before it was elected, or a
    // stale answer's MIN_VALUE, is no promise to it).
    if (echoSentNanos >= electedNanos && echoSentNanos <= now && echoSentNanos > p.lastAckedSentNanos) {
      p.lastAckedSentNanos = echoSentNanos;
    }
  }

  /** Fast backtracking: the entry after the last one of this log whose ballot is at most the follower's hint. */
  private long nextFromHint(long hintIndex, long hintBallot) {
    LogView log = r.log();
    long i = Math.min(hintIndex, log.lastIndex());
    while (i > 0) {
      long b = log.ballotAt(i);
      if (b == LogView.UNKNOWN || b <= hintBallot) {
        break;
      }
      i--;
    }
    return i + 1;
  }

  /** Commits the highest index a quorum stores, if it is of this ballot (earlier ballots commit only through it). */
  void maybeCommit() {
    long self = r.self();
    // Only entries the host reported fsynced count for this replica (the planted bug counts them at append).
    long durable = config.planted(PlantedBug.ACK_BEFORE_QUORUM_FSYNC) ? r.log().lastIndex() : r.log().durableIndex();
    long q = QuorumTracker.quorumValue(r.membership(), node -> node == self ? durable : matchOf(node));
    if (q > r.commitIndex() && q != Long.MAX_VALUE && r.log().ballotAt(q) == r.ballot()) {
      r.advanceCommit(q);
    }
  }

  void onCommitAdvanced() {
    long commit = r.commitIndex();
    while (proposalIndexes != null && !proposalIndexes.isEmpty() && proposalIndexes.peek() <= commit) {
      r.acknowledge(proposalIds.poll(), proposalIndexes.poll());
    }
    Membership m = r.membership();
    if (m.isJoint() && r.configCommitted()) {
      r.appendOwn(EntryKind.CONFIG, m.leaveJoint().encode()); // C_old,new committed: on to C_new
    }
    maybeHandOff();
    releaseWaitingReads();
  }

  void onMembershipChanged() {
    rebuildPeers();
    if (!isFullVoter()) {
      abandonWaitingReads(Replica.NO_NODE);
    }
    if (transferTarget != Replica.NO_NODE && r.membership().kindInMembers(transferTarget) != MemberKind.FULL_VOTER) {
      clearTransfer();
    }
  }

  /** One progress per node of the configuration in force (both halves when joint), kept across changes. */
  private void rebuildPeers() {
    List<Long> nodes = r.membership().nodes();
    List<Progress> rebuilt = new ArrayList<>(nodes.size());
    for (long node : nodes) {
      if (node == r.self()) {
        continue;
      }
      Progress p = progress(node);
      rebuilt.add(p != null ? p : new Progress(node, r.log().lastIndex() + 1, r.now()));
    }
    peers = rebuilt.toArray(new Progress[0]);
  }

  private Progress progress(long node) {
    for (Progress p : peers) {
      if (p.nodeId == node) {
        return p;
      }
    }
    return null;
  }

  private long matchOf(long node) {
    Progress p = progress(node);
    return p == null ? 0 : p.match;
  }

  private long lastResponseOf(long node) {
    Progress p = progress(node);
    return p == null ? Long.MIN_VALUE : p.lastResponseNanos;
  }

  private long lastAckedOf(long node) {
    Progress p = progress(node);
    return p == null ? Long.MIN_VALUE : p.lastAckedSentNanos;
  }

  /** The lowest index any voter may still need from this leader's log. */
  long votersFloor() {
    long f = Long.MAX_VALUE;
    Membership m = r.membership();
    for (Progress p : peers) {
      if (m.isVoter(p.nodeId)) {
        f = Math.min(f, (p.mode == Mode.SNAPSHOT ? p.snapshotIndex : p.match) + 1);
      }
    }
    return f;
  }

  /**
   * Nothing in flight: no proposal or read waits, no transfer or membership change is under way,
   * everything is committed, and every peer holds the whole log, knows it is committed and has
   * answered everything.
   */
  boolean idle() {
    long last = r.log().lastIndex();
    if ((proposalIds != null && !proposalIds.isEmpty()) || (waitingReads != null && !waitingReads.isEmpty())
        || transferTarget != Replica.NO_NODE || !r.configCommitted() || r.commitIndex() != last) {
      return false;
    }
    for (Progress p : peers) {
      if (p.match != last || p.toldCommit != last || p.awaitingAnswer()) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Lease and serving

  long leaseExpiryNanos() {
    long self = r.self();
    long acked = QuorumTracker.quorumValue(r.membership(), node -> node == self ? Long.MAX_VALUE : lastAckedOf(node));
    if (acked == Long.MIN_VALUE || acked == Long.MAX_VALUE) {
      return acked;
    }
    return Replica.saturatingAdd(acked, config.leaseDurationNanos() - config.clockDriftBoundNanos());
  }

  private boolean isFullVoter() {
    return r.membership().kindInMembers(r.self()) == MemberKind.FULL_VOTER;
  }

  /** Past the new-leader wait and with an entry of this ballot committed. */
  private boolean started() {
    return r.commitIndex() >= ballotStartIndex && r.now() >= servingFromNanos;
  }

  boolean isServing() {
    return transferTarget == Replica.NO_NODE && isFullVoter() && started() && r.now() < leaseExpiryNanos();
  }

  /** Where to send clients while this leader does not serve them. */
  private long redirectHint() {
    return transferTarget;
  }

  /** Whether {@link #propose} would append (see {@link Replica#takesProposals()}). */
  boolean takesProposals() {
    return transferTarget == Replica.NO_NODE && isFullVoter() && isServing() && (proposalIds == null || !proposalIds.isFull());
  }

  void propose(long id, byte[] command) {
    if (transferTarget != Replica.NO_NODE || !isFullVoter()) {
      r.reject(new Rejection.NotLeader(RequestKind.PROPOSAL, id, redirectHint()));
    } else if (!isServing()) {
      r.reject(new Rejection.NoLease(RequestKind.PROPOSAL, id));
    } else if (proposalIds != null && proposalIds.isFull()) {
      r.reject(new Rejection.Overloaded(RequestKind.PROPOSAL, id));
    } else {
      if (proposalIds == null) {
        proposalIds = new LongQueue(config.pendingProposalsMax(), 4);
        proposalIndexes = new LongQueue(config.pendingProposalsMax(), 4);
      }
      Entry e = r.appendOwn(EntryKind.COMMAND, command);
      proposalIds.add(id);
      proposalIndexes.add(e.index());
    }
  }

  void read(long readId) {
    if (transferTarget != Replica.NO_NODE || !isFullVoter()) {
      r.reject(new Rejection.NotLeader(RequestKind.READ, readId, redirectHint()));
    } else if (isServing()) {
      serveRead(readId);
    } else if (!started()) {
      if (waitingReads == null) {
        waitingReads = new LongQueue(config.pendingReadsMax(), 4);
      }
      if (waitingReads.isFull()) {
        r.reject(new Rejection.Overloaded(RequestKind.READ, readId));
      } else {
        waitingReads.add(readId);
      }
    } else {
      r.reject(new Rejection.NoLease(RequestKind.READ, readId));
    }
  }

  private void serveRead(long readId) {
    Invariants.check(r.now() < leaseExpiryNanos(), "a leader never serves a read without a lease");
    Invariants.check(r.commitIndex() >= ballotStartIndex, "a leader serves only once its ballot has a committed entry");
    r.readSafe(readId, r.commitIndex());
  }

  private void releaseWaitingReads() {
    if (waitingReads != null && !waitingReads.isEmpty() && isServing()) {
      while (!waitingReads.isEmpty()) {
        serveRead(waitingReads.poll());
      }
    }
  }

  private void abandonWaitingReads(long hint) {
    if (waitingReads != null) {
      while (!waitingReads.isEmpty()) {
        r.reject(new Rejection.NotLeader(RequestKind.READ, waitingReads.poll(), hint));
      }
    }
  }

  /** Leaving the role: pending proposals have an unknown outcome, held reads go elsewhere. */
  void stepDown(long newLeader) {
    if (proposalIds != null) {
      while (!proposalIds.isEmpty()) {
        proposalIndexes.poll();
        r.reject(new Rejection.ProposalDropped(proposalIds.poll(), Rejection.DropReason.LEADERSHIP_LOST));
      }
    }
    abandonWaitingReads(newLeader);
  }

  // ------------------------------------------------------------------------------------------
  // Membership changes

  ControlOutcome changeMembership(List<Member> target) {
    if (transferTarget != Replica.NO_NODE || !isFullVoter()) {
      return ControlOutcome.NOT_LEADER;
    }
    Membership current = r.membership();
    if (r.commitIndex() < ballotStartIndex || current.isJoint() || !r.configCommitted()) {
      return ControlOutcome.BUSY;
    }
    Membership next;
    try {
      next = current.enterJoint(target);
    } catch (IllegalArgumentException | NullPointerException e) {
      return ControlOutcome.INVALID;
    }
    if (!validTarget(current, next.members())) {
      return ControlOutcome.INVALID;
    }
    r.appendOwn(EntryKind.CONFIG, next.encode());
    return ControlOutcome.ACCEPTED;
  }

  private static boolean validTarget(Membership current, List<Member> target) {
    boolean anyFull = false;
    for (Member m : target) {
      anyFull |= m.kind() == MemberKind.FULL_VOTER;
      MemberKind before = current.kindInMembers(m.nodeId());
      if (before == MemberKind.LOG_VOTER && m.kind() != MemberKind.LOG_VOTER) {
        return false; // a log replica has no state machine to become a full replica with
      }
    }
    return anyFull && !target.equals(current.members());
  }

  // ------------------------------------------------------------------------------------------
  // Leadership transfer and hand-off

  ControlOutcome transferLeadership(long target) {
    if (!isFullVoter() || mustHandOff()) {
      return ControlOutcome.NOT_LEADER;
    }
    if (target == r.self() || r.membership().kindInMembers(target) != MemberKind.FULL_VOTER) {
      return ControlOutcome.INVALID;
    }
    if (transferTarget != Replica.NO_NODE) {
      return ControlOutcome.BUSY;
    }
    startTransfer(target, false);
    return ControlOutcome.ACCEPTED;
  }

  /**
   * A leader that is not a full voter of the committed configuration in force (a log replica, or a
   * replica the last change removed or demoted) must give leadership to a full voter.
   */
  boolean mustHandOff() {
    return !isFullVoter() && !r.membership().isJoint() && r.configCommitted();
  }

  private void maybeHandOff() {
    if (transferTarget != Replica.NO_NODE || !mustHandOff()) {
      return;
    }
    long best = Replica.NO_NODE;
    long bestMatch = -1;
    for (Member m : r.membership().members()) {
      if (m.kind() == MemberKind.FULL_VOTER && m.nodeId() != r.self()) {
        long match = matchOf(m.nodeId());
        if (match > bestMatch) {
          best = m.nodeId();
          bestMatch = match;
        }
      }
    }
    if (best != Replica.NO_NODE) {
      startTransfer(best, true);
    }
  }

  private void startTransfer(long target, boolean byCore) {
    // Stop serving first: from here on isServing() is false, so the hand-off below is safe.
    transferTarget = target;
    transferStartNanos = r.now();
    timeoutNowSent = false;
    handOff = byCore;
    abandonWaitingReads(target);
    maybeSendTimeoutNow();
  }

  private void clearTransfer() {
    transferTarget = Replica.NO_NODE;
    timeoutNowSent = false;
    handOff = false;
  }

  private void maybeSendTimeoutNow() {
    if (transferTarget == Replica.NO_NODE || timeoutNowSent) {
      return;
    }
    Progress p = progress(transferTarget);
    if (p == null || p.match < r.log().lastIndex()) {
      return; // not up to date yet: replication continues, the next acknowledgement looks again
    }
    Invariants.check(!isServing(), "a leader stops serving before it hands its lease over");
    long now = r.now();
    long wait = servingFromNanos <= now ? 0 : Math.max(0, Replica.saturatingAdd(servingFromNanos, -now));
    r.sendNow(MessageCodec.seal(new TimeoutNow(r.groupIdValue(), r.self(), transferTarget, r.ballot(), wait, 0)));
    timeoutNowSent = true;
  }
}
