package io.flywheel.protocol;

import java.util.concurrent.CompletableFuture;

/** What a storage node offers routers and the metadata service. */
public interface StorageNodeService {
  /** The node's id, as named in {@link PartitionDescriptor#replicaNodes()}. */
  long nodeId();

  CompletableFuture<WriteResult> write(WriteRequest request);

  CompletableFuture<ReadResult> read(ReadRequest request);

  CompletableFuture<RangeReadResult> readRange(RangeReadRequest request);

  /**
   * Creates (durably) a replica of the partition, maintaining the indexes of {@code schema};
   * idempotent.
   */
  CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema);

  /** Replaces the partition's index schema, in order with its writes (replicated). */
  CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema);

  /** Applies a base partition's changes to this global-index partition (at most once per sequence). */
  CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations);

  /**
   * Queues index entries of up to {@code maxItems} items, from {@code fromKey} on, for the global
   * index {@code indexId} (which the partition's schema must already maintain): the backfill of a
   * new index, ordered with concurrent writes. Returns the key to continue from, or null when the
   * partition is done.
   */
  CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems);

  /** Deletes a replica and all its items; idempotent. */
  CompletableFuture<Void> dropReplica(long groupId);

  /** Item count and size of key space {@code keySpaceId} (the table, or a local index) in the partition. */
  CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId);

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
