package io.flywheel.storagenode;

import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.WriteRequest;

/**
 * What a partition's replication group decides, one at a time, on its leader: a single-item write,
 * index maintenance, or a step of a transaction ({@link TxCommand}).
 */
sealed interface PartitionCommand
    permits PartitionCommand.Write, PartitionCommand.SetSchema, PartitionCommand.ApplyIndex, PartitionCommand.Backfill, TxCommand {
  /**
   * An item write, with everything that does not depend on the item's current version computed
   * beforehand on the caller's thread: the storage key and, for a put, the new image and its size.
   * The group's worker only does what needs the current version.
   *
   * @param newImage the encoded new item of a put, else null
   * @param newSizeBytes its DynamoDB size, else 0
   */
  record Write(WriteRequest request, byte[] itemKey, byte[] newImage, int newSizeBytes) implements PartitionCommand {}

  /** Maintain these indexes from now on. */
  record SetSchema(PartitionSchema schema) implements PartitionCommand {}

  /** A base partition's changes to this global-index partition. */
  record ApplyIndex(IndexMutations mutations) implements PartitionCommand {}

  /** Queue the index entries of up to {@code maxItems} items from {@code fromKey} for global index {@code indexId}. */
  record Backfill(long indexId, byte[] fromKey, int maxItems) implements PartitionCommand {}
}
