package io.flywheel.router;

import java.util.List;
import java.util.Map;

/**
 * BatchWriteItem's result: the writes left for a retry, per table; capacity per table; and per
 * table with local indexes, the sizes of the item collections written.
 */
public record BatchWriteItemResult(Map<String, List<BatchWriteItemRequest.Write>> unprocessedItems,
    List<ConsumedCapacity> consumedCapacity, Map<String, List<ItemCollectionMetrics>> itemCollectionMetrics) {}
