package io.flywheel.storagenode;

import io.flywheel.base.Bytes;

/** Keys of the storage node's records in the item engine's state space. */
final class StateKeys {
  static final byte REPLICA = 'R';
  static final byte STATS = 'S';
  /** A group's transaction records: {@code 'T'+groupId+'P'+itemKey} prepared items, {@code 'T'+groupId+'W'} watermark. */
  static final byte TRANSACTIONS = 'T';
  private static final byte PREPARED = 'P';
  private static final byte WATERMARK = 'W';
  /** The node's incarnation counter (one byte key). */
  static final byte[] INCARNATION = {'I'};

  private StateKeys() {}

  static byte[] replica(long groupId) {
    return tagged(REPLICA, groupId);
  }

  static byte[] stats(long groupId) {
    return tagged(STATS, groupId);
  }

  /** Every transaction record of a group: the range a replica drop deletes. */
  static byte[] transactions(long groupId) {
    return tagged(TRANSACTIONS, groupId);
  }

  /** The prefix of a group's prepared-item records; the item key follows it. */
  static byte[] preparedPrefix(long groupId) {
    return Bytes.concat(tagged(TRANSACTIONS, groupId), new byte[] {PREPARED});
  }

  static byte[] watermark(long groupId) {
    return Bytes.concat(tagged(TRANSACTIONS, groupId), new byte[] {WATERMARK});
  }

  private static byte[] tagged(byte tag, long groupId) {
    byte[] key = new byte[9];
    key[0] = tag;
    Bytes.putLong(key, 1, groupId);
    return key;
  }
}
