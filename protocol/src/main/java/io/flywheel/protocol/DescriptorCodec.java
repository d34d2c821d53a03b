package io.flywheel.protocol;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encodings of descriptors, for what storage nodes and the metadata group persist. Each
 * record starts with a format version so that a newer release can read an older one.
 */
public final class DescriptorCodec {
  private static final int PARTITION_V1 = 1;
  private static final int TABLE_V1 = 1;
  private static final int SCHEMA_V1 = 1;

  private DescriptorCodec() {}

  public static void writePartition(ByteWriter w, PartitionDescriptor p) {
    w.writeByte(PARTITION_V1);
    w.writeLong(p.groupId()).writeLong(p.tableId()).writeLong(p.hashStart()).writeLong(p.hashEnd()).writeLong(p.epoch());
    w.writeVarint(p.replicaNodes().size());
    for (long node : p.replicaNodes()) {
      w.writeVarint(node);
    }
  }

  public static PartitionDescriptor readPartition(ByteReader r) {
    checkVersion(r, PARTITION_V1, "partition");
    long groupId = r.readLong();
    long tableId = r.readLong();
    long hashStart = r.readLong();
    long hashEnd = r.readLong();
    long epoch = r.readLong();
    int n = r.readLength();
    List<Long> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(r.readVarint());
    }
    return new PartitionDescriptor(groupId, tableId, hashStart, hashEnd, epoch, nodes);
  }

  public static byte[] encodePartition(PartitionDescriptor p) {
    ByteWriter w = new ByteWriter(64);
    writePartition(w, p);
    return w.toByteArray();
  }

  public static PartitionDescriptor decodePartition(byte[] bytes) {
    return readPartition(new ByteReader(bytes));
  }

  public static void writeTable(ByteWriter w, TableDescriptor t) {
    w.writeByte(TABLE_V1);
    w.writeLong(t.tableId());
    w.writeString(t.tableUuid());
    w.writeString(t.name());
    writeKeySchema(w, t.keySchema());
    w.writeVarint(t.attributeDefinitions().size());
    for (AttributeDefinition d : t.attributeDefinitions()) {
      w.writeString(d.name()).writeByte(d.type().ordinal());
    }
    w.writeByte(t.billingMode().ordinal());
    writeThroughput(w, t.throughput());
    w.writeLong(t.creationMillis()).writeLong(t.billingModeChangedMillis());
    w.writeByte(t.status().ordinal());
    w.writeVarint(t.partitions().size());
    for (PartitionDescriptor p : t.partitions()) {
      writePartition(w, p);
    }
    w.writeVarint(t.indexes().size());
    for (IndexDescriptor i : t.indexes()) {
      writeIndex(w, i);
    }
  }

  public static void writeKeySchema(ByteWriter w, KeySchema k) {
    writeKeyAttribute(w, k.partitionKey());
    w.writeByte(k.hasSortKey() ? 1 : 0);
    if (k.hasSortKey()) {
      writeKeyAttribute(w, k.sortKey());
    }
  }

  public static KeySchema readKeySchema(ByteReader r) {
    KeyAttribute pk = readKeyAttribute(r);
    KeyAttribute sk = r.readByte() == 1 ? readKeyAttribute(r) : null;
    return new KeySchema(pk, sk);
  }

  private static void writeThroughput(ByteWriter w, ProvisionedThroughput pt) {
    w.writeLong(pt.readCapacityUnits()).writeLong(pt.writeCapacityUnits());
    w.writeLong(pt.lastIncreaseMillis()).writeLong(pt.lastDecreaseMillis()).writeVarint(pt.decreasesToday());
  }

  private static ProvisionedThroughput readThroughput(ByteReader r) {
    return new ProvisionedThroughput(r.readLong(), r.readLong(), r.readLong(), r.readLong(), (int) r.readVarint());
  }

  static void writeIndex(ByteWriter w, IndexDescriptor i) {
    w.writeString(i.name()).writeLong(i.indexId()).writeByte(i.global() ? 1 : 0);
    writeKeySchema(w, i.keySchema());
    w.writeByte(i.projectionType().ordinal());
    w.writeVarint(i.nonKeyAttributes().size());
    for (String a : i.nonKeyAttributes()) {
      w.writeString(a);
    }
    w.writeByte(i.status().ordinal()).writeByte(i.backfilling() ? 1 : 0);
    writeThroughput(w, i.throughput());
    w.writeVarint(i.partitions().size());
    for (PartitionDescriptor p : i.partitions()) {
      writePartition(w, p);
    }
  }

  static IndexDescriptor readIndex(ByteReader r) {
    String name = r.readString();
    long id = r.readLong();
    boolean global = r.readByte() == 1;
    KeySchema keys = readKeySchema(r);
    ProjectionType type = enumAt(ProjectionType.values(), r.readByte());
    int n = r.readLength();
    List<String> nonKey = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      nonKey.add(r.readString());
    }
    IndexStatus status = enumAt(IndexStatus.values(), r.readByte());
    boolean backfilling = r.readByte() == 1;
    ProvisionedThroughput pt = readThroughput(r);
    int parts = r.readLength();
    List<PartitionDescriptor> partitions = new ArrayList<>(parts);
    for (int k = 0; k < parts; k++) {
      partitions.add(readPartition(r));
    }
    return new IndexDescriptor(name, id, global, keys, type, nonKey, status, backfilling, pt, partitions);
  }

  public static byte[] encodeSchema(PartitionSchema s) {
    ByteWriter w = new ByteWriter(128);
    w.writeByte(SCHEMA_V1);
    w.writeString(s.tableName());
    writeKeySchema(w, s.keySchema());
    w.writeVarint(s.indexes().size());
    for (IndexDescriptor i : s.indexes()) {
      writeIndex(w, i);
    }
    return w.toByteArray();
  }

  public static PartitionSchema decodeSchema(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    checkVersion(r, SCHEMA_V1, "partition schema");
    String table = r.readString();
    KeySchema keys = readKeySchema(r);
    int n = r.readLength();
    List<IndexDescriptor> indexes = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      indexes.add(readIndex(r));
    }
    return new PartitionSchema(table, keys, indexes);
  }

  public static TableDescriptor readTable(ByteReader r) {
    checkVersion(r, TABLE_V1, "table");
    long tableId = r.readLong();
    String uuid = r.readString();
    String name = r.readString();
    KeySchema keys = readKeySchema(r);
    int nDefs = r.readLength();
    List<AttributeDefinition> defs = new ArrayList<>(nDefs);
    for (int i = 0; i < nDefs; i++) {
      defs.add(new AttributeDefinition(r.readString(), scalar(r.readByte())));
    }
    BillingMode mode = enumAt(BillingMode.values(), r.readByte());
    ProvisionedThroughput pt = readThroughput(r);
    long created = r.readLong();
    long billingChanged = r.readLong();
    TableStatus status = enumAt(TableStatus.values(), r.readByte());
    int nParts = r.readLength();
    List<PartitionDescriptor> parts = new ArrayList<>(nParts);
    for (int i = 0; i < nParts; i++) {
      parts.add(readPartition(r));
    }
    int nIndexes = r.readLength();
    List<IndexDescriptor> indexes = new ArrayList<>(nIndexes);
    for (int i = 0; i < nIndexes; i++) {
      indexes.add(readIndex(r));
    }
    return new TableDescriptor(tableId, uuid, name, keys, defs, mode, pt, created, billingChanged, status, parts,
        indexes);
  }

  private static void writeKeyAttribute(ByteWriter w, KeyAttribute a) {
    w.writeString(a.name()).writeByte(a.type().ordinal());
  }

  private static KeyAttribute readKeyAttribute(ByteReader r) {
    return new KeyAttribute(r.readString(), scalar(r.readByte()));
  }

  public static ScalarType scalar(int ordinal) {
    return enumAt(ScalarType.values(), ordinal);
  }

  public static <E> E enumAt(E[] values, int ordinal) {
    if (ordinal < 0 || ordinal >= values.length) {
      throw new CorruptDataException("enum ordinal " + ordinal + " out of range");
    }
    return values[ordinal];
  }

  private static void checkVersion(ByteReader r, int expected, String what) {
    int v = r.readByte();
    if (v != expected) {
      throw new CorruptDataException("unknown " + what + " format " + v);
    }
  }
}
