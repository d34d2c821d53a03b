package io.flywheel.router;

import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.TableDescriptor;

/** A table as DescribeTable shows it: its descriptor and its item count and size. */
public record TableDescription(TableDescriptor table, PartitionStats stats) {}
