/**
 * The host runtime for replication groups (DESIGN.md section 4, "Host runtime"): it owns the
 * threads and the I/O that the roles' state machines must not touch.
 *
 * <p>Protocol of one worker loop, for all the groups the worker owns:
 *
 * <ol>
 *   <li>drain up to {@link io.flywheel.replicahost.HostConfig#maxBatchProposals()} proposals from
 *       the worker's bounded queue; for each, the group's {@link
 *       io.flywheel.replicahost.StateMachine#evaluate} decides against the latest state (including
 *       this loop's earlier, not yet applied proposals) and yields a log entry or a rejection;
 *   <li>persist every entry of every group in <em>one</em> synced log batch (group commit: one
 *       fsync per loop) — an entry is committed once it is durable in the log;
 *   <li>apply committed entries to the item engine, one batch per group that carries the group's
 *       {@code AppliedState(index)} with the items it covers, unsynced;
 *   <li>complete the proposals' futures: only now is a write acknowledged.
 * </ol>
 *
 * <p>After a crash, {@link io.flywheel.replicahost.ReplicaHost#register} replays each group's log
 * from its applied index. The log is truncated only below an applied index that a {@code
 * syncWal()} of the item engine made durable; a separate truncator thread does that sync, so no
 * worker ever waits for it.
 *
 * <p>Rules: a group belongs to exactly one worker; state machines are called only on that
 * worker's thread, so they need no locks. Every log entry carries a CRC32C checked on read; a
 * mismatch stops the group. Queues and batches are bounded. With replication factor 1 the log
 * append <em>is</em> the commit; the Multi-Paxos core of the replication issue replaces that step
 * and keeps the rest of this loop.
 */
package io.flywheel.replicahost;
