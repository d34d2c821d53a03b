package io.flywheel.router;

import java.util.List;
import java.util.Map;

/** BatchWriteItem's result: the writes left for a retry, per table, and capacity per table. */
public record BatchWriteItemResult(Map<String, List<BatchWriteItemRequest.Write>> unprocessedItems, List<ConsumedCapacity> consumedCapacity) {}
