package io.flywheel.storagenode;

import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionLeaders;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;

/**
 * Where a global index's entries for a hash live now: supplied by the composition root from the
 * partition metadata, consulted afresh for every delivery.
 */
@FunctionalInterface
public interface IndexLocator {
  /** The partition and node serving {@code hash} of {@code tableName}'s index {@code indexId}, or null if the index is gone. */
  Target locate(String tableName, long indexId, long hash);

  /** A delivery to {@code target} failed with {@code failure}: the next {@link #locate} may answer differently. */
  default void failed(Target target, Throwable failure) {}

  /** A partition of a global index and the node that serves it. */
  record Target(PartitionRef partition, StorageNodeService node) {}

  /**
   * Finds index partitions in {@code metadata}'s catalog and sends to their leaders, as far as
   * known: a failed delivery's NotLeader answer or unreachable node moves the guess, so the retry
   * goes to the leader.
   */
  static IndexLocator leadersOf(MetadataService metadata, StorageNodes nodes) {
    PartitionLeaders leaders = new PartitionLeaders();
    java.util.Map<Long, PartitionDescriptor> located = new java.util.concurrent.ConcurrentHashMap<>();
    return new IndexLocator() {
      @Override
      public Target locate(String tableName, long indexId, long hash) {
        TableDescriptor t = metadata.table(tableName);
        if (t == null) {
          return null;
        }
        for (IndexDescriptor index : t.indexes()) {
          if (index.indexId() == indexId && index.global() && index.status() != IndexStatus.DELETING) {
            PartitionDescriptor p = index.partitionFor(hash);
            located.put(p.groupId(), p);
            return new Target(p.ref(), nodes.node(leaders.leaderOf(p)));
          }
        }
        return null;
      }

      @Override
      public void failed(Target target, Throwable failure) {
        PartitionDescriptor p = located.get(target.partition().groupId());
        Throwable cause = failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (p != null) {
          leaders.redirect(p, target.node().nodeId(), cause);
        }
      }
    };
  }
}
