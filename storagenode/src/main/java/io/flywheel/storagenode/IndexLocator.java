package io.flywheel.storagenode;

import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.StorageNodeService;

/**
 * Where a global index's entries for a hash live now: supplied by the composition root from the
 * partition metadata, consulted afresh for every delivery.
 */
@FunctionalInterface
public interface IndexLocator {
  /** The partition and node serving {@code hash} of {@code tableName}'s index {@code indexId}, or null if the index is gone. */
  Target locate(String tableName, long indexId, long hash);

  /** A partition of a global index and the node that serves it. */
  record Target(PartitionRef partition, StorageNodeService node) {}
}
