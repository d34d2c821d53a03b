package io.flywheel.protocol;

import io.flywheel.model.PrimaryKey;
import io.flywheel.model.expr.Condition;
import java.util.Objects;

/**
 * One action of a transaction, as its partition's leader prepares it.
 *
 * @param index the action's position in the client's request (cancellation reasons are reported
 *     by it)
 * @param write what the action does to its item; null for a ConditionCheck
 * @param condition evaluated on the current item (empty map when absent); null: unconditional
 * @param returnOldOnConditionFailure attach the current item to a failed condition's reason
 */
public record TxAction(int index, PrimaryKey key, WriteRequest.WriteOp write, Condition condition, boolean returnOldOnConditionFailure) {
  public TxAction {
    Objects.requireNonNull(key);
  }

  public boolean isCheck() {
    return write == null;
  }
}
