/**
 * The storage node role (paper section 3): hosts partition replicas, decides writes on the leader
 * and serves reads.
 *
 * <p>Write path: {@link io.flywheel.storagenode.StorageNode#write} checks the request's partition
 * and epoch, then proposes it to the partition's replication group. On the group's worker, {@link
 * io.flywheel.storagenode.PartitionReplica#evaluate} reads the item's latest version (its own
 * not-yet-applied writes included), checks the condition, computes the new image and returns a
 * {@link io.flywheel.storagenode.PartitionEntry} carrying the <em>resulting images</em>, never the
 * expression. The host persists it (the commit) and {@link
 * io.flywheel.storagenode.PartitionReplica#apply} writes the images and the partition's statistics
 * in the same item-engine batch as the applied index. Only then is the write acknowledged.
 *
 * <p>Read path: reads come from the item engine, which holds every acknowledged write.
 *
 * <p>Transactions (DESIGN.md section 8): {@link io.flywheel.storagenode.StorageNode#txPrepare},
 * {@code txFinish} (commit or cancel) and {@code txRead} are commands of the same replication group,
 * decided in order with the partition's writes by {@link io.flywheel.storagenode.TxParticipant},
 * whose documentation states the participant rules: prepare fails at once on conflict (no waiting,
 * no deadlock), timestamp order per item, prepared items durable in the state space and held
 * against plain writes, reads see the last committed version.
 *
 * <p>Persistent layout (item engine): items under {@link io.flywheel.model.KeyEncoding}; in the
 * state space, {@code 'R'+groupId} → the replica's {@link io.flywheel.protocol.PartitionDescriptor},
 * {@code 'S'+groupId} → its item count and size, {@code 'T'+groupId+...} → its transaction records
 * (prepared items, timestamp watermark), and {@code 'I'} → the node's incarnation counter.
 */
package io.flywheel.storagenode;
