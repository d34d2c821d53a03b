package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/** What PutItem, UpdateItem and DeleteItem return: the attributes asked for (or null) and capacity. */
public record WriteItemResult(Map<String, AttributeValue> attributes, ConsumedCapacity consumedCapacity) {}
