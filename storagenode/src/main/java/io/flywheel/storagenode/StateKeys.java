package io.flywheel.storagenode;

import io.flywheel.base.Bytes;

/** Keys of the storage node's records in the item engine's state space. */
final class StateKeys {
  static final byte REPLICA = 'R';
  static final byte STATS = 'S';

  private StateKeys() {}

  static byte[] replica(long groupId) {
    return tagged(REPLICA, groupId);
  }

  static byte[] stats(long groupId) {
    return tagged(STATS, groupId);
  }

  private static byte[] tagged(byte tag, long groupId) {
    byte[] key = new byte[9];
    key[0] = tag;
    Bytes.putLong(key, 1, groupId);
    return key;
  }
}
