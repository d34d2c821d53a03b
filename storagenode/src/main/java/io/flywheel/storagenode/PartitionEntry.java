package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's replicated log entry: the resulting item images (or deletions) of one decided
 * write, plus the change to the partition's item count and size, so every replica applies exactly
 * the same bytes.
 */
record PartitionEntry(List<Mutation> mutations, long itemCountDelta, long sizeBytesDelta) {
  private static final int FORMAT_V1 = 1;

  /** Put {@code image} at {@code key}, or delete {@code key} when {@code image} is null. */
  record Mutation(byte[] key, byte[] image) {}

  byte[] encode() {
    int bytes = 32;
    for (Mutation m : mutations) {
      bytes += m.key().length + (m.image() == null ? 0 : m.image().length) + 8;
    }
    ByteWriter w = new ByteWriter(bytes);
    w.writeByte(FORMAT_V1);
    w.writeLong(itemCountDelta);
    w.writeLong(sizeBytesDelta);
    w.writeVarint(mutations.size());
    for (Mutation m : mutations) {
      w.writeLengthPrefixed(m.key());
      if (m.image() == null) {
        w.writeByte(0);
      } else {
        w.writeByte(1);
        w.writeLengthPrefixed(m.image());
      }
    }
    return w.toByteArray();
  }

  static PartitionEntry decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.readByte();
    if (format != FORMAT_V1) {
      throw new CorruptDataException("unknown partition entry format " + format);
    }
    long countDelta = r.readLong();
    long sizeDelta = r.readLong();
    int n = r.readLength();
    List<Mutation> mutations = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] key = r.readLengthPrefixed();
      byte[] image = r.readByte() == 1 ? r.readLengthPrefixed() : null;
      mutations.add(new Mutation(key, image));
    }
    return new PartitionEntry(mutations, countDelta, sizeDelta);
  }
}
