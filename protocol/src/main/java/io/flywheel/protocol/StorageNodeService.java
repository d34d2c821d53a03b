package io.flywheel.protocol;

import java.util.concurrent.CompletableFuture;

/** What a storage node offers routers and the metadata service. */
public interface StorageNodeService {
  /** The node's id, as named in {@link PartitionDescriptor#replicaNodes()}. */
  String nodeId();

  CompletableFuture<WriteResult> write(WriteRequest request);

  CompletableFuture<ReadResult> read(ReadRequest request);

  CompletableFuture<RangeReadResult> readRange(RangeReadRequest request);

  /** Creates (durably) a replica of the partition; idempotent. */
  CompletableFuture<Void> createReplica(PartitionDescriptor descriptor);

  /** Deletes a replica and all its items; idempotent. */
  CompletableFuture<Void> dropReplica(long groupId);

  CompletableFuture<PartitionStats> stats(PartitionRef partition);
}
