package io.flywheel.protocol;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * The outcome of a write.
 *
 * @param oldItem the item before, when requested and present, else null
 * @param newItem the item after, when requested and present, else null
 * @param oldSizeBytes DynamoDB size of the item before (0 when absent), for capacity accounting
 * @param newSizeBytes DynamoDB size of the item after (0 when absent)
 */
public record WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, int oldSizeBytes, int newSizeBytes) {}
