package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/** BatchWriteItem's parameters: for each table, puts and deletes. */
public record BatchWriteItemRequest(Map<String, List<Write>> requestItems, ReturnConsumedCapacity returnConsumedCapacity) {
  /** One PutRequest ({@code item}) or DeleteRequest ({@code key}). */
  public record Write(Map<String, AttributeValue> item, Map<String, AttributeValue> key) {
    public boolean isPut() {
      return item != null;
    }
  }
}
