package io.flywheel.protocol;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.UpdateExpression;
import java.util.Map;
import java.util.Objects;

/**
 * A single-item write, decided by the partition leader against the item's latest version. Plain
 * data: the router parses expressions once into typed trees, and the leader evaluates the trees.
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
    Condition condition,
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
    record Put(Map<String, AttributeValue> item) implements WriteOp {
      public Put {
        Objects.requireNonNull(item);
      }
    }

    /** Delete the item if it exists. */
    record Delete() implements WriteOp {}

    /**
     * UpdateItem: compute the new item from the current one. A missing item starts as just its
     * key ({@code keyAttributes}), so the update creates it, as DynamoDB's UpdateItem does.
     *
     * @param keyAttributes the item's key attributes, as a map (what a created item starts from)
     * @param expression the actions to apply; null: none (UpdateItem without an update creates or
     *     keeps the item as it is)
     */
    record Update(Map<String, AttributeValue> keyAttributes, UpdateExpression expression) implements WriteOp {
      public Update {
        Objects.requireNonNull(keyAttributes);
      }

      /**
       * The item after the update of {@code current} (empty when absent).
       *
       * @throws io.flywheel.model.DynamoException ValidationException when the update does not fit
       *     the item
       */
      public Map<String, AttributeValue> apply(Map<String, AttributeValue> current) {
        Map<String, AttributeValue> base = current.isEmpty() ? keyAttributes : current;
        return expression == null ? base : expression.apply(base);
      }
    }
  }
}
