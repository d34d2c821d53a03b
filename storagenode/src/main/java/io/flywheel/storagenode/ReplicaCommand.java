package io.flywheel.storagenode;

/**
 * What a partition's replication group decides: a single-item write ({@link PartitionCommand}) or
 * a step of a transaction ({@link TxCommand}).
 */
sealed interface ReplicaCommand permits PartitionCommand, TxCommand {}
