package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * The size of the item collection a write touched (tables with local secondary indexes only), as
 * DynamoDB reports it: a range in gigabytes, from the whole gigabytes below the exact size to one
 * more.
 *
 * @param itemCollectionKey the partition key attribute and its value
 */
public record ItemCollectionMetrics(Map<String, AttributeValue> itemCollectionKey, double lowerGb, double upperGb) {
  private static final double BYTES_PER_GB = 1L << 30;

  static ItemCollectionMetrics of(Map<String, AttributeValue> itemCollectionKey, long sizeBytes) {
    double lower = Math.floor(sizeBytes / BYTES_PER_GB);
    return new ItemCollectionMetrics(itemCollectionKey, lower, lower + 1);
  }
}
