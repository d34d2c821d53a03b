package io.flywheel.replication;

import io.flywheel.base.Bytes;
import io.flywheel.base.Checksums;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import java.util.Arrays;

/**
 * One log entry. The checksum covers index, ballot, kind and payload; it is computed once when the
 * leader creates the entry and verified wherever the entry crosses a boundary: on receipt in a
 * message and on every read through a {@link LogReader}.
 *
 * <p>The checksum is a CRC32C of the 21-byte header {@code [index:8][ballot:8][kind:1][crc32c(payload):4]},
 * so a payload is hashed once and never copied to be hashed.
 */
public record Entry(long index, long ballot, EntryKind kind, byte[] payload, int checksum) {
  public Entry {
    Invariants.checkArgument(index > 0, "entry index > 0");
    Invariants.checkArgument(ballot > 0, "entry ballot > 0");
    Invariants.checkNotNull(kind, "kind");
    Invariants.checkNotNull(payload, "payload");
  }

  /** A new entry with its checksum. */
  public static Entry create(long index, long ballot, EntryKind kind, byte[] payload) {
    return new Entry(index, ballot, kind, payload, checksumOf(index, ballot, kind, payload));
  }

  public static int checksumOf(long index, long ballot, EntryKind kind, byte[] payload) {
    byte[] header = new byte[21];
    Bytes.putLong(header, 0, index);
    Bytes.putLong(header, 8, ballot);
    header[16] = (byte) kind.code;
    Bytes.putInt(header, 17, Checksums.crc32c(payload));
    return Checksums.crc32c(header);
  }

  public boolean isIntact() {
    return checksum == checksumOf(index, ballot, kind, payload);
  }

  /** Throws {@link CorruptDataException} when the checksum does not match the content. */
  public Entry verified() {
    if (!isIntact()) {
      throw new CorruptDataException("log entry " + index + " (ballot " + ballot + ") fails its checksum");
    }
    return this;
  }

  /** The membership a {@link EntryKind#CONFIG} entry carries. */
  public Membership membership() {
    Invariants.check(kind == EntryKind.CONFIG, "only a CONFIG entry carries a membership");
    return Membership.decode(payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.index == index
        && e.ballot == ballot
        && e.kind == kind
        && e.checksum == checksum
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(ballot) * 17 + checksum;
  }

  @Override
  public String toString() {
    return "Entry[" + index + "@" + ballot + " " + kind + " " + payload.length + "B]";
  }
}
