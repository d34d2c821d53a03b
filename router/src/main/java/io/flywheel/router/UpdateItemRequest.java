package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/** UpdateItem's parameters after JSON decoding and constraint checks. */
public record UpdateItemRequest(
    String tableName,
    Map<String, AttributeValue> key,
    ExpressionInput expressions,
    ReturnValues returnValues,
    ReturnConsumedCapacity returnConsumedCapacity,
    boolean returnOldOnConditionFailure) {}
