package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionLeaders;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Finds the partition and node for a key hash and retries on typed routing failures, at most
 * {@link RouterConfig#routingRetriesMax()} times: a stale partition map ({@code WrongPartition}) is
 * refreshed from the metadata service; a replica that does not lead ({@code NotLeader}) names the
 * leader it knows, or the next replica is tried; a node that cannot be reached ({@code
 * Unreachable}) is passed over for the next replica. Retrying is safe only when the request was not
 * carried out: a stale map, a refusal, or a request that never went out. One that went out and got
 * no answer may have taken effect, so it is never retried here: the caller gets a retryable
 * InternalServerError (what DynamoDB answers when a write's outcome is unknown), and the next
 * request goes to another replica. The leader of each group is remembered (one entry per
 * partition, replaced as leaders move).
 */
final class Routing {
  private final MetadataService metadata;
  private final StorageNodes storageNodes;
  private final RouterConfig config;
  private final PartitionLeaders leaders = new PartitionLeaders();
  private final AtomicLong spread = new AtomicLong();

  Routing(MetadataService metadata, StorageNodes storageNodes, RouterConfig config) {
    this.metadata = metadata;
    this.storageNodes = storageNodes;
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

  /** The node to send writes and strongly consistent reads of {@code partition} to: its leader, as far as known. */
  StorageNodeService node(PartitionDescriptor partition) {
    return storageNodes.node(leaders.leaderOf(partition));
  }

  /** The node to send an eventually consistent read of {@code partition} to: any replica, spread evenly. */
  StorageNodeService anyReplica(PartitionDescriptor partition) {
    List<Long> replicas = partition.replicaNodes();
    return storageNodes.node(replicas.get((int) Math.floorMod(spread.getAndIncrement(), (long) replicas.size())));
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
    PartitionDescriptor target;
    try {
      target = locate.apply(table);
      sent = send.apply(target);
    } catch (RuntimeException e) {
      target = null;
      sent = CompletableFuture.failedFuture(e);
    }
    PartitionDescriptor tried = target;
    return sent.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof RoutingException)) {
        return CompletableFuture.<T>failedFuture(cause);
      }
      if (cause instanceof RoutingException.NotLeader || cause instanceof RoutingException.Unreachable) {
        long triedNode = cause instanceof RoutingException.Unreachable u ? u.nodeId() : tried == null ? 0 : leaders.leaderOf(tried);
        if (tried != null) {
          leaders.redirect(tried, triedNode, cause);
        }
        boolean unknownOutcome = cause instanceof RoutingException.Unreachable u && u.requestSent();
        if (tried == null || unknownOutcome || retry >= config.routingRetriesMax()) {
          // An election is under way or a node is down: DynamoDB answers a retryable 500, and the SDKs back off and retry.
          return CompletableFuture.<T>failedFuture(new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error"));
        }
        return attempt(table, locate, send, retry + 1);
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
