package io.flywheel.router;

import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.TableDescriptor;

import java.util.Map;

/** A table as DescribeTable shows it: its descriptor and the item count and size of it and of each index. */
public record TableDescription(TableDescriptor table, PartitionStats stats, Map<String, PartitionStats> indexStats) {}
