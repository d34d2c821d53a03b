package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.base.Checksums;
import io.flywheel.base.CorruptDataException;

/**
 * Keys and framing of the host's persistent records.
 *
 * <ul>
 *   <li>log engine, {@code DATA}: {@code [groupId:8][index:8]} → {@code [crc32c(payload):4][payload]}
 *   <li>item engine, {@code STATE}: {@code 'A' [groupId:8]} → {@code [appliedIndex:8]}
 * </ul>
 */
final class LogKeys {
  private static final byte APPLIED_TAG = 'A';

  private LogKeys() {}

  static byte[] entryKey(long groupId, long index) {
    byte[] key = new byte[16];
    Bytes.putLong(key, 0, groupId);
    Bytes.putLong(key, 8, index);
    return key;
  }

  static long indexOf(byte[] entryKey) {
    return Bytes.getLong(entryKey, 8);
  }

  static long groupOf(byte[] entryKey) {
    return Bytes.getLong(entryKey, 0);
  }

  /** The first key after every entry of {@code groupId}. */
  static byte[] groupEnd(long groupId) {
    return Bytes.prefixEnd(Bytes.ofLong(groupId));
  }

  static byte[] frame(byte[] payload) {
    byte[] framed = new byte[4 + payload.length];
    Bytes.putInt(framed, 0, Checksums.crc32c(payload));
    System.arraycopy(payload, 0, framed, 4, payload.length);
    return framed;
  }

  static byte[] unframe(long groupId, long index, byte[] framed) {
    if (framed.length < 4) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " is truncated");
    }
    int expected = Bytes.getInt(framed, 0);
    int actual = Checksums.crc32c(framed, 4, framed.length - 4);
    if (expected != actual) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " fails its checksum");
    }
    byte[] payload = new byte[framed.length - 4];
    System.arraycopy(framed, 4, payload, 0, payload.length);
    return payload;
  }

  static byte[] appliedKey(long groupId) {
    byte[] key = new byte[9];
    key[0] = APPLIED_TAG;
    Bytes.putLong(key, 1, groupId);
    return key;
  }
}
