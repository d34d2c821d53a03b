package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.Bytes;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.storagenode.PartitionEntry.GsiUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table the index tests use: key {@code pk} (S) and {@code sk} (N); a local index {@code
 * by-rank} sorted by {@code rank} (N); a global index {@code by-color} keyed by {@code color} (S).
 */
final class IndexedTable {
  static final long TABLE_ID = 9;
  static final long RANK_INDEX_ID = 20;
  static final long COLOR_INDEX_ID = 30;
  static final String TABLE_NAME = "orders";
  static final KeySchema TABLE_KEYS = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
  static final KeySchema RANK_KEYS = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("rank", ScalarType.N));
  static final KeySchema COLOR_KEYS = new KeySchema(new KeyAttribute("color", ScalarType.S), null);

  private IndexedTable() {}

  static IndexDescriptor localIndex(String name, long id, KeySchema keys, ProjectionType projection, List<String> included) {
    return new IndexDescriptor(name, id, false, keys, projection, included, IndexStatus.ACTIVE, false,
        ProvisionedThroughput.ON_DEMAND, List.of());
  }

  static IndexDescriptor globalIndex(String name, long id, KeySchema keys, ProjectionType projection, List<String> included,
      IndexStatus status) {
    PartitionDescriptor only = new PartitionDescriptor(500 + id, id, 0, -1L, 1, List.of(1L));
    return new IndexDescriptor(name, id, true, keys, projection, included, status, status == IndexStatus.CREATING,
        ProvisionedThroughput.ON_DEMAND, List.of(only));
  }

  static final IndexDescriptor RANK_INDEX = localIndex("by-rank", RANK_INDEX_ID, RANK_KEYS, ProjectionType.KEYS_ONLY, List.of());
  static final IndexDescriptor COLOR_INDEX =
      globalIndex("by-color", COLOR_INDEX_ID, COLOR_KEYS, ProjectionType.INCLUDE, List.of("note"), IndexStatus.ACTIVE);

  static PartitionSchema schema(IndexDescriptor... indexes) {
    return new PartitionSchema(TABLE_NAME, TABLE_KEYS, List.of(indexes));
  }

  /** The schema of the global index's own partitions: an internal table keyed by the index's key. */
  static PartitionSchema colorIndexPartitionSchema() {
    return new PartitionSchema(TABLE_NAME + "/index/by-color", COLOR_KEYS, List.of());
  }

  static AttributeValue s(String v) {
    return AttributeValue.s(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.n(v);
  }

  static PrimaryKey key(String pk, long sk) {
    return new PrimaryKey(s(pk), n(sk));
  }

  /** An item from alternating attribute names and values, after its key. */
  static Map<String, AttributeValue> item(String pk, long sk, Object... attributes) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", s(pk));
    item.put("sk", n(sk));
    for (int i = 0; i < attributes.length; i += 2) {
      Object v = attributes[i + 1];
      item.put((String) attributes[i], v instanceof AttributeValue a ? a : v instanceof String str ? s(str) : n(((Number) v).longValue()));
    }
    return item;
  }

  /** The storage key of an item of the table. */
  static byte[] itemKey(Map<String, AttributeValue> item) {
    return KeyEncoding.itemKey(TABLE_ID, new PrimaryKey(item.get("pk"), item.get("sk")));
  }

  /** Every entry of key space {@code id} (a table or an index), by hex key, decoded. */
  static Map<String, Map<String, AttributeValue>> entries(KvEngine kv, long id) {
    Map<String, Map<String, AttributeValue>> out = new LinkedHashMap<>();
    try (KvIterator it = kv.iterator(Space.DATA, KeyEncoding.tablePrefix(id), KeyEncoding.tablePrefix(id + 1), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        out.put(Bytes.hex(it.key()), ItemCodec.decode(it.value()));
      }
    }
    return out;
  }

  /** A record of a partition's outbox: the log index it came from and its global-index updates. */
  record OutboxRecord(long sequence, List<GsiUpdate> updates) {}

  static List<OutboxRecord> outbox(KvEngine kv, long groupId) {
    List<OutboxRecord> out = new ArrayList<>();
    try (KvIterator it = kv.iterator(Space.STATE, StateKeys.tagged(StateKeys.OUTBOX, groupId),
        StateKeys.groupEnd(StateKeys.OUTBOX, groupId), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        out.add(new OutboxRecord(StateKeys.second(it.key()), PartitionEntry.readGsiUpdates(new ByteReader(it.value()))));
      }
    }
    return out;
  }
}
