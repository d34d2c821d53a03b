/**
 * The replication core: Multi-Paxos with leader leases, log replicas and joint-consensus membership
 * changes, as one pure state machine per (group, node) — DynamoDB paper (USENIX ATC 2022) §4,
 * DESIGN.md §4. Modelled on etcd-io/raft's design (ballot = term, log matching, commit by quorum);
 * written from that design, not from its code.
 *
 * <h2>Role</h2>
 *
 * A {@link io.flywheel.replication.Replica} is one member of one replication group on one node. It
 * has no threads, does no I/O, reads no clock and makes no randomness of its own: time is the
 * {@code monoNanos} of {@link io.flywheel.replication.Replica#tick}, jitter comes from an injected
 * {@link io.flywheel.base.RandomSource}, persisted entries are read through a {@link
 * io.flywheel.replication.LogReader}. Inputs are method calls; everything it wants done comes out as
 * one {@link io.flywheel.replication.Ready} (the host contract, step by step, is on that class).
 * The same inputs and seed always produce the same Readies.
 *
 * <p>Nouns: a <em>node</em> is a machine, a <em>replica</em> a member of a group, a <em>ballot</em>
 * what Raft calls a term, the <em>leader</em> the replica that won its ballot, the <em>lease</em>
 * the interval in which it alone may serve. Member kinds: {@link
 * io.flywheel.replication.MemberKind#FULL_VOTER}, {@link
 * io.flywheel.replication.MemberKind#LOG_VOTER} (the paper's log replica), {@link
 * io.flywheel.replication.MemberKind#LEARNER}.
 *
 * <h2>Protocol steps, and the methods that implement them</h2>
 *
 * <ol>
 *   <li><b>Pre-vote</b> ({@code Replica.maybeCampaign}, {@code becomePreCandidate}): a voter that
 *       has not heard a leader for a random time in [T, 2T) (a log replica: [2T, 3T), so full
 *       voters get the first chance) asks whether the others would vote for it at {@code ballot +
 *       1}, changing nothing durable. A voter refuses while it heard a leader within T ({@code
 *       Replica.inLease}, {@code onVoteRequest}): the paper's gray-failure rule — ask the peers
 *       before deposing a leader — which also keeps the lease promise below.
 *   <li><b>Vote</b> ({@code becomeCandidate}, {@code onVoteRequest}, {@code onVoteResponse}): with
 *       a quorum of pre-votes it increments its ballot, votes for itself, and after that is durable
 *       asks for votes. A voter grants one vote per ballot, to a candidate whose log is at least as
 *       up to date (last ballot, then last index), and only after persisting the vote. Quorums are
 *       counted by {@link io.flywheel.replication.QuorumTracker} over the candidate's configuration
 *       (both halves when joint).
 *   <li><b>Lead</b> ({@code becomeLeader}, {@link io.flywheel.replication.Leader}): the winner
 *       appends a NOOP of its ballot and replicates its log ({@code Leader.flush}, {@code
 *       sendAppend}): per follower a probe until the logs are found to match (fast backtracking
 *       with the follower's hint, {@code nextFromHint}), then a pipeline of at most {@code
 *       inflightAppendsMax} appends of at most {@code appendEntriesMax} entries and {@code
 *       appendBytesMax} bytes; lost appends are re-sent after {@code appendRetryNanos}, or as soon
 *       as a later heartbeat is answered. Heartbeats every {@code heartbeatIntervalNanos}.
 *   <li><b>Accept</b> ({@code Replica.onAppend}): a follower appends only after an entry matching
 *       the leader's previous index and ballot, truncates a conflicting uncommitted suffix, and
 *       acknowledges once the entries are durable.
 *   <li><b>Commit</b> ({@code Leader.maybeCommit}): the highest index stored durably by a quorum
 *       commits if its entry is of the leader's own ballot; entries of earlier ballots commit only
 *       beneath it (Raft's figure-8 rule). Followers learn the commit index from appends and
 *       heartbeats. Committed entries are handed out to apply, in order, on replicas that keep a
 *       state machine.
 *   <li><b>Serve</b> ({@code Leader.isServing}, {@code read}, {@code propose}): a leader serves
 *       strongly consistent reads (at its commit index) and takes writes only while it holds the
 *       lease, has committed an entry of its ballot, is a full voter of the configuration in force
 *       and is not handing leadership over. A new leader holds reads until then.
 *   <li><b>CheckQuorum</b> ({@code Leader.tick}): a leader that heard from no quorum for an
 *       election timeout steps down.
 *   <li><b>Transfer</b> ({@code Leader.transferLeadership}, {@code startTransfer}, {@code
 *       maybeSendTimeoutNow}, {@code Replica.onTimeoutNow}): the leader stops serving, brings the
 *       target up to date and sends it {@link io.flywheel.replication.Message.TimeoutNow}; the
 *       target campaigns at once with the transfer flag, which voters honour even inside a lease,
 *       and may serve as soon as its NOOP commits. If the target has not taken over within T the
 *       old leader steps down (it may never serve again in its ballot once it sent the hand-off) or,
 *       if it never sent it, resumes.
 *   <li><b>Log replicas and removed leaders hand off</b> ({@code Leader.mustHandOff}, {@code
 *       maybeHandOff}): a leader that is not a full voter of the committed configuration in force
 *       serves nothing and transfers leadership to the most up-to-date full voter. A log replica
 *       therefore leads only when no full voter could be elected without its log tail, and only
 *       until that tail is on a full voter.
 *   <li><b>Change membership</b> ({@code Leader.changeMembership}, {@code onCommitAdvanced}): one
 *       change at a time, by joint consensus: a CONFIG entry with C_old,new, in force once
 *       appended (reverted if truncated); when it commits the leader appends C_new; when that
 *       commits a leader not in it hands off. A log replica cannot become a full replica in place.
 *   <li><b>Snapshots</b> ({@code Leader.sendSnapshot}, {@code Replica.onInstallSnapshot}, {@code
 *       snapshotInstalled}): a follower whose next entry is below the leader's log floor is told to
 *       install the leader's state as of its applied index; the bytes move between hosts, outside
 *       the core.
 *   <li><b>Log floor</b> ({@code Replica.floor}): the lowest index still needed: min(archived + 1,
 *       durably applied + 1 on replicas with a state machine, commit + 1, durable + 1, and on a
 *       leader every voter's match + 1). It only rises.
 * </ol>
 *
 * <h2>The lease, and why at most one replica serves at a time</h2>
 *
 * Let D be {@code leaseDurationNanos}, ε {@code clockDriftBoundNanos} (the most two clocks drift
 * apart over D) and T {@code electionTimeoutNanos}, with D ≤ T.
 *
 * <ul>
 *   <li><b>Promise.</b> A voter that receives a message from the leader of its ballot refuses
 *       every (pre-)vote for another candidate for T ≥ D after, on its own clock ({@code
 *       lastLeaderContactNanos}); a restarted replica keeps that promise from its restart, since it
 *       may have made one just before it stopped. The leader itself refuses all votes.
 *   <li><b>Lease.</b> Every request the leader sends carries its send time {@code t} (leader
 *       clock); acknowledgements echo it. The lease lasts until (the latest {@code t} a quorum has
 *       acknowledged) + D − ε ({@code Leader.leaseExpiryNanos}). Each acknowledging voter received
 *       the request after {@code t}, so its promise lasts, in real time, at least until about t + D;
 *       ε absorbs the drift between the two clocks.
 *   <li><b>A new leader is elected only after the old lease ended.</b> Its (pre-)vote quorum
 *       intersects the quorum behind the old lease. The voter in both either granted its vote
 *       after its promise ran out — after the old lease — or granted it first and then, having moved
 *       to a higher ballot, never acknowledged the old leader again. So no acknowledgement given
 *       after the vote extends the old lease.
 *   <li><b>And it waits anyway.</b> Belt and braces against lost promises and clock trouble: a leader
 *       elected by an ordinary election serves only from D + ε after it won, on its own clock
 *       ({@code servingFromNanos}). The old leader's lease came from requests sent before the
 *       intersecting voter moved on, hence before the new leader won; it ends by then + D − ε in
 *       real time.
 *   <li><b>Hand-off.</b> A transfer vote overrides the promise. That is safe because the old
 *       leader stopped serving before it sent {@code TimeoutNow} and never serves again in its
 *       ballot (it steps down if the transfer fails). Leaders of earlier ballots are covered by the
 *       points above, applied to the old leader's own election. {@code TimeoutNow} carries the
 *       sender's own remaining wait (a log replica that never served passes on its D + ε), which the
 *       target waits out plus ε.
 *   <li><b>Time is only what {@code tick} says.</b> The lease is judged at the latest tick, so a
 *       host ticks after it receives requests and before it passes them in.
 * </ul>
 *
 * <h2>Invariants (always on, {@link io.flywheel.base.Invariants}; a violation throws and the host
 * fail-stops the replica)</h2>
 *
 * <ul>
 *   <li>the ballot never decreases; a replica votes at most once per ballot;
 *   <li>the commit index never decreases and never passes the last index; an entry at or below it
 *       never changes (no truncation at or below the commit index);
 *   <li>two leaders never share a ballot (a leader receiving its ballot's append fails);
 *   <li>a leader never serves a read without a lease and before an entry of its ballot committed;
 *       it stops serving before it sends a lease hand-off;
 *   <li>appended entries are contiguous; a stored entry read back has the index asked for and a
 *       matching checksum (else {@link io.flywheel.base.CorruptDataException});
 *   <li>one Ready is outstanding at a time; the applied index reported never passes what was
 *       handed out.
 * </ul>
 *
 * Every entry and message carries a CRC32C ({@link io.flywheel.replication.Entry}, {@link
 * io.flywheel.replication.MessageCodec}); a message that fails is dropped and counted, never
 * applied. Every queue and batch is bounded by a {@link io.flywheel.replication.Config} knob; a
 * full bound rejects with a typed {@link io.flywheel.replication.Rejection}.
 *
 * <h2>Memory</h2>
 *
 * An idle follower holds its fields, a {@link io.flywheel.replication.Membership} and no
 * collections (in-memory entries, configuration lists and output buffers are null while empty; the
 * follower role is one shared instance). A leader adds one small progress record per peer; its
 * proposal, read and in-flight queues start at a few slots and grow only up to their bounds.
 */
package io.flywheel.replication;
