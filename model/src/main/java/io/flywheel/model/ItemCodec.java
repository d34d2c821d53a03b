package io.flywheel.model;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The binary item image: what a storage node stores as the value of an item key and what the
 * replication log carries for a put. Layout: format byte, the item's DynamoDB size (varint, so
 * reads can bill capacity without decoding), attribute count, then (name, tagged value) pairs.
 * Numbers are stored in canonical text form, so they are returned without re-formatting.
 */
public final class ItemCodec {
  static final int FORMAT_V1 = 1;

  static final int TAG_S = 1;
  static final int TAG_N = 2;
  static final int TAG_B = 3;
  static final int TAG_FALSE = 4;
  static final int TAG_TRUE = 5;
  static final int TAG_NULL = 6;
  static final int TAG_L = 7;
  static final int TAG_M = 8;
  static final int TAG_SS = 9;
  static final int TAG_NS = 10;
  static final int TAG_BS = 11;

  /** Nesting bound when decoding; DynamoDB allows 32 levels, stored data never exceeds that. */
  private static final int MAX_DEPTH = 64;

  private ItemCodec() {}

  public static byte[] encode(Map<String, AttributeValue> item) {
    return encode(item, ItemSize.of(item));
  }

  public static byte[] encode(Map<String, AttributeValue> item, int sizeBytes) {
    ByteWriter w = new ByteWriter(Math.max(64, sizeBytes + 16 + 2 * item.size()));
    w.writeByte(FORMAT_V1);
    w.writeVarint(sizeBytes);
    w.writeVarint(item.size());
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      w.writeString(e.getKey());
      writeValue(w, e.getValue());
    }
    return w.toByteArray();
  }

  /** The DynamoDB size recorded in an encoded image. */
  public static int sizeOf(byte[] image) {
    ByteReader r = new ByteReader(image);
    checkFormat(r);
    return (int) r.readVarint();
  }

  public static Map<String, AttributeValue> decode(byte[] image) {
    ByteReader r = new ByteReader(image);
    checkFormat(r);
    r.readVarint(); // size
    return readMap(r, 0);
  }

  /** Streams an image to {@code visitor}: the item as a map, then its attributes in order. */
  public static void visit(byte[] image, ItemVisitor visitor) {
    ByteReader r = new ByteReader(image);
    checkFormat(r);
    r.readVarint(); // size
    visitMap(r, visitor, 0);
  }

  /** Writes an attribute map (count, then name and tagged value pairs) inside a larger message. */
  public static void writeAttributes(ByteWriter w, Map<String, AttributeValue> item) {
    w.writeVarint(item.size());
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      w.writeString(e.getKey());
      writeValue(w, e.getValue());
    }
  }

  /** Reads what {@link #writeAttributes} wrote; malformed input is a {@link CorruptDataException}. */
  public static Map<String, AttributeValue> readAttributes(ByteReader r) {
    return readMap(r, 0);
  }

  /** Writes one tagged attribute value inside a larger message. */
  public static void writeAttributeValue(ByteWriter w, AttributeValue value) {
    writeValue(w, value);
  }

  /** Reads what {@link #writeAttributeValue} wrote; malformed input is a {@link CorruptDataException}. */
  public static AttributeValue readAttributeValue(ByteReader r) {
    return readValue(r, 0);
  }

  private static void visitMap(ByteReader r, ItemVisitor v, int depth) {
    int count = r.readLength();
    v.beginMap(count);
    for (int i = 0; i < count; i++) {
      int length = r.readLength();
      v.name(r.array(), r.position(), length);
      r.skip(length);
      visitValue(r, v, depth + 1);
    }
    v.endMap();
  }

  private static void visitValue(ByteReader r, ItemVisitor v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new CorruptDataException("item nested deeper than " + MAX_DEPTH);
    }
    int tag = r.readByte();
    switch (tag) {
      case TAG_S -> visitSlice(r, v, TAG_S);
      case TAG_N -> visitSlice(r, v, TAG_N);
      case TAG_B -> visitSlice(r, v, TAG_B);
      case TAG_FALSE -> v.bool(false);
      case TAG_TRUE -> v.bool(true);
      case TAG_NULL -> v.nul();
      case TAG_L -> {
        int count = r.readLength();
        v.beginList(count);
        for (int i = 0; i < count; i++) {
          visitValue(r, v, depth + 1);
        }
        v.endList();
      }
      case TAG_M -> visitMap(r, v, depth);
      case TAG_SS, TAG_NS, TAG_BS -> {
        int count = r.readLength();
        int elementTag = tag == TAG_SS ? TAG_S : tag == TAG_NS ? TAG_N : TAG_B;
        v.beginSet(tag == TAG_SS ? "SS" : tag == TAG_NS ? "NS" : "BS", count);
        for (int i = 0; i < count; i++) {
          visitSlice(r, v, elementTag);
        }
        v.endSet();
      }
      default -> throw new CorruptDataException("unknown attribute tag " + tag);
    }
  }

  private static void visitSlice(ByteReader r, ItemVisitor v, int tag) {
    int length = r.readLength();
    int at = r.position();
    r.skip(length);
    switch (tag) {
      case TAG_S -> v.string(r.array(), at, length);
      case TAG_N -> v.number(r.array(), at, length);
      default -> v.binary(r.array(), at, length);
    }
  }

  private static void checkFormat(ByteReader r) {
    int format = r.readByte();
    if (format != FORMAT_V1) {
      throw new CorruptDataException("unknown item format " + format);
    }
  }

  static void writeValue(ByteWriter w, AttributeValue value) {
    switch (value) {
      case AttributeValue.S s -> w.writeByte(TAG_S).writeString(s.value());
      case AttributeValue.N n -> w.writeByte(TAG_N).writeString(n.value().toString());
      case AttributeValue.B b -> w.writeByte(TAG_B).writeLengthPrefixed(b.value().unsafeBytes());
      case AttributeValue.Bool b -> w.writeByte(b.value() ? TAG_TRUE : TAG_FALSE);
      case AttributeValue.Null ignored -> w.writeByte(TAG_NULL);
      case AttributeValue.L l -> {
        w.writeByte(TAG_L).writeVarint(l.values().size());
        for (AttributeValue v : l.values()) {
          writeValue(w, v);
        }
      }
      case AttributeValue.M m -> {
        w.writeByte(TAG_M).writeVarint(m.values().size());
        for (Map.Entry<String, AttributeValue> e : m.values().entrySet()) {
          w.writeString(e.getKey());
          writeValue(w, e.getValue());
        }
      }
      case AttributeValue.SS ss -> {
        w.writeByte(TAG_SS).writeVarint(ss.values().size());
        for (String s : ss.values()) {
          w.writeString(s);
        }
      }
      case AttributeValue.NS ns -> {
        w.writeByte(TAG_NS).writeVarint(ns.values().size());
        for (DynamoNumber n : ns.values()) {
          w.writeString(n.toString());
        }
      }
      case AttributeValue.BS bs -> {
        w.writeByte(TAG_BS).writeVarint(bs.values().size());
        for (Binary b : bs.values()) {
          w.writeLengthPrefixed(b.unsafeBytes());
        }
      }
    }
  }

  private static Map<String, AttributeValue> readMap(ByteReader r, int depth) {
    int count = r.readLength();
    Map<String, AttributeValue> map = new LinkedHashMap<>(Math.max(4, count * 2));
    for (int i = 0; i < count; i++) {
      String name = r.readString();
      if (map.put(name, readValue(r, depth + 1)) != null) {
        throw new CorruptDataException("attribute " + name + " twice in one map");
      }
    }
    return map;
  }

  static AttributeValue readValue(ByteReader r, int depth) {
    if (depth > MAX_DEPTH) {
      throw new CorruptDataException("item nested deeper than " + MAX_DEPTH);
    }
    int tag = r.readByte();
    return switch (tag) {
      case TAG_S -> new AttributeValue.S(r.readString());
      case TAG_N -> new AttributeValue.N(number(r.readString()));
      case TAG_B -> new AttributeValue.B(Binary.wrap(r.readLengthPrefixed()));
      case TAG_FALSE -> AttributeValue.Bool.FALSE;
      case TAG_TRUE -> AttributeValue.Bool.TRUE;
      case TAG_NULL -> AttributeValue.Null.INSTANCE;
      case TAG_L -> {
        int count = r.readLength();
        List<AttributeValue> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          list.add(readValue(r, depth + 1));
        }
        yield new AttributeValue.L(list);
      }
      case TAG_M -> new AttributeValue.M(readMap(r, depth));
      case TAG_SS -> {
        int count = r.readLength();
        Set<String> set = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
          if (!set.add(r.readString())) {
            throw new CorruptDataException("set element twice");
          }
        }
        yield new AttributeValue.SS(set);
      }
      case TAG_NS -> {
        int count = r.readLength();
        Set<DynamoNumber> set = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
          if (!set.add(number(r.readString()))) {
            throw new CorruptDataException("set element twice");
          }
        }
        yield new AttributeValue.NS(set);
      }
      case TAG_BS -> {
        int count = r.readLength();
        Set<Binary> set = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
          if (!set.add(Binary.wrap(r.readLengthPrefixed()))) {
            throw new CorruptDataException("set element twice");
          }
        }
        yield new AttributeValue.BS(set);
      }
      default -> throw new CorruptDataException("unknown attribute tag " + tag);
    };
  }

  private static DynamoNumber number(String canonical) {
    try {
      return DynamoNumber.fromCanonical(canonical);
    } catch (NumberFormatException e) {
      throw new CorruptDataException("malformed number " + canonical);
    }
  }
}
