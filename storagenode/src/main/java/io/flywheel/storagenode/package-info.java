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
 * <p>Persistent layout (item engine): items under {@link io.flywheel.model.KeyEncoding}; in the
 * state space, {@code 'R'+groupId} → the replica's {@link io.flywheel.protocol.PartitionDescriptor}
 * and {@code 'S'+groupId} → its item count and size.
 */
package io.flywheel.storagenode;
