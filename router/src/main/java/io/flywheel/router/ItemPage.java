package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * A page of Query or Scan results. Items are either still encoded ({@code images}, when nothing
 * is projected, so the HTTP layer can stream them) or projected ({@code items}); with Select
 * COUNT both are empty.
 *
 * @param countOnly Select COUNT: the response carries no Items at all
 * @param count items that matched the filter
 * @param scannedCount items evaluated
 * @param lastEvaluatedKey where the next page starts, or null when there is none
 */
public record ItemPage(
    List<byte[]> images,
    List<Map<String, AttributeValue>> items,
    boolean countOnly,
    int count,
    int scannedCount,
    Map<String, AttributeValue> lastEvaluatedKey,
    ConsumedCapacity consumedCapacity) {}
