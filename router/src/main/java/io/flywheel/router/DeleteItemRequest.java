package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/** DeleteItem's parameters after JSON decoding and constraint checks. */
public record DeleteItemRequest(
    String tableName,
    Map<String, AttributeValue> key,
    ExpressionInput expressions,
    ReturnValues returnValues,
    ReturnConsumedCapacity returnConsumedCapacity,
    boolean returnOldOnConditionFailure) {}
