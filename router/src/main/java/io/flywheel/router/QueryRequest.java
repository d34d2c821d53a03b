package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * Query's parameters after JSON decoding and constraint checks.
 *
 * @param indexName null: the table itself
 * @param select null: DynamoDB's default for the request
 * @param limit null: no item limit (the 1 MB page limit still applies)
 * @param exclusiveStartKey null: from the start of the key range
 */
public record QueryRequest(
    String tableName,
    String indexName,
    ExpressionInput expressions,
    Select select,
    Integer limit,
    boolean consistentRead,
    boolean scanIndexForward,
    Map<String, AttributeValue> exclusiveStartKey,
    ReturnConsumedCapacity returnConsumedCapacity) {}
