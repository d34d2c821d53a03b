package io.flywheel.protocol;

import io.flywheel.model.PrimaryKey;

/** A single-item read. Strongly consistent reads are served by the leader under its lease. */
public record ReadRequest(PartitionRef partition, long tableId, PrimaryKey key, boolean consistent) {}
