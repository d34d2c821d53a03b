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

  // ---- transactions (DESIGN.md section 8): the participant side of two-phase commit ----

  /** Prepares the transaction's actions that fall into the partition; see {@link TxPrepareRequest}. */
  default CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("transactions"));
  }

  /** Commits or cancels what the transaction holds in the partition; see {@link TxFinishRequest}. */
  default CompletableFuture<Void> txFinish(TxFinishRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("transactions"));
  }

  /** Reads items for TransactGetItems; see {@link TxReadRequest}. */
  default CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("transactions"));
  }
}
