package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * BatchGetItem's result: per table, the items found (encoded images when nothing is projected,
 * else projected items), the keys left for a retry, and the capacity consumed per table.
 */
public record BatchGetItemResult(
    Map<String, List<byte[]>> images,
    Map<String, List<Map<String, AttributeValue>>> items,
    Map<String, BatchGetItemRequest.KeysAndAttributes> unprocessedKeys,
    List<ConsumedCapacity> consumedCapacity) {}
