package io.flywheel.protocol;

import io.flywheel.model.KeySchema;
import java.util.List;

/**
 * What a table's partitions must know to maintain its secondary indexes, replicated to them in
 * order with the writes (so every write after a schema change maintains the new indexes).
 */
public record PartitionSchema(String tableName, KeySchema keySchema, List<IndexDescriptor> indexes) {
  public PartitionSchema {
    indexes = List.copyOf(indexes);
  }

  /** Whether the table has local secondary indexes (and so item collections with a size limit). */
  public boolean hasLocalIndexes() {
    for (IndexDescriptor i : indexes) {
      if (!i.global()) {
        return true;
      }
    }
    return false;
  }

  public static PartitionSchema of(TableDescriptor table) {
    return table.partitionSchema();
  }
}
