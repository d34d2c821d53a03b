package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's replicated log entry: the resulting item images (or deletions) of one decided
 * write, plus the change to the partition's item count and size, so every replica applies exactly
 * the same bytes. Transaction steps also carry records of the partition's state space ({@code
 * stateMutations}: prepared items, the transaction timestamp watermark), applied in the same batch.
 */
record PartitionEntry(List<Mutation> mutations, long itemCountDelta, long sizeBytesDelta, List<Mutation> stateMutations) {
  private static final int FORMAT_V1 = 1;
  /** V1 followed by state mutations; written only when there are some, so plain writes stay V1. */
  private static final int FORMAT_V2 = 2;

  PartitionEntry(List<Mutation> mutations, long itemCountDelta, long sizeBytesDelta) {
    this(mutations, itemCountDelta, sizeBytesDelta, List.of());
  }

  /** Put {@code image} at {@code key}, or delete {@code key} when {@code image} is null. */
  record Mutation(byte[] key, byte[] image) {}

  byte[] encode() {
    int bytes = 32;
    for (Mutation m : mutations) {
      bytes += m.key().length + (m.image() == null ? 0 : m.image().length) + 8;
    }
    for (Mutation m : stateMutations) {
      bytes += m.key().length + (m.image() == null ? 0 : m.image().length) + 8;
    }
    ByteWriter w = new ByteWriter(bytes);
    w.writeByte(stateMutations.isEmpty() ? FORMAT_V1 : FORMAT_V2);
    w.writeLong(itemCountDelta);
    w.writeLong(sizeBytesDelta);
    writeMutations(w, mutations);
    if (!stateMutations.isEmpty()) {
      writeMutations(w, stateMutations);
    }
    return w.toByteArray();
  }

  private static void writeMutations(ByteWriter w, List<Mutation> list) {
    w.writeVarint(list.size());
    for (Mutation m : list) {
      w.writeLengthPrefixed(m.key());
      if (m.image() == null) {
        w.writeByte(0);
      } else {
        w.writeByte(1);
        w.writeLengthPrefixed(m.image());
      }
    }
  }

  static PartitionEntry decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.readByte();
    if (format != FORMAT_V1 && format != FORMAT_V2) {
      throw new CorruptDataException("unknown partition entry format " + format);
    }
    long countDelta = r.readLong();
    long sizeDelta = r.readLong();
    List<Mutation> mutations = readMutations(r);
    List<Mutation> state = format == FORMAT_V2 ? readMutations(r) : List.of();
    return new PartitionEntry(mutations, countDelta, sizeDelta, state);
  }

  private static List<Mutation> readMutations(ByteReader r) {
    int n = r.readLength();
    List<Mutation> mutations = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] key = r.readLengthPrefixed();
      byte[] image = r.readByte() == 1 ? r.readLengthPrefixed() : null;
      mutations.add(new Mutation(key, image));
    }
    return mutations;
  }
}
