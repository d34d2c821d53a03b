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

  private DescriptorCodec() {}

  public static void writePartition(ByteWriter w, PartitionDescriptor p) {
    w.writeByte(PARTITION_V1);
    w.writeLong(p.groupId()).writeLong(p.tableId()).writeLong(p.hashStart()).writeLong(p.hashEnd()).writeLong(p.epoch());
    w.writeVarint(p.replicaNodes().size());
    for (String node : p.replicaNodes()) {
      w.writeString(node);
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
    List<String> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(r.readString());
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
    writeKeyAttribute(w, t.keySchema().partitionKey());
    w.writeByte(t.keySchema().hasSortKey() ? 1 : 0);
    if (t.keySchema().hasSortKey()) {
      writeKeyAttribute(w, t.keySchema().sortKey());
    }
    w.writeVarint(t.attributeDefinitions().size());
    for (AttributeDefinition d : t.attributeDefinitions()) {
      w.writeString(d.name()).writeByte(d.type().ordinal());
    }
    w.writeByte(t.billingMode().ordinal());
    ProvisionedThroughput pt = t.throughput();
    w.writeLong(pt.readCapacityUnits()).writeLong(pt.writeCapacityUnits());
    w.writeLong(pt.lastIncreaseMillis()).writeLong(pt.lastDecreaseMillis()).writeVarint(pt.decreasesToday());
    w.writeLong(t.creationMillis()).writeLong(t.billingModeChangedMillis());
    w.writeByte(t.status().ordinal());
    w.writeVarint(t.partitions().size());
    for (PartitionDescriptor p : t.partitions()) {
      writePartition(w, p);
    }
  }

  public static TableDescriptor readTable(ByteReader r) {
    checkVersion(r, TABLE_V1, "table");
    long tableId = r.readLong();
    String uuid = r.readString();
    String name = r.readString();
    KeyAttribute pk = readKeyAttribute(r);
    KeyAttribute sk = r.readByte() == 1 ? readKeyAttribute(r) : null;
    int nDefs = r.readLength();
    List<AttributeDefinition> defs = new ArrayList<>(nDefs);
    for (int i = 0; i < nDefs; i++) {
      defs.add(new AttributeDefinition(r.readString(), scalar(r.readByte())));
    }
    BillingMode mode = enumAt(BillingMode.values(), r.readByte());
    ProvisionedThroughput pt = new ProvisionedThroughput(r.readLong(), r.readLong(), r.readLong(), r.readLong(), (int) r.readVarint());
    long created = r.readLong();
    long billingChanged = r.readLong();
    TableStatus status = enumAt(TableStatus.values(), r.readByte());
    int nParts = r.readLength();
    List<PartitionDescriptor> parts = new ArrayList<>(nParts);
    for (int i = 0; i < nParts; i++) {
      parts.add(readPartition(r));
    }
    return new TableDescriptor(tableId, uuid, name, new KeySchema(pk, sk), defs, mode, pt, created, billingChanged, status, parts);
  }

  private static void writeKeyAttribute(ByteWriter w, KeyAttribute a) {
    w.writeString(a.name()).writeByte(a.type().ordinal());
  }

  private static KeyAttribute readKeyAttribute(ByteReader r) {
    return new KeyAttribute(r.readString(), scalar(r.readByte()));
  }

  private static ScalarType scalar(int ordinal) {
    return enumAt(ScalarType.values(), ordinal);
  }

  private static <E> E enumAt(E[] values, int ordinal) {
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
