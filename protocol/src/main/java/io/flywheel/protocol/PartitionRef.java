package io.flywheel.protocol;

/** Names a partition in a request: its replication group and the epoch the sender knows. */
public record PartitionRef(long groupId, long epoch) {}
