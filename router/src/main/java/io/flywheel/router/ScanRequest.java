package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * Scan's parameters after JSON decoding and constraint checks.
 *
 * @param segment with {@code totalSegments}: a parallel scan's share; both null for a whole scan
 */
public record ScanRequest(
    String tableName,
    String indexName,
    ExpressionInput expressions,
    Select select,
    Integer limit,
    boolean consistentRead,
    Integer segment,
    Integer totalSegments,
    Map<String, AttributeValue> exclusiveStartKey,
    ReturnConsumedCapacity returnConsumedCapacity) {}
