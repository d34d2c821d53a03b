package io.flywheel.protocol;

import io.flywheel.model.expr.Condition;
import java.util.Objects;

/**
 * Reads the items of one partition whose storage keys lie in {@code [startKey, endKey)}, in key
 * order or reversed, as Query and Scan do: at most {@code limit} items are evaluated and at most
 * {@code maxBytes} of item data (DynamoDB sizes) read; the item that crosses {@code maxBytes} is
 * still included, as in DynamoDB. {@code filter} selects which evaluated items are returned (a
 * FilterExpression or legacy QueryFilter/ScanFilter, as the tree the router parsed).
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
    Condition filter,
    boolean consistent) {
  public RangeReadRequest {
    Objects.requireNonNull(partition);
    Objects.requireNonNull(startKey);
    Objects.requireNonNull(endKey);
  }
}
