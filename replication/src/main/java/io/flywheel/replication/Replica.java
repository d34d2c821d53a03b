package io.flywheel.replication;

import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.Heartbeat;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.InstallSnapshot;
import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import io.flywheel.replication.Ready.Acknowledged;
import io.flywheel.replication.Ready.LeaseChange;
import io.flywheel.replication.Ready.ReadState;
import io.flywheel.replication.Ready.RoleChange;
import io.flywheel.replication.Ready.SnapshotToInstall;
import io.flywheel.replication.RoleState.Candidate;
import io.flywheel.replication.RoleState.Follower;
import io.flywheel.replication.RoleState.PreCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One replica of one replication group on one node: a pure, single-threaded state machine (see the
 * package documentation for the protocol and the lease argument).
 *
 * <h2>Driving it</h2>
 *
 * Inputs are method calls: {@link #tick}, {@link #receive}, {@link #propose}, {@link #read},
 * {@link #changeMembership}, {@link #transferLeadership}, {@link #logPersisted}, {@link #applied},
 * {@link #snapshotInstalled}, {@link #archived}. They never block, never do I/O and never read a
 * clock: the only time is the {@code monoNanos} of the latest {@link #tick}. Their effects collect
 * until the host calls {@link #ready()}, carries the returned {@link Ready} out in the order its
 * documentation gives, and calls {@link #advance(Ready)}:
 *
 * <pre>{@code
 * replica.tick(now);                   // first, every loop: the core's "now"
 * replica.receive(msg); replica.read(id); long p = replica.propose(cmd); ...
 * if (replica.hasReady()) {
 *   Ready rd = replica.ready();
 *   send(rd.messages());
 *   persist(rd.hardState(), rd.entries());            // one durable write
 *   if (rd.lastEntry() != null) replica.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
 *   send(rd.messagesAfterPersist());
 *   apply(rd.committedEntries()); serve(rd.readStates()); ...
 *   replica.advance(rd);
 * }
 * }</pre>
 *
 * <p>The lease is checked at the time of the latest tick, so a host must tick with a time no
 * earlier than the arrival of any read or proposal it passes in afterwards (tick after draining
 * its request queue, not before).
 *
 * <p>Determinism: the same construction arguments and the same sequence of inputs (with the same
 * {@link RandomSource} seed) produce the same Readies. Nothing iterates over hash-ordered
 * collections; peers are visited in membership order.
 *
 * <p>Failure: a violated invariant throws {@link IllegalStateException}, a corrupt stored entry
 * {@link io.flywheel.base.CorruptDataException}. Either way the host must fail-stop this replica
 * (discard it; recover from durable state, or rebuild it) and never feed it more inputs. Corrupt
 * or misrouted <em>messages</em> are only dropped and counted: the network is not trusted.
 */
public final class Replica {
  /** "No node": no leader known, no vote cast. Real node ids are positive. */
  public static final long NO_NODE = 0;

  private final Config config;
  private final long groupId;
  private final long nodeId;
  private final RandomSource random;
  private final LogView log;

  // Durable state (HardState); hardStateDirty says it changed since the last Ready.
  private long ballot;
  private long votedFor;
  private long commitIndex;
  private Membership committedMembership;
  private long committedMembershipIndex;
  private boolean hardStateDirty;

  /** CONFIG entries above the commit index, oldest first; null when none (the usual case). */
  private ArrayList<ConfigAt> uncommittedConfigs;

  private RoleState role = Follower.INSTANCE;
  private long leaderId = NO_NODE;
  private long nowNanos;
  /** When this replica last heard its leader (or restarted): it refuses other candidates for an election timeout. */
  private long lastLeaderContactNanos;
  private long electionDeadlineNanos;

  /** Committed entries up to here were handed to the host to apply. */
  private long appliedHandedIndex;
  private long durableAppliedIndex;
  private long archivedIndex;
  private long reportedFloor;
  /** The snapshot index this replica asked its host to install (0: none), and the request's send time. */
  private long snapshotRequestedIndex;
  private long snapshotRequestSentNanos;

  // Output collected for the next Ready; lists are null while empty.
  private ArrayList<Message> outNow;
  private ArrayList<Message> outAfterPersist;
  private ArrayList<ReadState> outReads;
  private ArrayList<Acknowledged> outAcks;
  private ArrayList<Rejection> outRejections;
  private SnapshotToInstall outSnapshot;
  private Role reportedRole = Role.FOLLOWER;
  private long reportedBallot;
  private long reportedLeader = NO_NODE;
  private boolean reportedServing;
  private Ready outstanding;

  private long nextProposalId = 1;
  private long corruptMessages;
  private long misroutedMessages;

  private record ConfigAt(long index, Membership membership) {}

  private Replica(Config config, long groupId, long nodeId, HardState hardState, long appliedIndex, LogReader reader,
      RandomSource random, long nowNanos) {
    Invariants.checkArgument(nodeId > 0, "node ids are positive");
    this.config = Invariants.checkNotNull(config, "config");
    this.groupId = groupId;
    this.nodeId = nodeId;
    this.random = Invariants.checkNotNull(random, "random");
    this.log = new LogView(reader);
    this.ballot = hardState.ballot();
    this.votedFor = hardState.votedFor();
    this.commitIndex = hardState.commitIndex();
    this.committedMembership = hardState.membership();
    this.committedMembershipIndex = hardState.membershipIndex();
    this.reportedBallot = ballot;
    this.nowNanos = nowNanos;
    Invariants.check(commitIndex <= log.lastIndex(), "the log holds every committed entry");
    Invariants.check(commitIndex >= log.firstIndex() - 1, "the log was not collected above the commit index");
    Invariants.checkArgument(appliedIndex >= 0 && appliedIndex <= commitIndex, "0 <= appliedIndex <= commitIndex");
    this.appliedHandedIndex = appliedIndex;
    this.durableAppliedIndex = appliedIndex;
    MemberKind kind = selfKind();
    if (kind != null && kind.applies()) {
      Invariants.check(appliedIndex >= log.firstIndex() - 1, "the entries after the applied index are in the log");
    }
    // The uncommitted tail may carry configurations (in force once appended): find them.
    for (long i = commitIndex + 1; i <= log.lastIndex(); i++) {
      Entry e = log.entry(i);
      if (e.kind() == EntryKind.CONFIG) {
        addUncommittedConfig(new ConfigAt(i, e.membership()));
      }
    }
    this.reportedFloor = log.firstIndex();
    // A restarted voter may have acknowledged a leader just before it stopped and lost that
    // promise with its memory: it keeps it as if it had just heard the leader. One whose durable
    // ballot is still 0 has acknowledged nobody (every answer leaves after the ballot it carries
    // is durable), so it has no promise to keep.
    this.lastLeaderContactNanos = ballot == 0 ? saturatingAdd(nowNanos, -config.electionTimeoutNanos()) : nowNanos;
    resetElectionTimer();
    if (ballot == 0 && !aloneSinceBootstrap() && isPreferredLeader()) {
      // A new group's first listed voter (placement's preferred leader) campaigns after one
      // heartbeat interval — time for the other replicas to be created — instead of a random
      // election timeout, so a new table's partitions have leaders within milliseconds.
      electionDeadlineNanos = saturatingAdd(nowNanos, config.heartbeatIntervalNanos());
    }
  }

  /** Whether this replica is the first member of its configuration, as a full voter. */
  private boolean isPreferredLeader() {
    List<Member> members = membership().members();
    return !members.isEmpty() && members.get(0).nodeId() == nodeId && members.get(0).kind() == MemberKind.FULL_VOTER;
  }

  /**
   * Starts (or restarts) a replica from its durable state.
   *
   * @param hardState what the host last persisted ({@link HardState#bootstrap} for a new group,
   *     {@link HardState#joining()} for a replica added to an existing group)
   * @param appliedIndex the index the host's state machine has applied (durably) — replay starts
   *     after it; 0 on a log replica
   * @param log the host's persisted log for this replica
   * @param random election-timeout jitter; seeded in tests and simulations
   * @param nowNanos the host's monotonic clock now
   */
  public static Replica start(Config config, long groupId, long nodeId, HardState hardState, long appliedIndex,
      LogReader log, RandomSource random, long nowNanos) {
    return new Replica(config, groupId, nodeId, hardState, appliedIndex, log, random, nowNanos);
  }

  // ------------------------------------------------------------------------------------------
  // Inputs

  /** Time passes: elections, heartbeats, CheckQuorum, lease expiry and retries are decided here. */
  public void tick(long monoNanos) {
    Invariants.checkArgument(monoNanos >= nowNanos, "monotonic time never goes back");
    nowNanos = monoNanos;
    switch (role) {
      case Leader l -> l.tick();
      case Follower f -> maybeCampaign();
      case PreCandidate p -> maybeCampaign();
      case Candidate c -> maybeCampaign();
    }
  }

  /**
   * A message from another replica. One whose checksum (or an entry's) does not match, or that is
   * addressed to another group or node, is dropped and counted ({@link #corruptMessagesDropped()},
   * {@link #misroutedMessagesDropped()}).
   */
  public void receive(Message m) {
    if (m.groupId() != groupId || m.to() != nodeId) {
      misroutedMessages++;
      return;
    }
    if (!MessageCodec.isIntact(m) || !wellFormed(m)) {
      corruptMessages++;
      return;
    }
    if (m.ballot() > ballot) {
      switch (m) {
        case VoteRequest r -> {} // decided in onVoteRequest: a voter in a lease ignores the higher ballot
        case VoteResponse r when r.preVote() && r.granted() -> {} // a pre-vote grant names the ballot to come
        case AppendEntries a -> becomeFollower(m.ballot(), m.from());
        case Heartbeat h -> becomeFollower(m.ballot(), m.from());
        case InstallSnapshot s -> becomeFollower(m.ballot(), m.from());
        case TimeoutNow t -> becomeFollower(m.ballot(), m.from());
        default -> becomeFollower(m.ballot(), NO_NODE);
      }
    } else if (m.ballot() < ballot) {
      answerStale(m);
      return;
    }
    switch (m) {
      case VoteRequest r -> onVoteRequest(r);
      case VoteResponse r -> onVoteResponse(r);
      case AppendEntries a -> {
        acceptLeader(a.from());
        onAppend(a);
      }
      case Heartbeat h -> {
        acceptLeader(h.from());
        onHeartbeat(h);
      }
      case InstallSnapshot s -> {
        acceptLeader(s.from());
        onInstallSnapshot(s);
      }
      case TimeoutNow t -> {
        acceptLeader(t.from());
        onTimeoutNow(t);
      }
      case AppendResponse r -> {
        if (role instanceof Leader l) {
          l.onAppendResponse(r);
        }
      }
      case HeartbeatResponse r -> {
        if (role instanceof Leader l) {
          l.onHeartbeatResponse(r);
        }
      }
    }
  }

  /**
   * Proposes a command. Returns the proposal's id, which every outcome names: {@link
   * Ready#acknowledged()} once it commits, or a {@link Rejection} ({@link Rejection.NotLeader},
   * {@link Rejection.NoLease}, {@link Rejection.Overloaded}, {@link Rejection.ProposalDropped}).
   * A leader accepts writes only while it serves (lease held, own ballot's entry committed).
   */
  public long propose(byte[] command) {
    Invariants.checkNotNull(command, "command");
    long id = nextProposalId++;
    if (command.length > config.proposalBytesMax()) {
      reject(new Rejection.ProposalDropped(id, Rejection.DropReason.TOO_LARGE));
    } else if (role instanceof Leader l) {
      l.propose(id, command);
    } else {
      reject(new Rejection.NotLeader(Rejection.RequestKind.PROPOSAL, id, leaderId));
    }
    return id;
  }

  /**
   * Asks for a strongly consistent read under the lease. The answer is a {@link ReadState} (serve it
   * once applied up to its index) or a {@link Rejection}. A new leader holds reads (up to {@link
   * Config#pendingReadsMax()}) until it may serve.
   */
  public void read(long readId) {
    if (role instanceof Leader l) {
      l.read(readId);
    } else {
      reject(new Rejection.NotLeader(Rejection.RequestKind.READ, readId, leaderId));
    }
  }

  /**
   * Starts a membership change by joint consensus to {@code target} (C_old,new, then C_new once
   * that commits). One change at a time, on a leader that has committed an entry of its ballot.
   * Removing the leader is allowed: it finishes the change, then hands leadership to a full voter.
   * A log replica cannot become a full voter or learner in place (it has no state to apply to).
   */
  public ControlOutcome changeMembership(List<Member> target) {
    return role instanceof Leader l ? l.changeMembership(target) : ControlOutcome.NOT_LEADER;
  }

  /**
   * Hands leadership (and the lease) to {@code target}, a full voter: this leader stops serving at
   * once, brings the target up to date and sends it {@link TimeoutNow}. If the target has not taken
   * over within an election timeout this leader steps down (it may not serve again in its ballot
   * once it sent the hand-off) or, if it never sent it, resumes.
   */
  public ControlOutcome transferLeadership(long target) {
    return role instanceof Leader l ? l.transferLeadership(target) : ControlOutcome.NOT_LEADER;
  }

  /**
   * Entries up to {@code upToIndex}, the last having {@code lastBallot}, are durable in the host's log
   * and readable through the {@link LogReader}. A report for entries since replaced is ignored.
   */
  public void logPersisted(long upToIndex, long lastBallot) {
    log.persisted(upToIndex, lastBallot);
    if (role instanceof Leader l) {
      l.maybeCommit();
    }
  }

  /** The host's state machine has durably applied every entry up to {@code index} (for the log floor). */
  public void applied(long index) {
    Invariants.checkArgument(index <= appliedHandedIndex, "applied only what was handed out");
    durableAppliedIndex = Math.max(durableAppliedIndex, index);
  }

  /**
   * The host installed the snapshot named by {@link Ready#snapshotToInstall()}: its state machine
   * holds the state as of {@code index}, durably, and its log was replaced by an empty one starting
   * after {@code (index, ballot)}. On a log replica there is no state: only the log is replaced.
   * An instruction that went stale while the bytes moved ({@code index} no longer above {@link
   * Status#commitIndex()}) must be dropped by the host before it touches its log.
   */
  public void snapshotInstalled(long index, long ballot, Membership membership) {
    Invariants.checkArgument(index > commitIndex, "a snapshot installs above the commit index");
    log.resetToSnapshot(index, ballot);
    commitIndex = index;
    committedMembership = membership;
    committedMembershipIndex = index;
    uncommittedConfigs = null;
    hardStateDirty = true;
    appliedHandedIndex = index;
    durableAppliedIndex = Math.max(durableAppliedIndex, index);
    reportedFloor = Math.max(reportedFloor, index + 1);
    membershipChanged();
    if (snapshotRequestedIndex != 0 && leaderId != NO_NODE && role instanceof Follower) {
      sendAfterPersist(MessageCodec.seal(new AppendResponse(groupId, nodeId, leaderId, this.ballot, true, index, 0, 0,
          snapshotRequestSentNanos, 0)));
    }
    snapshotRequestedIndex = 0;
  }

  /**
   * Entries up to {@code index} are in the archive (paper §5), so they may be collected once nothing
   * else needs them. A host without an archive reports {@code archived(Long.MAX_VALUE)} once.
   */
  public void archived(long index) {
    archivedIndex = Math.max(archivedIndex, index);
  }

  // ------------------------------------------------------------------------------------------
  // Output

  /** Whether {@link #ready()} has anything to hand out (false while a Ready is outstanding). */
  public boolean hasReady() {
    if (outstanding != null) {
      return false;
    }
    if (hardStateDirty || log.hasUnhanded() || outNow != null || outAfterPersist != null || outReads != null
        || outAcks != null || outRejections != null || outSnapshot != null) {
      return true;
    }
    if (appliesSelf() && commitIndex > appliedHandedIndex) {
      return true;
    }
    if (role.role() != reportedRole || ballot != reportedBallot || leaderId != reportedLeader) {
      return true;
    }
    if (isServing() != reportedServing || floor() > reportedFloor) {
      return true;
    }
    return role instanceof Leader l && l.hasAppendsToSend();
  }

  /** Takes everything collected since the last Ready (see {@link Ready} for what to do with it). */
  public Ready ready() {
    Invariants.check(outstanding == null, "the previous Ready must be advanced before the next is taken");
    if (role instanceof Leader l) {
      l.flush(); // before the committed entries are handed out: a snapshot names the applied index as of now
    }
    HardState hard = null;
    if (hardStateDirty) {
      hard = new HardState(ballot, votedFor, commitIndex, committedMembership, committedMembershipIndex);
      hardStateDirty = false;
    }
    List<Entry> entries = log.takeUnhanded();
    List<Entry> committed = takeCommitted();
    RoleChange roleChange = null;
    if (role.role() != reportedRole || ballot != reportedBallot || leaderId != reportedLeader) {
      reportedRole = role.role();
      reportedBallot = ballot;
      reportedLeader = leaderId;
      roleChange = new RoleChange(reportedRole, ballot, leaderId);
    }
    LeaseChange leaseChange = null;
    boolean serving = isServing();
    if (serving != reportedServing) {
      reportedServing = serving;
      leaseChange = new LeaseChange(serving, leaseExpiryNanos());
    }
    OptionalLong floor = OptionalLong.empty();
    long f = floor();
    if (f > reportedFloor) {
      reportedFloor = f;
      floor = OptionalLong.of(f);
    }
    Ready rd = new Ready(hard, entries, orEmpty(outNow), orEmpty(outAfterPersist), committed, orEmpty(outReads),
        orEmpty(outAcks), orEmpty(outRejections), outSnapshot, roleChange, leaseChange, floor);
    outNow = null;
    outAfterPersist = null;
    outReads = null;
    outAcks = null;
    outRejections = null;
    outSnapshot = null;
    outstanding = rd;
    return rd;
  }

  /** The host carried out {@code ready} (see {@link Ready}); the next one may be taken. */
  public void advance(Ready ready) {
    Invariants.check(ready == outstanding, "advance the Ready that was taken, once");
    outstanding = null;
  }

  /**
   * Whether {@link #propose} would append a command now, rather than reject it: this replica leads,
   * serves, is not handing leadership over and has room for another pending proposal (for a command
   * of at most {@link Config#proposalBytesMax()} bytes). A host that decides commands against
   * state it has not yet applied asks this first, so that a decided command is never rejected.
   */
  public boolean takesProposals() {
    return role instanceof Leader l && l.takesProposals();
  }

  /** The index of the last entry in this replica's log (the next own proposal takes the one after). */
  public long lastIndex() {
    return log.lastIndex();
  }

  /** The state of this replica now, for hosts, simulators and checkers. */
  /**
   * Whether nothing but slow timers is pending: an idle leader (nothing in flight, every follower up
   * to date; it heartbeats every {@link Config#idleHeartbeatIntervalNanos()}) or a follower that
   * knows its leader, with no Ready waiting. A host may then tick this replica less often, at most
   * a heartbeat interval apart: its next duty is an idle heartbeat or an election timeout away.
   */
  public boolean isQuiet() {
    if (outstanding != null || hasReady()) {
      return false;
    }
    return switch (role) {
      case Leader l -> l.idle();
      case Follower f -> leaderId != NO_NODE;
      default -> false;
    };
  }

  /** Whether the configuration in force names any member besides this one (cheap: hosts ask it every tick). */
  public boolean hasPeers() {
    Membership m = membership();
    return m.members().size() > 1 || m.isJoint();
  }

  public Status status() {
    return new Status(nodeId, role.role(), ballot, leaderId, commitIndex, log.lastIndex(), appliedHandedIndex,
        isServing(), leaseExpiryNanos(), membership());
  }

  public long groupId() {
    return groupId;
  }

  public long nodeId() {
    return nodeId;
  }

  /** Messages dropped because their checksum (or an entry's) did not match or they were malformed. */
  public long corruptMessagesDropped() {
    return corruptMessages;
  }

  /** Messages dropped because they were addressed to another group or node. */
  public long misroutedMessagesDropped() {
    return misroutedMessages;
  }

  // ------------------------------------------------------------------------------------------
  // Transitions: one method per target role. Durable changes (ballot, vote) are recorded first and
  // reach the network only through the after-persist list.

  void becomeFollower(long newBallot, long leader) {
    Invariants.check(newBallot >= ballot, "the ballot never decreases");
    if (role instanceof Leader l) {
      l.stepDown(leader);
    }
    if (newBallot > ballot) {
      ballot = newBallot;
      votedFor = NO_NODE;
      hardStateDirty = true;
    }
    role = Follower.INSTANCE;
    leaderId = leader;
    resetElectionTimer();
  }

  private void becomePreCandidate() {
    PreCandidate p = new PreCandidate();
    role = p;
    leaderId = NO_NODE;
    resetElectionTimer();
    p.tally.record(nodeId, true);
    for (long node : membership().nodes()) {
      if (node != nodeId && membership().isVoter(node)) {
        sendNow(MessageCodec.seal(new VoteRequest(groupId, nodeId, node, ballot + 1, log.lastIndex(),
            log.lastBallot(), true, false, 0)));
      }
    }
    if (p.tally.result(membership()) == QuorumTracker.VoteResult.WON) {
      becomeCandidate(false, 0);
    }
  }

  private void becomeCandidate(boolean transfer, long handOffServingFromNanos) {
    ballot++;
    votedFor = nodeId;
    hardStateDirty = true;
    Candidate c = new Candidate(transfer, handOffServingFromNanos);
    role = c;
    leaderId = NO_NODE;
    resetElectionTimer();
    c.tally.record(nodeId, true);
    for (long node : membership().nodes()) {
      if (node != nodeId && membership().isVoter(node)) {
        // After persist: the candidate's own vote must be durable before it asks for others'.
        sendAfterPersist(MessageCodec.seal(new VoteRequest(groupId, nodeId, node, ballot, log.lastIndex(),
            log.lastBallot(), false, transfer, 0)));
      }
    }
    if (c.tally.result(membership()) == QuorumTracker.VoteResult.WON) {
      becomeLeader(c);
    }
  }

  private void becomeLeader(Candidate won) {
    Invariants.check(votedFor == nodeId, "a leader voted for itself in its ballot");
    long servingFrom = won.transfer ? won.handOffServingFromNanos
        // Nobody led before ballot 1 (ballot 0 is the bootstrap's, in which nobody campaigns), so its
        // winner has no earlier lease to wait out; nor has a group's only member.
        : ballot == 1 || aloneSinceBootstrap() || config.planted(PlantedBug.SERVE_BEFORE_OLD_LEASE_EXPIRES) ? nowNanos
        : saturatingAdd(nowNanos, config.leaseDurationNanos() + config.clockDriftBoundNanos());
    Leader l = new Leader(this, won.transfer, servingFrom);
    role = l;
    leaderId = nodeId;
    l.start();
  }

  // ------------------------------------------------------------------------------------------
  // Elections

  private void maybeCampaign() {
    if (nowNanos >= electionDeadlineNanos) {
      // A voter of the configuration in force campaigns; so does one that the latest, not yet
      // committed configuration removes while the committed one still counts it: it may hold the
      // only copy of that configuration entry, and without it the group could not elect anyone.
      if (membership().isVoter(nodeId) || committedMembership.isVoter(nodeId)) {
        becomePreCandidate();
      } else {
        resetElectionTimer();
      }
    }
  }

  /** Whether this replica is bound by a leader (its own leadership, or one heard within an election timeout). */
  private boolean inLease() {
    return role instanceof Leader || nowNanos - lastLeaderContactNanos < config.electionTimeoutNanos();
  }

  private void onVoteRequest(VoteRequest r) {
    if (!r.transfer() && inLease() && !config.planted(PlantedBug.SERVE_BEFORE_OLD_LEASE_EXPIRES)) {
      // The gray-failure rule: a voter that hears a live leader does not help depose it, and keeps
      // its lease promise. It answers without adopting the candidate's ballot.
      answerVote(r, false, ballot);
      return;
    }
    if (r.preVote()) {
      boolean grant = r.ballot() > ballot && mayVote() && logUpToDate(r);
      answerVote(r, grant, grant ? r.ballot() : ballot);
      return;
    }
    if (r.ballot() > ballot) {
      becomeFollower(r.ballot(), NO_NODE);
    }
    boolean grant = mayVote() && (votedFor == NO_NODE || votedFor == r.from()) && logUpToDate(r);
    if (grant) {
      Invariants.check(votedFor == NO_NODE || votedFor == r.from(), "a replica never votes twice in a ballot");
      votedFor = r.from();
      hardStateDirty = true;
      resetElectionTimer();
    }
    answerVote(r, grant, ballot);
  }

  private void answerVote(VoteRequest r, boolean granted, long answerBallot) {
    Message answer = MessageCodec.seal(new VoteResponse(groupId, nodeId, r.from(), answerBallot, granted,
        r.preVote(), 0));
    if (granted && !r.preVote() && config.planted(PlantedBug.SKIP_VOTE_PERSISTENCE)) {
      sendNow(answer); // the planted bug: the vote leaves before the hard state recording it is durable
    } else {
      sendAfterPersist(answer);
    }
  }

  /**
   * Whether this replica may vote. A learner that knows it is one never votes. A replica its own
   * configuration does not name (one that joins and has not heard of the change yet) does: whether
   * its vote counts is decided by the candidate's configuration, which is the newer one (Raft's
   * rule: votes do not consult the voter's configuration), and refusing would stall a joint change
   * whose new half needs it.
   */
  private boolean mayVote() {
    return selfKind() != MemberKind.LEARNER;
  }

  private boolean logUpToDate(VoteRequest r) {
    long lastBallot = log.lastBallot();
    return r.lastBallot() > lastBallot || (r.lastBallot() == lastBallot && r.lastIndex() >= log.lastIndex());
  }

  private void onVoteResponse(VoteResponse r) {
    switch (role) {
      case PreCandidate p -> {
        if (r.preVote() && (r.ballot() == ballot + 1 || (!r.granted() && r.ballot() == ballot))) {
          if (membership().isVoter(r.from())) {
            p.tally.record(r.from(), r.granted());
          }
          switch (p.tally.result(membership())) {
            case WON -> becomeCandidate(false, 0);
            case LOST -> becomeFollower(ballot, NO_NODE);
            case PENDING -> {}
          }
        }
      }
      case Candidate c -> {
        if (!r.preVote() && r.ballot() == ballot) {
          if (membership().isVoter(r.from())) {
            c.tally.record(r.from(), r.granted());
          }
          switch (c.tally.result(membership())) {
            case WON -> becomeLeader(c);
            case LOST -> becomeFollower(ballot, NO_NODE);
            case PENDING -> {}
          }
        }
      }
      case Follower f -> {}
      case Leader l -> {}
    }
  }

  // ------------------------------------------------------------------------------------------
  // Following

  /** A message of the current ballot from its leader: follow it and renew the promise to it. */
  private void acceptLeader(long from) {
    Invariants.check(!(role instanceof Leader), "two leaders in ballot " + ballot);
    if (!(role instanceof Follower) || leaderId != from) {
      becomeFollower(ballot, from);
    }
    lastLeaderContactNanos = nowNanos;
    resetElectionTimer();
  }

  private void onAppend(AppendEntries a) {
    if (a.prevIndex() < commitIndex) {
      // Everything up to the commit index matches any leader's log: say so, and let it continue from there.
      sendAfterPersist(appendAck(a.from(), commitIndex, a.sentNanos()));
      return;
    }
    if (!log.matches(a.prevIndex(), a.prevBallot())) {
      long hint = Math.min(a.prevIndex(), log.lastIndex());
      while (hint > commitIndex && log.ballotAt(hint) > a.prevBallot()) {
        hint--;
      }
      sendAfterPersist(MessageCodec.seal(new AppendResponse(groupId, nodeId, a.from(), ballot, false,
          a.prevIndex(), hint, log.ballotAt(hint), a.sentNanos(), 0)));
      return;
    }
    for (Entry e : a.entries()) {
      if (e.index() <= log.lastIndex()) {
        if (log.ballotAt(e.index()) == e.ballot()) {
          continue; // already here (log matching: the same index and ballot mean the same entry)
        }
        Invariants.check(e.index() > commitIndex, "a committed entry never changes (index " + e.index() + ")");
        truncate(e.index());
      }
      appendEntry(e);
    }
    long lastNew = a.prevIndex() + a.entries().size();
    advanceCommit(Math.min(a.commitIndex(), lastNew));
    sendAfterPersist(appendAck(a.from(), lastNew, a.sentNanos()));
  }

  private AppendResponse appendAck(long to, long index, long echoSentNanos) {
    return MessageCodec.seal(new AppendResponse(groupId, nodeId, to, ballot, true, index, 0, 0, echoSentNanos, 0));
  }

  private void onHeartbeat(Heartbeat h) {
    // The leader caps the commit index at what this replica is known to match.
    advanceCommit(Math.min(h.commitIndex(), log.lastIndex()));
    sendAfterPersist(MessageCodec.seal(new HeartbeatResponse(groupId, nodeId, h.from(), ballot, h.sentNanos(), 0)));
  }

  private void onInstallSnapshot(InstallSnapshot s) {
    if (s.snapshotIndex() <= commitIndex) {
      sendAfterPersist(appendAck(s.from(), commitIndex, s.sentNanos()));
      return;
    }
    snapshotRequestSentNanos = s.sentNanos();
    if (snapshotRequestedIndex != s.snapshotIndex()) {
      snapshotRequestedIndex = s.snapshotIndex();
      outSnapshot = new SnapshotToInstall(s.snapshotIndex(), s.snapshotBallot(), s.membership(), s.from());
    }
  }

  private void onTimeoutNow(TimeoutNow t) {
    if (!mayVote()) {
      return;
    }
    long wait = t.waitNanos();
    long servingFrom = wait == 0 ? nowNanos : saturatingAdd(nowNanos, wait + config.clockDriftBoundNanos());
    becomeCandidate(true, servingFrom);
  }

  /** A message of an older ballot: tell a stale leader or candidate about the newer ballot, ignore the rest. */
  private void answerStale(Message m) {
    switch (m) {
      // Echo MIN_VALUE: this is no acknowledgement of anyone's leadership, it must not extend a lease.
      case AppendEntries a -> sendAfterPersist(MessageCodec.seal(new AppendResponse(groupId, nodeId, a.from(), ballot,
          false, a.prevIndex(), 0, 0, Long.MIN_VALUE, 0)));
      case Heartbeat h -> sendAfterPersist(MessageCodec.seal(new HeartbeatResponse(groupId, nodeId, h.from(), ballot,
          Long.MIN_VALUE, 0)));
      case InstallSnapshot s -> sendAfterPersist(MessageCodec.seal(new AppendResponse(groupId, nodeId, s.from(),
          ballot, false, s.snapshotIndex(), 0, 0, Long.MIN_VALUE, 0)));
      case VoteRequest r -> answerVote(r, false, ballot);
      case VoteResponse r -> {}
      case AppendResponse r -> {}
      case HeartbeatResponse r -> {}
      case TimeoutNow t -> {}
    }
  }

  private static boolean wellFormed(Message m) {
    if (m.from() <= 0) {
      return false;
    }
    if (m instanceof AppendEntries a) {
      long expected = a.prevIndex() + 1;
      for (Entry e : a.entries()) {
        if (e.index() != expected++ || e.ballot() > a.ballot()) {
          return false;
        }
      }
      return a.prevIndex() >= 0 && a.prevBallot() <= a.ballot();
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // The log, the commit index and the configuration

  void appendEntry(Entry e) {
    log.append(e);
    if (e.kind() == EntryKind.CONFIG) {
      addUncommittedConfig(new ConfigAt(e.index(), e.membership()));
      membershipChanged();
    }
  }

  /** Appends a new entry of this leader's ballot. */
  Entry appendOwn(EntryKind kind, byte[] payload) {
    Entry e = Entry.create(log.lastIndex() + 1, ballot, kind, payload);
    appendEntry(e);
    return e;
  }

  private void truncate(long from) {
    log.truncateFrom(from);
    if (uncommittedConfigs != null) {
      boolean removed = uncommittedConfigs.removeIf(c -> c.index() >= from);
      if (uncommittedConfigs.isEmpty()) {
        uncommittedConfigs = null;
      }
      if (removed) {
        membershipChanged();
      }
    }
  }

  private void addUncommittedConfig(ConfigAt c) {
    if (uncommittedConfigs == null) {
      uncommittedConfigs = new ArrayList<>(2);
    }
    uncommittedConfigs.add(c);
  }

  void advanceCommit(long index) {
    if (index <= commitIndex) {
      return;
    }
    Invariants.check(index <= log.lastIndex(), "the commit index stays within the log");
    commitIndex = index;
    hardStateDirty = true;
    while (uncommittedConfigs != null && uncommittedConfigs.get(0).index() <= commitIndex) {
      ConfigAt c = uncommittedConfigs.remove(0);
      committedMembership = c.membership();
      committedMembershipIndex = c.index();
      if (uncommittedConfigs.isEmpty()) {
        uncommittedConfigs = null;
      }
    }
    if (role instanceof Leader l) {
      l.onCommitAdvanced();
    }
  }

  private void membershipChanged() {
    if (role instanceof Leader l) {
      l.onMembershipChanged();
    }
  }

  /** The configuration in force: the latest in the log, committed or not. */
  /**
   * Whether this replica is the only member its group ever had: its bootstrap configuration, still
   * in force, names only it, as a full voter. No other replica can then hold a lease or a vote, so
   * it campaigns at once and serves as soon as it wins (a single-node deployment starts serving
   * without an election timeout and a lease wait). A host runs one incarnation of a replica at a
   * time; once the group has been reconfigured, even back to one member, the ordinary rules apply.
   */
  private boolean aloneSinceBootstrap() {
    if (uncommittedConfigs != null || committedMembershipIndex != 0 || committedMembership.isJoint()) {
      return false;
    }
    List<Member> members = committedMembership.members();
    return members.size() == 1 && members.get(0).nodeId() == nodeId && members.get(0).kind() == MemberKind.FULL_VOTER;
  }

  Membership membership() {
    return uncommittedConfigs != null ? uncommittedConfigs.get(uncommittedConfigs.size() - 1).membership()
        : committedMembership;
  }

  boolean configCommitted() {
    return uncommittedConfigs == null;
  }

  /** This replica's kind in the configuration in force (its entry in C_new, else in C_old), or null. */
  MemberKind selfKind() {
    Member m = membership().member(nodeId);
    return m == null ? null : m.kind();
  }

  /** Keeps a state machine: committed entries are handed out (not on log replicas, nor before it knows its kind). */
  boolean appliesSelf() {
    MemberKind k = selfKind();
    return k != null && (k.applies() || config.planted(PlantedBug.LOG_REPLICA_APPLIES));
  }

  private List<Entry> takeCommitted() {
    if (!appliesSelf() || commitIndex <= appliedHandedIndex) {
      return List.of();
    }
    long hi = Math.min(commitIndex, appliedHandedIndex + config.applyEntriesMax());
    List<Entry> out = log.slice(appliedHandedIndex + 1, hi, Integer.MAX_VALUE, Long.MAX_VALUE);
    appliedHandedIndex = hi;
    return out;
  }

  /** The lowest index still needed: min over archived, durably applied (if applying), committed, durable, and voters' needs. */
  private long floor() {
    long f = archivedIndex == Long.MAX_VALUE ? Long.MAX_VALUE : archivedIndex + 1;
    MemberKind k = selfKind();
    if (k == null || k.applies()) {
      f = Math.min(f, durableAppliedIndex + 1);
    }
    f = Math.min(f, commitIndex + 1);
    f = Math.min(f, log.durableIndex() + 1);
    if (role instanceof Leader l) {
      f = Math.min(f, l.votersFloor());
    }
    return f;
  }

  private boolean isServing() {
    return role instanceof Leader l && l.isServing();
  }

  private long leaseExpiryNanos() {
    return role instanceof Leader l ? l.leaseExpiryNanos() : Long.MIN_VALUE;
  }

  private void resetElectionTimer() {
    if (aloneSinceBootstrap()) {
      electionDeadlineNanos = nowNanos; // nobody to wait for: campaign at the next tick
      return;
    }
    long t = config.electionTimeoutNanos();
    long base = selfKind() == MemberKind.LOG_VOTER ? 2 * t : t;
    electionDeadlineNanos = saturatingAdd(nowNanos, base + Math.floorMod(random.nextLong(), t));
  }

  // ------------------------------------------------------------------------------------------
  // For the Leader role

  Config config() {
    return config;
  }

  long groupIdValue() {
    return groupId;
  }

  long self() {
    return nodeId;
  }

  long now() {
    return nowNanos;
  }

  long ballot() {
    return ballot;
  }

  long commitIndex() {
    return commitIndex;
  }

  LogView log() {
    return log;
  }

  long appliedHandedIndex() {
    return appliedHandedIndex;
  }

  Membership committedMembership() {
    return committedMembership;
  }

  long committedMembershipIndex() {
    return committedMembershipIndex;
  }

  void sendNow(Message m) {
    if (outNow == null) {
      outNow = new ArrayList<>(4);
    }
    outNow.add(m);
  }

  void sendAfterPersist(Message m) {
    if (outAfterPersist == null) {
      outAfterPersist = new ArrayList<>(2);
    }
    outAfterPersist.add(m);
  }

  void reject(Rejection r) {
    if (outRejections == null) {
      outRejections = new ArrayList<>(2);
    }
    outRejections.add(r);
  }

  void readSafe(long readId, long index) {
    if (outReads == null) {
      outReads = new ArrayList<>(4);
    }
    outReads.add(new ReadState(readId, index));
  }

  void acknowledge(long proposalId, long index) {
    if (outAcks == null) {
      outAcks = new ArrayList<>(4);
    }
    outAcks.add(new Acknowledged(proposalId, index));
  }

  static long saturatingAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  @Override
  public String toString() {
    return "Replica[group " + groupId + " node " + nodeId + " " + role.role() + " ballot " + ballot + " commit "
        + commitIndex + " last " + log.lastIndex() + "]";
  }
}
