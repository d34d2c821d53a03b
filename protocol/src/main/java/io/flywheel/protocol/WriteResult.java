package io.flywheel.protocol;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a write.
 *
 * @param oldItem the item before, when requested and present, else null
 * @param newItem the item after, when requested and present, else null
 * @param oldSizeBytes DynamoDB size of the item before (0 when absent), for capacity accounting
 * @param newSizeBytes DynamoDB size of the item after (0 when absent)
 * @param indexWrites the writes the item change caused in secondary indexes, one per index entry
 *     put or deleted (a changed index key is two), for capacity accounting
 * @param itemCollectionSizeBytes size of the item's collection afterwards (its partition key's
 *     items and their local-index entries) when the table has local indexes, else -1
 */
public record WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, int oldSizeBytes,
    int newSizeBytes, List<IndexWrite> indexWrites, long itemCollectionSizeBytes) {

  /** A write with no index to maintain. */
  public WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, int oldSizeBytes, int newSizeBytes) {
    this(oldItem, newItem, oldSizeBytes, newSizeBytes, List.of(), -1);
  }

  /** One put or delete of an index entry of {@code sizeBytes} in index {@code indexId}. */
  public record IndexWrite(long indexId, int sizeBytes) {}
}
