package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * What PutItem, UpdateItem and DeleteItem return: the attributes asked for (or null), capacity
 * (null unless asked for), and the item collection's size when the table has local indexes (else
 * null; the response shows it when asked for).
 */
public record WriteItemResult(Map<String, AttributeValue> attributes, ConsumedCapacity consumedCapacity,
    ItemCollectionMetrics itemCollectionMetrics) {}
