package io.flywheel.rpc;

import io.flywheel.model.DynamoException;
import io.flywheel.protocol.RoutingException;
import io.flywheel.model.ErrorCode;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.protocol.wire.RpcMethod;
import io.flywheel.protocol.wire.StorageNodeMessages;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A storage node in another process, as a {@link StorageNodeService}: every method is a call
 * through an {@link RpcEndpoint} to the node's {@link StorageNodeServer}. Routers, the metadata
 * service and other storage nodes (index propagation) use it exactly as they use a local node.
 *
 * <p>What the service throws comes back as itself (DynamoDB errors, WrongPartition, NotLeader).
 * What the RPC layer throws becomes what the caller acts on:
 *
 * <ul>
 *   <li>{@link RpcException.Overloaded} (a bound of calls in flight) → ThrottlingException, as a
 *       full replica worker queue is locally;
 *   <li>{@link RpcException.Timeout}, {@link RpcException.Unavailable} → {@link
 *       RoutingException.Unreachable}, saying whether the request went out: the router then looks
 *       for the partition's leader on another replica (and retries only what was never sent);
 *       callers that do not route see it as an internal error;
 *   <li>{@link RpcException.Rejected} → InternalServerError (a bug or version mismatch).
 * </ul>
 */
public final class RemoteStorageNode implements StorageNodeService {
  static final String THROTTLED = "Rate of requests exceeds the allowed throughput.";
  static final String INTERNAL = "Internal server error";

  private final long nodeId;
  private final RpcEndpoint endpoint;

  /** @param nodeId the node's id: in partition descriptors, replication groups and on the message bus alike */
  public RemoteStorageNode(long nodeId, RpcEndpoint endpoint) {
    this.nodeId = nodeId;
    this.endpoint = endpoint;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  @Override
  public CompletableFuture<WriteResult> write(WriteRequest request) {
    return call(StorageNodeMessages.WRITE, request);
  }

  @Override
  public CompletableFuture<ReadResult> read(ReadRequest request) {
    return call(StorageNodeMessages.READ, request);
  }

  @Override
  public CompletableFuture<RangeReadResult> readRange(RangeReadRequest request) {
    return call(StorageNodeMessages.READ_RANGE, request);
  }

  @Override
  public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
    return call(StorageNodeMessages.CREATE_REPLICA, new StorageNodeMessages.CreateReplica(descriptor, schema));
  }

  @Override
  public CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema) {
    return call(StorageNodeMessages.UPDATE_SCHEMA, new StorageNodeMessages.UpdateSchema(partition, schema));
  }

  @Override
  public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
    return call(StorageNodeMessages.APPLY_INDEX_MUTATIONS, new StorageNodeMessages.ApplyIndexMutations(partition, mutations));
  }

  @Override
  public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
    return call(StorageNodeMessages.BACKFILL_INDEX, new StorageNodeMessages.BackfillIndex(partition, indexId, fromKey, maxItems));
  }

  @Override
  public CompletableFuture<Void> dropReplica(long groupId) {
    return call(StorageNodeMessages.DROP_REPLICA, new StorageNodeMessages.DropReplica(groupId));
  }

  @Override
  public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
    return call(StorageNodeMessages.STATS, new StorageNodeMessages.Stats(partition, keySpaceId));
  }

  @Override
  public CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
    return call(StorageNodeMessages.TX_PREPARE, request);
  }

  @Override
  public CompletableFuture<Void> txFinish(TxFinishRequest request) {
    return call(StorageNodeMessages.TX_FINISH, request);
  }

  @Override
  public CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
    return call(StorageNodeMessages.TX_READ, request);
  }

  private <Q, R> CompletableFuture<R> call(RpcMethod<Q, R> method, Q request) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    endpoint.call(nodeId, method, request).whenComplete((value, error) -> {
      if (error == null) {
        answer.complete(value);
      } else {
        answer.completeExceptionally(translate(nodeId, error));
      }
    });
    return answer;
  }

  /** RPC failures as the DynamoDB errors a local node gives in the same situation; others as they are. */
  static Throwable translate(long nodeId, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return switch (cause) {
      case RpcException.Overloaded o -> new DynamoException(ErrorCode.THROTTLING, THROTTLED);
      case RpcException.Timeout t -> new RoutingException.Unreachable(nodeId, true);
      case RpcException.Unavailable u -> new RoutingException.Unreachable(nodeId, u.sent());
      case RpcException.Rejected r -> new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL);
      default -> cause;
    };
  }
}
