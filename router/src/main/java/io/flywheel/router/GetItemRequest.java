package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/** GetItem's parameters after JSON decoding and constraint checks. */
public record GetItemRequest(
    String tableName,
    Map<String, AttributeValue> key,
    boolean consistentRead,
    ExpressionInput expressions,
    ReturnConsumedCapacity returnConsumedCapacity) {}
