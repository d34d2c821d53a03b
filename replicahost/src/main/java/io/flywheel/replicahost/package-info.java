/**
 * The host runtime for replication groups (DESIGN.md sections 3 and 4): it owns the threads and the
 * I/O that the consensus core ({@code io.flywheel.replication}) and the roles' state machines must
 * not touch, and carries out the core's {@code Ready}s for every replica on the node.
 *
 * <p>Protocol of one worker loop, for all the groups the worker owns:
 *
 * <ol>
 *   <li>drain up to {@link io.flywheel.replicahost.HostConfig#maxBatchProposals()} tasks: inbound
 *       messages go to their replica; proposals are decided on a leader that serves — the group's
 *       {@link io.flywheel.replicahost.StateMachine#evaluate} decides against its applied state
 *       plus its decisions in flight and yields a log entry, which the core appends — or held
 *       while a new leader is not serving yet, or refused as NOT_LEADER with a hint; replicas get
 *       the time first, and every tick interval when they have peers;
 *   <li>take every touched replica's Ready: send its messages (appends go out while the leader
 *       persists), and persist every entry and vote of every group in <em>one</em> synced log
 *       batch (group commit: one fsync per loop);
 *   <li>carry the Readies out: send acknowledgements and votes (only now, after the sync), apply
 *       committed entries to the item engine — one batch per group that carries the group's
 *       {@code AppliedState(index)} with the items it covers, unsynced — and complete proposals
 *       whose entries are committed and applied: only now is a write acknowledged. A Ready that
 *       only moves the commit index is carried out in the same loop (the commit index is written
 *       unsynced: the applied index restores it after a crash); one that needs a sync waits for
 *       the next loop.
 * </ol>
 *
 * <p>A leader serves strongly consistent reads of its applied state while it holds its lease and
 * has applied everything committed before it began to serve ({@link
 * io.flywheel.replicahost.GroupHandle#servesConsistentReads()}). A group whose only member ever is
 * this node leads from its registration on, with no election timeout and no lease wait.
 *
 * <p>After a crash, {@link io.flywheel.replicahost.ReplicaHost#register} recovers each group from
 * its hard state, its log and its applied index and applies what it knows to be committed. The log
 * is truncated only below the core's floor, which stays below what the item engine holds durably
 * (a separate truncator thread syncs the item engine and deletes, so no worker waits for either)
 * and below what any peer still needs.
 *
 * <p>Rules: a group belongs to exactly one worker; replicas and state machines are called only on
 * that worker's thread (or the registering thread before it), so they need no locks. Every log
 * entry carries a CRC32C checked on read; a mismatch stops the group. Queues and batches are
 * bounded. Not yet: snapshots for replicas that fall below a leader's log floor, quiescing idle
 * groups, coalesced heartbeats.
 */
package io.flywheel.replicahost;
