package io.flywheel.protocol;

import io.flywheel.model.KeySchema;
import java.util.List;

/**
 * What the metadata service knows of a table: its definition, status and partitions (sorted by
 * hash range, covering the whole hash space).
 */
public record TableDescriptor(
    long tableId,
    String tableUuid,
    String name,
    KeySchema keySchema,
    List<AttributeDefinition> attributeDefinitions,
    BillingMode billingMode,
    ProvisionedThroughput throughput,
    long creationMillis,
    long billingModeChangedMillis,
    TableStatus status,
    List<PartitionDescriptor> partitions,
    List<IndexDescriptor> indexes) {

  public TableDescriptor {
    attributeDefinitions = List.copyOf(attributeDefinitions);
    partitions = List.copyOf(partitions);
    indexes = List.copyOf(indexes);
  }

  public TableDescriptor withStatus(TableStatus newStatus) {
    return new TableDescriptor(tableId, tableUuid, name, keySchema, attributeDefinitions, billingMode, throughput,
        creationMillis, billingModeChangedMillis, newStatus, partitions, indexes);
  }

  public TableDescriptor withBilling(BillingMode mode, ProvisionedThroughput newThroughput, long changedMillis) {
    return new TableDescriptor(tableId, tableUuid, name, keySchema, attributeDefinitions, mode, newThroughput,
        creationMillis, changedMillis, status, partitions, indexes);
  }

  public TableDescriptor withIndexes(List<IndexDescriptor> newIndexes, List<AttributeDefinition> definitions) {
    return new TableDescriptor(tableId, tableUuid, name, keySchema, definitions, billingMode, throughput,
        creationMillis, billingModeChangedMillis, status, partitions, newIndexes);
  }

  /** The index named {@code indexName}, or null. */
  public IndexDescriptor index(String indexName) {
    for (IndexDescriptor i : indexes) {
      if (i.name().equals(indexName)) {
        return i;
      }
    }
    return null;
  }

  /** The index with id {@code indexId}, or null. */
  public IndexDescriptor index(long indexId) {
    for (IndexDescriptor i : indexes) {
      if (i.indexId() == indexId) {
        return i;
      }
    }
    return null;
  }

  /** What the table's partitions need to maintain its indexes. */
  public PartitionSchema partitionSchema() {
    return new PartitionSchema(name, keySchema, indexes);
  }

  /** The partition that owns {@code hash}. */
  public PartitionDescriptor partitionFor(long hash) {
    return partitionFor(partitions, hash, name);
  }

  static PartitionDescriptor partitionFor(List<PartitionDescriptor> partitions, long hash, String name) {
    int lo = 0;
    int hi = partitions.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      PartitionDescriptor p = partitions.get(mid);
      if (Long.compareUnsigned(hash, p.hashStart()) < 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(hash, p.hashEnd()) > 0) {
        lo = mid + 1;
      } else {
        return p;
      }
    }
    throw new IllegalStateException("no partition of " + name + " covers hash " + Long.toUnsignedString(hash));
  }
}
