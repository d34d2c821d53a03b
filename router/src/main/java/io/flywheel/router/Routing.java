package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Finds the partition and node for a key hash and retries on typed routing failures: a stale
 * partition map is refreshed from the metadata service, at most {@link
 * RouterConfig#routingRetriesMax()} times.
 */
final class Routing {
  private final MetadataService metadata;
  private final Map<String, StorageNodeService> storageNodes;
  private final RouterConfig config;

  Routing(MetadataService metadata, Map<String, StorageNodeService> storageNodes, RouterConfig config) {
    this.metadata = metadata;
    this.storageNodes = Map.copyOf(storageNodes);
    this.config = config;
  }

  static DynamoException tableNotFound(String name) {
    return DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
  }

  /** A table that serves items: item operations on a table being created or deleted find nothing. */
  TableDescriptor activeTable(String name) {
    TableDescriptor t = metadata.table(name);
    if (t == null || t.status() == TableStatus.CREATING || t.status() == TableStatus.DELETING) {
      throw DynamoException.resourceNotFound("Requested resource not found");
    }
    return t;
  }

  StorageNodeService node(PartitionDescriptor partition) {
    StorageNodeService node = storageNodes.get(partition.replicaNodes().get(0));
    if (node == null) {
      throw new IllegalStateException("partition " + partition.groupId() + " placed on unknown node " + partition.replicaNodes());
    }
    return node;
  }

  /** Sends to the table partition owning {@code hash}, refreshing the table's map on routing failures. */
  <T> CompletableFuture<T> routed(TableDescriptor table, long hash, Function<PartitionDescriptor, CompletableFuture<T>> send) {
    return routed(table, t -> t.partitionFor(hash), send);
  }

  /**
   * Sends to the partition {@code locate} picks from the table's map (a table partition, or one of
   * a global index's), refreshing the map on routing failures.
   */
  <T> CompletableFuture<T> routed(TableDescriptor table, Function<TableDescriptor, PartitionDescriptor> locate,
      Function<PartitionDescriptor, CompletableFuture<T>> send) {
    return attempt(table, locate, send, 0);
  }

  private <T> CompletableFuture<T> attempt(TableDescriptor table, Function<TableDescriptor, PartitionDescriptor> locate,
      Function<PartitionDescriptor, CompletableFuture<T>> send, int retry) {
    CompletableFuture<T> sent;
    try {
      sent = send.apply(locate.apply(table));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof RoutingException)) {
        return CompletableFuture.<T>failedFuture(cause);
      }
      TableDescriptor fresh = metadata.table(table.name());
      if (retry >= config.routingRetriesMax() || fresh == null || fresh.tableId() != table.tableId()
          || fresh.status() != TableStatus.ACTIVE) {
        return CompletableFuture.<T>failedFuture(DynamoException.resourceNotFound("Requested resource not found"));
      }
      return attempt(fresh, locate, send, retry + 1);
    }).thenCompose(Function.identity());
  }
}
