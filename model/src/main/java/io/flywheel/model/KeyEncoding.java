package io.flywheel.model;

import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.base.Hash64;
import java.nio.charset.StandardCharsets;

/**
 * The storage key layout of DESIGN.md section 3:
 * {@code [tableId:8][hash64(partitionKey):8][partitionKey][sortKey]}.
 *
 * <p>A partition is an interval of this order (one table, a range of hashes), so a split moves no
 * data. Key parts are self-delimiting and order-preserving: strings and binaries are escaped
 * (0x00 becomes 0x00 0xFF) and end with 0x00 0x01; numbers use {@link
 * DynamoNumber#sortableBytes()}. So all items of one partition key are contiguous and sorted by
 * sort key in DynamoDB's order (UTF-8 bytes, unsigned bytes, numeric).
 */
public final class KeyEncoding {
  private KeyEncoding() {}

  /** The canonical bytes of a key value, which the partition hash is computed over. */
  public static byte[] canonicalBytes(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8);
      case AttributeValue.B b -> b.value().unsafeBytes();
      case AttributeValue.N n -> n.value().sortableBytes();
      default -> throw new IllegalArgumentException("not a key type: " + value.typeName());
    };
  }

  public static long partitionHash(AttributeValue partitionKey) {
    return Hash64.hash(canonicalBytes(partitionKey));
  }

  /** The first key of a table: every key of the table starts with it. */
  public static byte[] tablePrefix(long tableId) {
    return Bytes.ofLong(tableId);
  }

  /** {@code [tableId][hash]}: the start of the key range of a hash value in a table. */
  public static byte[] hashPrefix(long tableId, long hash) {
    byte[] out = new byte[16];
    Bytes.putLong(out, 0, tableId);
    Bytes.putLong(out, 8, hash);
    return out;
  }

  /**
   * The first key after every key of {@code tableId} whose hash is at most {@code lastHash}
   * (unsigned): the start of the next hash, or of the next table after the last hash.
   */
  public static byte[] hashRangeEnd(long tableId, long lastHash) {
    return lastHash == -1L ? tablePrefix(tableId + 1) : hashPrefix(tableId, lastHash + 1);
  }

  /** The prefix shared by every item with this partition key (a Query's range). */
  public static byte[] partitionPrefix(long tableId, AttributeValue partitionKey) {
    ByteWriter w = new ByteWriter(32);
    writePartitionPrefix(w, tableId, partitionKey);
    return w.toByteArray();
  }

  private static void writePartitionPrefix(ByteWriter w, long tableId, AttributeValue partitionKey) {
    byte[] canonical = canonicalBytes(partitionKey);
    w.writeLong(tableId);
    w.writeLong(Hash64.hash(canonical));
    writePart(w, partitionKey, canonical);
  }

  public static byte[] itemKey(long tableId, PrimaryKey key) {
    ByteWriter w = new ByteWriter(48);
    writePartitionPrefix(w, tableId, key.partition());
    if (key.sort() != null) {
      writePart(w, key.sort(), canonicalBytes(key.sort()));
    }
    return w.toByteArray();
  }

  /** The encoding of one key part, for building sort-key bounds. */
  public static byte[] keyPart(AttributeValue value) {
    ByteWriter w = new ByteWriter(16);
    writePart(w, value, canonicalBytes(value));
    return w.toByteArray();
  }

  private static void writePart(ByteWriter w, AttributeValue value, byte[] canonical) {
    if (value instanceof AttributeValue.N) {
      w.writeBytes(canonical); // already order-preserving and self-delimiting
      return;
    }
    for (byte b : canonical) {
      w.writeByte(b);
      if (b == 0) {
        w.writeByte(0xFF);
      }
    }
    w.writeByte(0x00).writeByte(0x01);
  }

  /**
   * The key range {@code [start, end)} of the entries with partition key {@code partitionKey}
   * (under key-space {@code id}: a table or an index) whose sort key satisfies {@code condition}
   * (null: all of them). Index entries continue after their sort key with the table's key, so
   * every bound is a prefix bound.
   */
  public static byte[][] sortKeyRange(long id, AttributeValue partitionKey, io.flywheel.model.expr.KeyCondition.SortKeyCondition condition) {
    byte[] prefix = partitionPrefix(id, partitionKey);
    byte[] all = Bytes.prefixEnd(prefix);
    if (condition == null) {
      return new byte[][] {prefix, all};
    }
    byte[] first = Bytes.concat(prefix, keyPart(condition.values().get(0)));
    return switch (condition.operator()) {
      case EQ -> new byte[][] {first, Bytes.prefixEnd(first)};
      case LT -> new byte[][] {prefix, first};
      case LE -> new byte[][] {prefix, Bytes.prefixEnd(first)};
      case GT -> new byte[][] {Bytes.prefixEnd(first), all};
      case GE -> new byte[][] {first, all};
      case BETWEEN -> new byte[][] {first, Bytes.prefixEnd(Bytes.concat(prefix, keyPart(condition.values().get(1))))};
      case BEGINS_WITH -> {
        byte[] start = Bytes.concat(prefix, escapedWithoutTerminator(condition.values().get(0)));
        byte[] end = Bytes.prefixEnd(start);
        yield new byte[][] {start, end == null ? all : end};
      }
    };
  }

  /**
   * The key of an item's entry in a secondary index: {@code [indexId][hash(index partition
   * key)][index partition key][index sort key][table partition key][table sort key]} — the
   * table's key makes entries of items that share index keys distinct.
   */
  public static byte[] indexKey(long indexId, KeySchema indexKeys, KeySchema tableKeys, java.util.Map<String, AttributeValue> item) {
    AttributeValue pk = item.get(indexKeys.partitionKey().name());
    ByteWriter w = new ByteWriter(64);
    writePartitionPrefix(w, indexId, pk);
    if (indexKeys.hasSortKey()) {
      AttributeValue sk = item.get(indexKeys.sortKey().name());
      writePart(w, sk, canonicalBytes(sk));
    }
    AttributeValue tablePk = item.get(tableKeys.partitionKey().name());
    writePart(w, tablePk, canonicalBytes(tablePk));
    if (tableKeys.hasSortKey()) {
      AttributeValue tableSk = item.get(tableKeys.sortKey().name());
      writePart(w, tableSk, canonicalBytes(tableSk));
    }
    return w.toByteArray();
  }

  /** The smallest key after {@code key}: what a read resumes from after the entry {@code key}. */
  public static byte[] successor(byte[] key) {
    return Bytes.concat(key, new byte[] {0});
  }

  /** A string or binary's escaped bytes without the terminator: a prefix of every longer value's. */
  private static byte[] escapedWithoutTerminator(AttributeValue value) {
    byte[] part = keyPart(value);
    return java.util.Arrays.copyOf(part, part.length - 2);
  }

  /** The table id of an item key. */
  public static long tableIdOf(byte[] itemKey) {
    return Bytes.getLong(itemKey, 0);
  }

  /** The partition hash of an item key. */
  public static long hashOf(byte[] itemKey) {
    return Bytes.getLong(itemKey, 8);
  }
}
