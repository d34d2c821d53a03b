package io.flywheel.protocol;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A secondary index. A local index (LSI) lives in its table's partitions, under its own key-space
 * id; a global index (GSI) is an internal table with its own partitions, keyed by its own key.
 *
 * @param indexId the key-space id of the index's entries (never reused, like table ids)
 * @param nonKeyAttributes the extra attributes of an INCLUDE projection, else empty
 * @param backfilling a GSI added to an existing table is being filled from it
 * @param throughput a GSI's provisioned capacity (on-demand: zeros)
 * @param partitions a GSI's partitions (sorted by hash range); empty for an LSI
 */
public record IndexDescriptor(
    String name,
    long indexId,
    boolean global,
    KeySchema keySchema,
    ProjectionType projectionType,
    List<String> nonKeyAttributes,
    IndexStatus status,
    boolean backfilling,
    ProvisionedThroughput throughput,
    List<PartitionDescriptor> partitions) {

  public IndexDescriptor {
    Objects.requireNonNull(name);
    Objects.requireNonNull(keySchema);
    nonKeyAttributes = List.copyOf(nonKeyAttributes);
    partitions = List.copyOf(partitions);
  }

  public IndexDescriptor withStatus(IndexStatus newStatus, boolean nowBackfilling) {
    return new IndexDescriptor(name, indexId, global, keySchema, projectionType, nonKeyAttributes, newStatus, nowBackfilling,
        throughput, partitions);
  }

  /**
   * Whether {@code item} appears in this index: it has every index key attribute, with the
   * declared type (indexes are sparse).
   */
  public boolean covers(Map<String, AttributeValue> item) {
    return has(item, keySchema.partitionKey()) && (!keySchema.hasSortKey() || has(item, keySchema.sortKey()));
  }

  private static boolean has(Map<String, AttributeValue> item, KeyAttribute key) {
    AttributeValue v = item.get(key.name());
    return v != null && key.type().matches(v);
  }

  /** The index's copy of {@code item}: the table's and the index's keys, plus the projected attributes. */
  public Map<String, AttributeValue> project(Map<String, AttributeValue> item, KeySchema tableKeys) {
    if (projectionType == ProjectionType.ALL) {
      return item;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    copy(item, out, tableKeys.partitionKey().name());
    if (tableKeys.hasSortKey()) {
      copy(item, out, tableKeys.sortKey().name());
    }
    copy(item, out, keySchema.partitionKey().name());
    if (keySchema.hasSortKey()) {
      copy(item, out, keySchema.sortKey().name());
    }
    for (String name : nonKeyAttributes) {
      copy(item, out, name);
    }
    return out;
  }

  private static void copy(Map<String, AttributeValue> from, Map<String, AttributeValue> to, String name) {
    AttributeValue v = from.get(name);
    if (v != null) {
      to.put(name, v);
    }
  }

  /** The GSI partition that owns {@code hash}. */
  public PartitionDescriptor partitionFor(long hash) {
    return TableDescriptor.partitionFor(partitions, hash, name);
  }
}
