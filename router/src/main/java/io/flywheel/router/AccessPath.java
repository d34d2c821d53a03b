package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.TableDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Query or Scan reads: a table, or one of its secondary indexes — a key space with its key
 * schema, its partitions, and the key attributes that identify an entry (an index entry is
 * identified by the index's keys and the table's).
 *
 * @param index null: the table itself
 */
record AccessPath(TableDescriptor table, IndexDescriptor index) {
  static AccessPath of(TableDescriptor table, String indexName) {
    if (indexName == null) {
      return new AccessPath(table, null);
    }
    IndexDescriptor index = table.index(indexName);
    if (index == null) {
      throw DynamoException.validation("The table does not have the specified index: " + indexName);
    }
    return new AccessPath(table, index);
  }

  /** Re-resolves against a fresher copy of the table (after a routing failure). */
  AccessPath in(TableDescriptor fresh) {
    return index == null ? new AccessPath(fresh, null) : new AccessPath(fresh, fresh.index(index.name()));
  }

  boolean isGlobalIndex() {
    return index != null && index.global();
  }

  long keySpace() {
    return index == null ? table.tableId() : index.indexId();
  }

  KeySchema keys() {
    return index == null ? table.keySchema() : index.keySchema();
  }

  List<PartitionDescriptor> partitions() {
    return isGlobalIndex() ? index.partitions() : table.partitions();
  }

  PartitionDescriptor partitionFor(long hash) {
    return isGlobalIndex() ? index.partitionFor(hash) : table.partitionFor(hash);
  }

  /** Whether every attribute of an item is in this path's entries. */
  boolean projectsAll() {
    return index == null || index.projectionType() == ProjectionType.ALL;
  }

  /** The attributes that identify an entry: the index's keys, then the table's. */
  Map<String, KeyAttribute> entryKeys() {
    Map<String, KeyAttribute> keys = new LinkedHashMap<>();
    add(keys, keys());
    add(keys, table.keySchema());
    return keys;
  }

  private static void add(Map<String, KeyAttribute> keys, KeySchema schema) {
    keys.put(schema.partitionKey().name(), schema.partitionKey());
    if (schema.hasSortKey()) {
      keys.put(schema.sortKey().name(), schema.sortKey());
    }
  }

  /** An entry's key attributes (what LastEvaluatedKey shows). */
  Map<String, AttributeValue> keyOf(Map<String, AttributeValue> entry) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    for (String name : entryKeys().keySet()) {
      key.put(name, entry.get(name));
    }
    return key;
  }

  /**
   * The storage key of the entry an ExclusiveStartKey names, after checking that it names exactly
   * this path's key attributes with their types.
   */
  byte[] startEntryKey(Map<String, AttributeValue> exclusiveStartKey) {
    Map<String, KeyAttribute> keys = entryKeys();
    if (exclusiveStartKey.size() != keys.size()) {
      throw invalidStart();
    }
    for (KeyAttribute k : keys.values()) {
      AttributeValue v = exclusiveStartKey.get(k.name());
      if (v == null || !k.type().matches(v)) {
        throw invalidStart();
      }
    }
    if (index == null) {
      return KeyEncoding.itemKey(table.tableId(), table.keySchema().validateKey(exclusiveStartKey));
    }
    return KeyEncoding.indexKey(index.indexId(), index.keySchema(), table.keySchema(), exclusiveStartKey);
  }

  private static DynamoException invalidStart() {
    return DynamoException.validation("The provided starting key is invalid: The provided key element does not match the schema");
  }
}
