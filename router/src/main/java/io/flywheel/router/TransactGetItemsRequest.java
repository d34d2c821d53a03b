package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/** TransactGetItems' parameters after JSON decoding and constraint checks. */
public record TransactGetItemsRequest(List<Get> gets, ReturnConsumedCapacity returnConsumedCapacity) {
  public TransactGetItemsRequest {
    gets = List.copyOf(gets);
  }

  /** One Get: a key of a table and an optional projection. */
  public record Get(String tableName, Map<String, AttributeValue> key, ExpressionInput expressions) {}
}
