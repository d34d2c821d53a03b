package io.flywheel.protocol.wire;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.ExpressionCodec;
import io.flywheel.model.expr.UpdateExpression;
import io.flywheel.protocol.PartitionRef;
import java.util.Map;

/** The fields messages share, each written and read the same way everywhere (format V1). */
final class Fields {
  private Fields() {}

  /** The expression format that message format {@code version} carries. */
  static int expressionFormat(int version) {
    WireVersion.check(version);
    return ExpressionCodec.FORMAT_V1;
  }

  static void writeBoolean(ByteWriter w, boolean b) {
    w.writeByte(b ? 1 : 0);
  }

  static boolean readBoolean(ByteReader r) {
    int b = r.readByte();
    if (b > 1) {
      throw new CorruptDataException("boolean byte " + b);
    }
    return b == 1;
  }

  /** A presence byte for a nullable field: true when a value follows. */
  static boolean writePresence(ByteWriter w, Object value) {
    writeBoolean(w, value != null);
    return value != null;
  }

  static boolean readPresence(ByteReader r) {
    return readBoolean(r);
  }

  /** A non-negative int as a varint. */
  static void writeCount(ByteWriter w, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative count " + n);
    }
    w.writeVarint(n);
  }

  /** A non-negative int written by {@link #writeCount} (not bounded by the bytes left). */
  static int readCount(ByteReader r) {
    long v = r.readVarint();
    if (v > Integer.MAX_VALUE) {
      throw new CorruptDataException("count " + v + " out of range");
    }
    return (int) v;
  }

  static void writeNullableBytes(ByteWriter w, byte[] bytes) {
    if (writePresence(w, bytes)) {
      w.writeLengthPrefixed(bytes);
    }
  }

  static byte[] readNullableBytes(ByteReader r) {
    return readPresence(r) ? r.readLengthPrefixed() : null;
  }

  static void writeNullableString(ByteWriter w, String s) {
    if (writePresence(w, s)) {
      w.writeString(s);
    }
  }

  static String readNullableString(ByteReader r) {
    return readPresence(r) ? r.readString() : null;
  }

  static void writeRef(ByteWriter w, PartitionRef ref) {
    w.writeLong(ref.groupId()).writeLong(ref.epoch());
  }

  static PartitionRef readRef(ByteReader r) {
    long groupId = r.readLong();
    return new PartitionRef(groupId, r.readLong());
  }

  static void writeKey(ByteWriter w, PrimaryKey key) {
    ItemCodec.writeAttributeValue(w, key.partition());
    if (writePresence(w, key.sort())) {
      ItemCodec.writeAttributeValue(w, key.sort());
    }
  }

  static PrimaryKey readKey(ByteReader r) {
    AttributeValue partition = ItemCodec.readAttributeValue(r);
    return new PrimaryKey(partition, readPresence(r) ? ItemCodec.readAttributeValue(r) : null);
  }

  static void writeNullableItem(ByteWriter w, Map<String, AttributeValue> item) {
    if (writePresence(w, item)) {
      ItemCodec.writeAttributes(w, item);
    }
  }

  static Map<String, AttributeValue> readNullableItem(ByteReader r) {
    return readPresence(r) ? ItemCodec.readAttributes(r) : null;
  }

  static void writeNullableCondition(ByteWriter w, Condition c, int version) {
    if (writePresence(w, c)) {
      ExpressionCodec.writeCondition(w, c, expressionFormat(version));
    }
  }

  static Condition readNullableCondition(ByteReader r, int version) {
    return readPresence(r) ? ExpressionCodec.readCondition(r, expressionFormat(version)) : null;
  }

  static void writeNullableUpdate(ByteWriter w, UpdateExpression u, int version) {
    if (writePresence(w, u)) {
      ExpressionCodec.writeUpdate(w, u, expressionFormat(version));
    }
  }

  static UpdateExpression readNullableUpdate(ByteReader r, int version) {
    return readPresence(r) ? ExpressionCodec.readUpdate(r, expressionFormat(version)) : null;
  }
}
