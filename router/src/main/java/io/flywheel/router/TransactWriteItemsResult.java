package io.flywheel.router;

import java.util.List;

/** What TransactWriteItems returns: the capacity consumed per table (empty unless asked for). */
public record TransactWriteItemsResult(List<ConsumedCapacity> consumedCapacity) {
  public TransactWriteItemsResult {
    consumedCapacity = List.copyOf(consumedCapacity);
  }
}
