package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/** BatchGetItem's parameters: for each table, the keys to read and how. */
public record BatchGetItemRequest(Map<String, KeysAndAttributes> requestItems, ReturnConsumedCapacity returnConsumedCapacity) {
  /** The reads of one table. */
  public record KeysAndAttributes(List<Map<String, AttributeValue>> keys, boolean consistentRead, ExpressionInput expressions) {}
}
