package io.flywheel.protocol;

import io.flywheel.model.ItemCondition;
import java.util.Objects;

/**
 * Reads the items of one partition whose storage keys lie in {@code [startKey, endKey)}, in key
 * order or reversed, as Query and Scan do: at most {@code limit} items are evaluated and at most
 * {@code maxBytes} of item data (DynamoDB sizes) read; the item that crosses {@code maxBytes} is
 * still included, as in DynamoDB. {@code filter} selects which evaluated items are returned.
 *
 * @param filter null: every evaluated item is returned
 */
public record RangeReadRequest(
    PartitionRef partition,
    long tableId,
    byte[] startKey,
    byte[] endKey,
    boolean reverse,
    int limit,
    long maxBytes,
    ItemCondition filter,
    boolean consistent) {
  public RangeReadRequest {
    Objects.requireNonNull(partition);
    Objects.requireNonNull(startKey);
    Objects.requireNonNull(endKey);
  }
}
