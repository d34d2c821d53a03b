package io.flywheel.storagenode;

import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import java.util.concurrent.CompletableFuture;

/** A storage node as an index propagator sees it: only index mutations arrive; anything else is a test error. */
abstract class IndexOnlyNode implements StorageNodeService {
  @Override
  public long nodeId() {
    return 99;
  }

  @Override
  public CompletableFuture<WriteResult> write(WriteRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<ReadResult> read(ReadRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<RangeReadResult> readRange(RangeReadRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> dropReplica(long groupId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
    throw new UnsupportedOperationException();
  }
}
