package io.flywheel.storagenode;

import io.flywheel.base.Bytes;

/**
 * Keys of the storage node's records in the item engine's state space, all beginning with a tag
 * byte and the group id:
 *
 * <ul>
 *   <li>{@code 'R' group} → the replica's partition descriptor
 *   <li>{@code 'X' group} → its partition schema (the indexes it maintains)
 *   <li>{@code 'S' group id} → item count and size of key space {@code id} in the partition
 *   <li>{@code 'O' group index} → global-index updates of log entry {@code index} not yet
 *       delivered (the outbox)
 *   <li>{@code 'H' group source} → the last sequence of {@code source} applied to this
 *       global-index partition
 *   <li>{@code 'C' group partition-prefix} → the size of that partition key's item collection
 *       (tables with local indexes)
 *   <li>{@code 'T' group 'P' item-key} → the transaction that holds that item, prepared; {@code
 *       'T' group 'W'} → the highest transaction timestamp finished in the partition
 * </ul>
 *
 * <p>Besides, {@code 'I'} alone → the node's incarnation counter.
 */
final class StateKeys {
  static final byte REPLICA = 'R';
  static final byte SCHEMA = 'X';
  static final byte STATS = 'S';
  static final byte OUTBOX = 'O';
  static final byte HIGH_WATER = 'H';
  static final byte COLLECTION = 'C';
  static final byte TRANSACTIONS = 'T';
  private static final byte PREPARED = 'P';
  private static final byte WATERMARK = 'W';
  static final byte[] INCARNATION = {'I'};

  private StateKeys() {}

  static byte[] replica(long groupId) {
    return tagged(REPLICA, groupId);
  }

  static byte[] schema(long groupId) {
    return tagged(SCHEMA, groupId);
  }

  static byte[] stats(long groupId, long keySpaceId) {
    return tagged(STATS, groupId, keySpaceId);
  }

  static byte[] outbox(long groupId, long index) {
    return tagged(OUTBOX, groupId, index);
  }

  static byte[] highWater(long groupId, long source) {
    return tagged(HIGH_WATER, groupId, source);
  }

  static byte[] collection(long groupId, byte[] partitionPrefix) {
    byte[] key = new byte[9 + partitionPrefix.length];
    key[0] = COLLECTION;
    Bytes.putLong(key, 1, groupId);
    System.arraycopy(partitionPrefix, 0, key, 9, partitionPrefix.length);
    return key;
  }

  /** The prefix of a group's prepared-item records; the item key follows it. */
  static byte[] preparedPrefix(long groupId) {
    return Bytes.concat(tagged(TRANSACTIONS, groupId), new byte[] {PREPARED});
  }

  static byte[] watermark(long groupId) {
    return Bytes.concat(tagged(TRANSACTIONS, groupId), new byte[] {WATERMARK});
  }

  /** The first key after every key with {@code tag} and {@code groupId}. */
  static byte[] groupEnd(byte tag, long groupId) {
    return Bytes.prefixEnd(tagged(tag, groupId));
  }

  static byte[] tagged(byte tag, long groupId) {
    byte[] key = new byte[9];
    key[0] = tag;
    Bytes.putLong(key, 1, groupId);
    return key;
  }

  private static byte[] tagged(byte tag, long groupId, long second) {
    byte[] key = new byte[17];
    key[0] = tag;
    Bytes.putLong(key, 1, groupId);
    Bytes.putLong(key, 9, second);
    return key;
  }

  static long second(byte[] key) {
    return Bytes.getLong(key, 9);
  }
}
