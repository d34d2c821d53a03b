package io.flywheel.replicahost;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.base.Checksums;
import io.flywheel.base.CorruptDataException;
import io.flywheel.replication.Entry;
import io.flywheel.replication.EntryKind;
import io.flywheel.replication.HardState;
import io.flywheel.replication.Membership;

/**
 * Keys and encodings of the host's persistent records.
 *
 * <ul>
 *   <li>log engine, {@code DATA}: {@code [groupId:8][index:8]} → an entry: {@code
 *       [checksum:4][ballot:8][kind:1][payload]} (the entry's own checksum, which covers index,
 *       ballot, kind and payload and is verified on every read)
 *   <li>log engine, {@code DATA}: {@code [groupId:8][FLOOR]} → {@code [index:8][ballot:8]}: the last
 *       entry removed by log truncation, so that the log still knows the ballot before its first
 *       entry
 *   <li>log engine, {@code DATA}: {@code [groupId:8][HARD_STATE]} → {@code [crc32c:4][ballot:8]
 *       [votedFor:8][commitIndex:8][membershipIndex:8][membership]}
 *   <li>item engine, {@code STATE}: {@code 'A' [groupId:8]} → {@code [appliedIndex:8]}
 * </ul>
 *
 * The two record keys sort after every entry key of the group, so a group's records are one range.
 */
final class LogKeys {
  private static final byte APPLIED_TAG = 'A';
  /** Entry indexes are below this; the group's records use it and the next value. */
  static final long FLOOR = Long.MAX_VALUE - 1;
  static final long HARD_STATE = Long.MAX_VALUE;

  private LogKeys() {}

  static byte[] entryKey(long groupId, long index) {
    byte[] key = new byte[16];
    Bytes.putLong(key, 0, groupId);
    Bytes.putLong(key, 8, index);
    return key;
  }

  /** The first key after every entry of {@code groupId} (its records follow). */
  static byte[] entriesEnd(long groupId) {
    return entryKey(groupId, FLOOR);
  }

  static long indexOf(byte[] entryKey) {
    return Bytes.getLong(entryKey, 8);
  }

  static long groupOf(byte[] entryKey) {
    return Bytes.getLong(entryKey, 0);
  }

  /** The first key after every record of {@code groupId}. */
  static byte[] groupEnd(long groupId) {
    return Bytes.prefixEnd(Bytes.ofLong(groupId));
  }

  static byte[] encodeEntry(Entry e) {
    byte[] out = new byte[13 + e.payload().length];
    Bytes.putInt(out, 0, e.checksum());
    Bytes.putLong(out, 4, e.ballot());
    out[12] = (byte) e.kind().code();
    System.arraycopy(e.payload(), 0, out, 13, e.payload().length);
    return out;
  }

  static Entry decodeEntry(long groupId, long index, byte[] stored) {
    if (stored == null) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " is missing");
    }
    if (stored.length < 13) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " is truncated");
    }
    long ballot = Bytes.getLong(stored, 4);
    if (ballot <= 0) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " has ballot " + ballot);
    }
    byte[] payload = new byte[stored.length - 13];
    System.arraycopy(stored, 13, payload, 0, payload.length);
    Entry e = new Entry(index, ballot, EntryKind.ofCode(stored[12]), payload, Bytes.getInt(stored, 0));
    if (!e.isIntact()) {
      throw new CorruptDataException("log entry " + groupId + "/" + index + " fails its checksum");
    }
    return e;
  }

  static byte[] encodeFloor(long index, long ballot) {
    return new ByteWriter(16).writeLong(index).writeLong(ballot).toByteArray();
  }

  static byte[] encodeHardState(HardState h) {
    ByteWriter w = new ByteWriter(48).writeLong(h.ballot()).writeLong(h.votedFor()).writeLong(h.commitIndex())
        .writeLong(h.membershipIndex()).writeLengthPrefixed(h.membership().encode());
    byte[] body = w.toByteArray();
    byte[] out = new byte[4 + body.length];
    Bytes.putInt(out, 0, Checksums.crc32c(body));
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }

  static HardState decodeHardState(long groupId, byte[] stored) {
    if (stored.length < 4 || Bytes.getInt(stored, 0) != Checksums.crc32c(stored, 4, stored.length - 4)) {
      throw new CorruptDataException("hard state of group " + groupId + " fails its checksum");
    }
    ByteReader r = new ByteReader(stored, 4, stored.length - 4);
    long ballot = r.readLong();
    long votedFor = r.readLong();
    long commitIndex = r.readLong();
    long membershipIndex = r.readLong();
    byte[] membership = r.readLengthPrefixed();
    try {
      return new HardState(ballot, votedFor, commitIndex, Membership.decode(membership), membershipIndex);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("hard state of group " + groupId + " is invalid: " + e.getMessage());
    }
  }

  static byte[] appliedKey(long groupId) {
    byte[] key = new byte[9];
    key[0] = APPLIED_TAG;
    Bytes.putLong(key, 1, groupId);
    return key;
  }
}
