package io.flywheel.protocol;

import java.util.Map;

/**
 * The storage nodes a role can reach, by node id: local ones directly, others through a remote
 * client. Node ids are the replication core's (positive longs), the same in every partition
 * descriptor and every replication group.
 */
@FunctionalInterface
public interface StorageNodes {
  /** The node with id {@code nodeId}; an unknown node is an {@link IllegalStateException}. */
  StorageNodeService node(long nodeId);

  /** A fixed set of nodes. */
  static StorageNodes of(Map<Long, ? extends StorageNodeService> nodes) {
    Map<Long, StorageNodeService> copy = Map.copyOf(nodes);
    return id -> {
      StorageNodeService node = copy.get(id);
      if (node == null) {
        throw new IllegalStateException("no storage node " + id + " among " + copy.keySet());
      }
      return node;
    };
  }
}
