package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/** PutItem's parameters after JSON decoding and constraint checks. */
public record PutItemRequest(
    String tableName,
    Map<String, AttributeValue> item,
    ExpressionInput expressions,
    ReturnValues returnValues,
    ReturnConsumedCapacity returnConsumedCapacity,
    boolean returnOldOnConditionFailure) {}
