package io.flywheel.protocol;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCondition;
import io.flywheel.model.ItemUpdate;
import io.flywheel.model.PrimaryKey;
import java.util.Map;
import java.util.Objects;

/**
 * A single-item write, decided by the partition leader against the item's latest version.
 *
 * @param condition evaluated on the current item (empty map when absent); null: unconditional
 * @param returnOld return the item as it was before
 * @param returnNew return the item as it is after
 * @param returnOldOnConditionFailure attach the current item to a ConditionalCheckFailed error
 */
public record WriteRequest(
    PartitionRef partition,
    long tableId,
    PrimaryKey key,
    WriteOp op,
    ItemCondition condition,
    boolean returnOld,
    boolean returnNew,
    boolean returnOldOnConditionFailure) {

  public WriteRequest {
    Objects.requireNonNull(partition);
    Objects.requireNonNull(key);
    Objects.requireNonNull(op);
  }

  /** What a write does to its item. */
  public sealed interface WriteOp {
    /** Replace the item with {@code item} (which carries the key). */
    record Put(Map<String, AttributeValue> item) implements WriteOp {}

    /** Delete the item if it exists. */
    record Delete() implements WriteOp {}

    /** Compute the new item from the current one. */
    record Update(ItemUpdate update) implements WriteOp {}
  }
}
