package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.PartitionSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's replicated log entry: the decided outcome of one command, so that every replica
 * applies exactly the same bytes. Writes carry the resulting images (of the item and of its local
 * index entries), the statistics deltas, the global-index updates to deliver, and records of the
 * partition's state space written in the same batch (item-collection sizes; a transaction's
 * prepared items and timestamp watermark).
 */
sealed interface PartitionEntry {
  int WRITE = 1;
  int SCHEMA = 2;
  int INDEX = 3;

  /** Put {@code image} at {@code key}, or delete {@code key} when {@code image} is null. */
  record Mutation(byte[] key, byte[] image) {}

  /** A change of key space {@code id}'s item count and size. */
  record StatsDelta(long id, long count, long sizeBytes) {}

  /** An update of global index {@code indexId} for the index partition key hash {@code hash}. */
  record GsiUpdate(long indexId, long hash, byte[] key, byte[] image) {}

  /**
   * Item writes (one item, or a transaction's items in this partition).
   *
   * @param mutations of items and local-index entries
   * @param stateMutations of the partition's records in the state space
   */
  record Write(List<Mutation> mutations, List<StatsDelta> stats, List<GsiUpdate> gsiUpdates, List<Mutation> stateMutations)
      implements PartitionEntry {}

  record Schema(PartitionSchema schema) implements PartitionEntry {}

  /** Mutations of a global-index partition from {@code source}'s entry {@code sequence}. */
  record Index(long source, long sequence, List<Mutation> mutations, List<StatsDelta> stats) implements PartitionEntry {}

  default byte[] encode() {
    ByteWriter w = new ByteWriter(256);
    switch (this) {
      case Write e -> {
        w.writeByte(WRITE);
        writeMutations(w, e.mutations());
        writeStats(w, e.stats());
        writeGsiUpdates(w, e.gsiUpdates());
        writeMutations(w, e.stateMutations());
      }
      case Schema e -> w.writeByte(SCHEMA).writeLengthPrefixed(DescriptorCodec.encodeSchema(e.schema()));
      case Index e -> {
        w.writeByte(INDEX).writeLong(e.source()).writeLong(e.sequence());
        writeMutations(w, e.mutations());
        writeStats(w, e.stats());
      }
    }
    return w.toByteArray();
  }

  static PartitionEntry decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int type = r.readByte();
    return switch (type) {
      case WRITE -> new Write(readMutations(r), readStats(r), readGsiUpdates(r), readMutations(r));
      case SCHEMA -> new Schema(DescriptorCodec.decodeSchema(r.readLengthPrefixed()));
      case INDEX -> new Index(r.readLong(), r.readLong(), readMutations(r), readStats(r));
      default -> throw new CorruptDataException("unknown partition entry type " + type);
    };
  }

  private static void writeMutations(ByteWriter w, List<Mutation> mutations) {
    w.writeVarint(mutations.size());
    for (Mutation m : mutations) {
      w.writeLengthPrefixed(m.key());
      writeOptionalBytes(w, m.image());
    }
  }

  private static List<Mutation> readMutations(ByteReader r) {
    int n = r.readLength();
    List<Mutation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Mutation(r.readLengthPrefixed(), readOptionalBytes(r)));
    }
    return out;
  }

  private static void writeStats(ByteWriter w, List<StatsDelta> stats) {
    w.writeVarint(stats.size());
    for (StatsDelta s : stats) {
      w.writeLong(s.id()).writeLong(s.count()).writeLong(s.sizeBytes());
    }
  }

  private static List<StatsDelta> readStats(ByteReader r) {
    int n = r.readLength();
    List<StatsDelta> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new StatsDelta(r.readLong(), r.readLong(), r.readLong()));
    }
    return out;
  }

  static void writeGsiUpdates(ByteWriter w, List<GsiUpdate> updates) {
    w.writeVarint(updates.size());
    for (GsiUpdate u : updates) {
      w.writeLong(u.indexId()).writeLong(u.hash()).writeLengthPrefixed(u.key());
      writeOptionalBytes(w, u.image());
    }
  }

  static List<GsiUpdate> readGsiUpdates(ByteReader r) {
    int n = r.readLength();
    List<GsiUpdate> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new GsiUpdate(r.readLong(), r.readLong(), r.readLengthPrefixed(), readOptionalBytes(r)));
    }
    return out;
  }

  private static void writeOptionalBytes(ByteWriter w, byte[] b) {
    if (b == null) {
      w.writeByte(0);
    } else {
      w.writeByte(1).writeLengthPrefixed(b);
    }
  }

  private static byte[] readOptionalBytes(ByteReader r) {
    return r.readByte() == 1 ? r.readLengthPrefixed() : null;
  }
}
