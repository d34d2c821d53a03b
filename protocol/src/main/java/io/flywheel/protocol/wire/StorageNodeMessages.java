package io.flywheel.protocol.wire;

import static io.flywheel.protocol.wire.Fields.readBoolean;
import static io.flywheel.protocol.wire.Fields.readCount;
import static io.flywheel.protocol.wire.Fields.readKey;
import static io.flywheel.protocol.wire.Fields.readNullableBytes;
import static io.flywheel.protocol.wire.Fields.readNullableCondition;
import static io.flywheel.protocol.wire.Fields.readNullableItem;
import static io.flywheel.protocol.wire.Fields.readNullableUpdate;
import static io.flywheel.protocol.wire.Fields.readPresence;
import static io.flywheel.protocol.wire.Fields.readRef;
import static io.flywheel.protocol.wire.Fields.writeBoolean;
import static io.flywheel.protocol.wire.Fields.writeCount;
import static io.flywheel.protocol.wire.Fields.writeKey;
import static io.flywheel.protocol.wire.Fields.writeNullableBytes;
import static io.flywheel.protocol.wire.Fields.writeNullableCondition;
import static io.flywheel.protocol.wire.Fields.writeNullableItem;
import static io.flywheel.protocol.wire.Fields.writeNullableUpdate;
import static io.flywheel.protocol.wire.Fields.writePresence;
import static io.flywheel.protocol.wire.Fields.writeRef;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The requests and responses of {@link StorageNodeService} on the wire: one {@link RpcMethod} per
 * service method, with the codecs of its request and response. Methods that take several
 * parameters travel as the small records below.
 *
 * <p>Format V1, field by field in declaration order: longs as 8 bytes, sizes and counts as
 * varints, nullable fields behind a presence byte (0 or 1), booleans as 0 or 1, items as attribute
 * maps ({@link ItemCodec#writeAttributes}), stored images and keys as length-prefixed bytes,
 * expression trees with {@link io.flywheel.model.expr.ExpressionCodec}, descriptors and schemas
 * with {@link DescriptorCodec} (which version them once more on their own, as they are also
 * persisted).
 */
public final class StorageNodeMessages {
  private StorageNodeMessages() {}

  /** {@link StorageNodeService#createReplica}. */
  public record CreateReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
    public CreateReplica {
      Objects.requireNonNull(descriptor);
      Objects.requireNonNull(schema);
    }
  }

  /** {@link StorageNodeService#updateSchema}. */
  public record UpdateSchema(PartitionRef partition, PartitionSchema schema) {
    public UpdateSchema {
      Objects.requireNonNull(partition);
      Objects.requireNonNull(schema);
    }
  }

  /** {@link StorageNodeService#applyIndexMutations}. */
  public record ApplyIndexMutations(PartitionRef partition, IndexMutations mutations) {
    public ApplyIndexMutations {
      Objects.requireNonNull(partition);
      Objects.requireNonNull(mutations);
    }
  }

  /** {@link StorageNodeService#backfillIndex}; {@code fromKey} may be null. */
  public record BackfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
    public BackfillIndex {
      Objects.requireNonNull(partition);
    }
  }

  /** {@link StorageNodeService#dropReplica}. */
  public record DropReplica(long groupId) {}

  /** {@link StorageNodeService#stats}. */
  public record Stats(PartitionRef partition, long keySpaceId) {
    public Stats {
      Objects.requireNonNull(partition);
    }
  }

  // ---- codecs of the shared parts --------------------------------------------------------------

  /** A response without a body (the service method returns {@code Void}). */
  public static final WireCodec<Void> NOTHING = new WireCodec<>() {
    @Override
    public void write(ByteWriter w, Void value, int version) {
      WireVersion.check(version);
    }

    @Override
    public Void read(ByteReader r, int version) {
      WireVersion.check(version);
      return null;
    }
  };

  /** Nullable bytes: BackfillIndex's next key. */
  public static final WireCodec<byte[]> NULLABLE_BYTES = codec(
      (w, b, v) -> writeNullableBytes(w, b),
      (r, v) -> readNullableBytes(r));

  private static void writeOp(ByteWriter w, WriteRequest.WriteOp op, int version) {
    switch (op) {
      case WriteRequest.WriteOp.Put put -> {
        w.writeByte(1);
        ItemCodec.writeAttributes(w, put.item());
      }
      case WriteRequest.WriteOp.Delete ignored -> w.writeByte(2);
      case WriteRequest.WriteOp.Update update -> {
        w.writeByte(3);
        ItemCodec.writeAttributes(w, update.keyAttributes());
        writeNullableUpdate(w, update.expression(), version);
      }
    }
  }

  private static WriteRequest.WriteOp readOp(ByteReader r, int version) {
    int tag = r.readByte();
    return switch (tag) {
      case 1 -> new WriteRequest.WriteOp.Put(ItemCodec.readAttributes(r));
      case 2 -> new WriteRequest.WriteOp.Delete();
      case 3 -> {
        var key = ItemCodec.readAttributes(r);
        yield new WriteRequest.WriteOp.Update(key, readNullableUpdate(r, version));
      }
      default -> throw new CorruptDataException("unknown write op tag " + tag);
    };
  }

  private static void writeKeys(ByteWriter w, List<PrimaryKey> keys) {
    writeCount(w, keys.size());
    for (PrimaryKey k : keys) {
      writeKey(w, k);
    }
  }

  private static List<PrimaryKey> readKeys(ByteReader r) {
    int n = r.readLength();
    List<PrimaryKey> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(readKey(r));
    }
    return keys;
  }

  private static void writeSchema(ByteWriter w, PartitionSchema schema) {
    w.writeLengthPrefixed(DescriptorCodec.encodeSchema(schema));
  }

  private static PartitionSchema readSchema(ByteReader r) {
    return DescriptorCodec.decodeSchema(r.readLengthPrefixed());
  }

  static void writeReason(ByteWriter w, CancellationReason reason) {
    w.writeString(reason.code().name());
    Fields.writeNullableString(w, reason.message());
    writeNullableItem(w, reason.item());
  }

  static CancellationReason readReason(ByteReader r) {
    CancellationReason.Code code = enumNamed(CancellationReason.Code.class, r.readString());
    String message = Fields.readNullableString(r);
    var item = readNullableItem(r);
    return code == CancellationReason.Code.NONE && message == null && item == null ? CancellationReason.NONE
        : new CancellationReason(code, message, item);
  }

  static <E extends Enum<E>> E enumNamed(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("unknown " + type.getSimpleName() + " " + name);
    }
  }

  // ---- requests and responses ------------------------------------------------------------------

  public static final WireCodec<WriteRequest> WRITE_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    writeKey(w, q.key());
    writeOp(w, q.op(), v);
    writeNullableCondition(w, q.condition(), v);
    w.writeByte((q.returnOld() ? 1 : 0) | (q.returnNew() ? 2 : 0) | (q.returnOldOnConditionFailure() ? 4 : 0));
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    PrimaryKey key = readKey(r);
    WriteRequest.WriteOp op = readOp(r, v);
    var condition = readNullableCondition(r, v);
    int flags = r.readByte();
    if ((flags & ~7) != 0) {
      throw new CorruptDataException("unknown write flags " + flags);
    }
    return new WriteRequest(ref, tableId, key, op, condition, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
  });

  public static final WireCodec<WriteResult> WRITE_RESULT = codec((w, p, v) -> {
    writeNullableItem(w, p.oldItem());
    writeNullableItem(w, p.newItem());
    writeCount(w, p.oldSizeBytes());
    writeCount(w, p.newSizeBytes());
    writeCount(w, p.indexWrites().size());
    for (WriteResult.IndexWrite iw : p.indexWrites()) {
      w.writeLong(iw.indexId());
      writeCount(w, iw.sizeBytes());
    }
    w.writeLong(p.itemCollectionSizeBytes());
  }, (r, v) -> {
    var oldItem = readNullableItem(r);
    var newItem = readNullableItem(r);
    int oldSize = readCount(r);
    int newSize = readCount(r);
    int n = r.readLength();
    List<WriteResult.IndexWrite> writes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long indexId = r.readLong();
      writes.add(new WriteResult.IndexWrite(indexId, readCount(r)));
    }
    return new WriteResult(oldItem, newItem, oldSize, newSize, writes, r.readLong());
  });

  public static final WireCodec<ReadRequest> READ_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    writeKey(w, q.key());
    writeBoolean(w, q.consistent());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    PrimaryKey key = readKey(r);
    return new ReadRequest(ref, tableId, key, readBoolean(r));
  });

  public static final WireCodec<ReadResult> READ_RESULT = codec(
      (w, p, v) -> writeNullableBytes(w, p.image()),
      (r, v) -> new ReadResult(readNullableBytes(r)));

  public static final WireCodec<RangeReadRequest> RANGE_READ_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    w.writeLengthPrefixed(q.startKey());
    w.writeLengthPrefixed(q.endKey());
    writeBoolean(w, q.reverse());
    w.writeInt(q.limit());
    w.writeLong(q.maxBytes());
    writeNullableCondition(w, q.filter(), v);
    writeBoolean(w, q.consistent());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    byte[] start = r.readLengthPrefixed();
    byte[] end = r.readLengthPrefixed();
    boolean reverse = readBoolean(r);
    int limit = r.readInt();
    long maxBytes = r.readLong();
    var filter = readNullableCondition(r, v);
    return new RangeReadRequest(ref, tableId, start, end, reverse, limit, maxBytes, filter, readBoolean(r));
  });

  public static final WireCodec<RangeReadResult> RANGE_READ_RESULT = codec((w, p, v) -> {
    writeCount(w, p.images().size());
    for (byte[] image : p.images()) {
      w.writeLengthPrefixed(image);
    }
    writeCount(w, p.evaluatedCount());
    w.writeLong(p.evaluatedBytes());
    writeNullableBytes(w, p.lastEvaluated());
  }, (r, v) -> {
    int n = r.readLength();
    List<byte[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      images.add(r.readLengthPrefixed());
    }
    int evaluated = readCount(r);
    long bytes = r.readLong();
    return new RangeReadResult(images, evaluated, bytes, readNullableBytes(r));
  });

  public static final WireCodec<CreateReplica> CREATE_REPLICA_REQUEST = codec((w, q, v) -> {
    DescriptorCodec.writePartition(w, q.descriptor());
    writeSchema(w, q.schema());
  }, (r, v) -> {
    PartitionDescriptor d = DescriptorCodec.readPartition(r);
    return new CreateReplica(d, readSchema(r));
  });

  public static final WireCodec<UpdateSchema> UPDATE_SCHEMA_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    writeSchema(w, q.schema());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    return new UpdateSchema(ref, readSchema(r));
  });

  public static final WireCodec<ApplyIndexMutations> APPLY_INDEX_MUTATIONS_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.mutations().sourceGroupId()).writeLong(q.mutations().sequence());
    writeCount(w, q.mutations().mutations().size());
    for (IndexMutations.Mutation m : q.mutations().mutations()) {
      w.writeLengthPrefixed(m.key());
      writeNullableBytes(w, m.image());
    }
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long source = r.readLong();
    long sequence = r.readLong();
    int n = r.readLength();
    List<IndexMutations.Mutation> mutations = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] key = r.readLengthPrefixed();
      mutations.add(new IndexMutations.Mutation(key, readNullableBytes(r)));
    }
    return new ApplyIndexMutations(ref, new IndexMutations(source, sequence, mutations));
  });

  public static final WireCodec<BackfillIndex> BACKFILL_INDEX_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.indexId());
    writeNullableBytes(w, q.fromKey());
    w.writeInt(q.maxItems());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long indexId = r.readLong();
    byte[] from = readNullableBytes(r);
    return new BackfillIndex(ref, indexId, from, r.readInt());
  });

  public static final WireCodec<DropReplica> DROP_REPLICA_REQUEST = codec(
      (w, q, v) -> w.writeLong(q.groupId()),
      (r, v) -> new DropReplica(r.readLong()));

  public static final WireCodec<Stats> STATS_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.keySpaceId());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    return new Stats(ref, r.readLong());
  });

  public static final WireCodec<PartitionStats> STATS_RESULT = codec(
      (w, p, v) -> w.writeLong(p.itemCount()).writeLong(p.sizeBytes()),
      (r, v) -> {
        long count = r.readLong();
        return new PartitionStats(count, r.readLong());
      });

  public static final WireCodec<TxPrepareRequest> TX_PREPARE_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    w.writeString(q.txId());
    w.writeLong(q.timestamp());
    writeCount(w, q.actions().size());
    for (TxAction a : q.actions()) {
      writeCount(w, a.index());
      writeKey(w, a.key());
      if (writePresence(w, a.write())) {
        writeOp(w, a.write(), v);
      }
      writeNullableCondition(w, a.condition(), v);
      writeBoolean(w, a.returnOldOnConditionFailure());
    }
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    String txId = r.readString();
    long timestamp = r.readLong();
    int n = r.readLength();
    List<TxAction> actions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = readCount(r);
      PrimaryKey key = readKey(r);
      WriteRequest.WriteOp op = readPresence(r) ? readOp(r, v) : null;
      var condition = readNullableCondition(r, v);
      actions.add(new TxAction(index, key, op, condition, readBoolean(r)));
    }
    return new TxPrepareRequest(ref, tableId, txId, timestamp, actions);
  });

  public static final WireCodec<TxPrepareResult> TX_PREPARE_RESULT = codec((w, p, v) -> {
    writeBoolean(w, p.prepared());
    writeCount(w, p.outcomes().size());
    for (TxPrepareResult.Outcome o : p.outcomes()) {
      writeCount(w, o.index());
      writeReason(w, o.reason());
      writeCount(w, o.oldSizeBytes());
      writeCount(w, o.newSizeBytes());
    }
  }, (r, v) -> {
    boolean prepared = readBoolean(r);
    int n = r.readLength();
    List<TxPrepareResult.Outcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = readCount(r);
      CancellationReason reason = readReason(r);
      int oldSize = readCount(r);
      outcomes.add(new TxPrepareResult.Outcome(index, reason, oldSize, readCount(r)));
    }
    return new TxPrepareResult(prepared, outcomes);
  });

  public static final WireCodec<TxFinishRequest> TX_FINISH_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    w.writeString(q.txId());
    w.writeLong(q.timestamp());
    writeBoolean(w, q.commit());
    writeKeys(w, q.keys());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    String txId = r.readString();
    long timestamp = r.readLong();
    boolean commit = readBoolean(r);
    return new TxFinishRequest(ref, tableId, txId, timestamp, commit, readKeys(r));
  });

  public static final WireCodec<TxReadRequest> TX_READ_REQUEST = codec((w, q, v) -> {
    writeRef(w, q.partition());
    w.writeLong(q.tableId());
    writeKeys(w, q.keys());
    writeBoolean(w, q.withImages());
  }, (r, v) -> {
    PartitionRef ref = readRef(r);
    long tableId = r.readLong();
    List<PrimaryKey> keys = readKeys(r);
    return new TxReadRequest(ref, tableId, keys, readBoolean(r));
  });

  public static final WireCodec<TxReadResult> TX_READ_RESULT = codec((w, p, v) -> {
    w.writeLong(p.incarnation());
    writeCount(w, p.items().size());
    for (TxReadResult.Item item : p.items()) {
      writeNullableBytes(w, item.image());
      w.writeLong(item.version());
      writeBoolean(w, item.held());
    }
  }, (r, v) -> {
    long incarnation = r.readLong();
    int n = r.readLength();
    List<TxReadResult.Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] image = readNullableBytes(r);
      long version = r.readLong();
      items.add(new TxReadResult.Item(image, version, readBoolean(r)));
    }
    return new TxReadResult(incarnation, items);
  });

  // ---- the methods -----------------------------------------------------------------------------

  public static final RpcMethod<WriteRequest, WriteResult> WRITE =
      new RpcMethod<>("write", MessageKind.STORAGE_WRITE, WRITE_REQUEST, WRITE_RESULT);
  public static final RpcMethod<ReadRequest, ReadResult> READ =
      new RpcMethod<>("read", MessageKind.STORAGE_READ, READ_REQUEST, READ_RESULT);
  public static final RpcMethod<RangeReadRequest, RangeReadResult> READ_RANGE =
      new RpcMethod<>("readRange", MessageKind.STORAGE_READ_RANGE, RANGE_READ_REQUEST, RANGE_READ_RESULT);
  public static final RpcMethod<CreateReplica, Void> CREATE_REPLICA =
      new RpcMethod<>("createReplica", MessageKind.STORAGE_CREATE_REPLICA, CREATE_REPLICA_REQUEST, NOTHING);
  public static final RpcMethod<UpdateSchema, Void> UPDATE_SCHEMA =
      new RpcMethod<>("updateSchema", MessageKind.STORAGE_UPDATE_SCHEMA, UPDATE_SCHEMA_REQUEST, NOTHING);
  public static final RpcMethod<ApplyIndexMutations, Void> APPLY_INDEX_MUTATIONS =
      new RpcMethod<>("applyIndexMutations", MessageKind.STORAGE_APPLY_INDEX_MUTATIONS, APPLY_INDEX_MUTATIONS_REQUEST, NOTHING);
  public static final RpcMethod<BackfillIndex, byte[]> BACKFILL_INDEX =
      new RpcMethod<>("backfillIndex", MessageKind.STORAGE_BACKFILL_INDEX, BACKFILL_INDEX_REQUEST, NULLABLE_BYTES);
  public static final RpcMethod<DropReplica, Void> DROP_REPLICA =
      new RpcMethod<>("dropReplica", MessageKind.STORAGE_DROP_REPLICA, DROP_REPLICA_REQUEST, NOTHING);
  public static final RpcMethod<Stats, PartitionStats> STATS =
      new RpcMethod<>("stats", MessageKind.STORAGE_STATS, STATS_REQUEST, STATS_RESULT);
  public static final RpcMethod<TxPrepareRequest, TxPrepareResult> TX_PREPARE =
      new RpcMethod<>("txPrepare", MessageKind.STORAGE_TX_PREPARE, TX_PREPARE_REQUEST, TX_PREPARE_RESULT);
  public static final RpcMethod<TxFinishRequest, Void> TX_FINISH =
      new RpcMethod<>("txFinish", MessageKind.STORAGE_TX_FINISH, TX_FINISH_REQUEST, NOTHING);
  public static final RpcMethod<TxReadRequest, TxReadResult> TX_READ =
      new RpcMethod<>("txRead", MessageKind.STORAGE_TX_READ, TX_READ_REQUEST, TX_READ_RESULT);

  /** Every method, for servers that register them all and for tests. */
  public static final List<RpcMethod<?, ?>> ALL = List.of(WRITE, READ, READ_RANGE, CREATE_REPLICA, UPDATE_SCHEMA,
      APPLY_INDEX_MUTATIONS, BACKFILL_INDEX, DROP_REPLICA, STATS, TX_PREPARE, TX_FINISH, TX_READ);

  // ---- plumbing --------------------------------------------------------------------------------

  @FunctionalInterface
  interface Writer<T> {
    void write(ByteWriter w, T value, int version);
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(ByteReader r, int version);
  }

  /**
   * A codec from a writer and a reader of format V1, which checks the version on both sides and
   * turns what a record constructor refuses while reading into corrupt data.
   */
  static <T> WireCodec<T> codec(Writer<T> writer, Reader<T> reader) {
    return new WireCodec<>() {
      @Override
      public void write(ByteWriter w, T value, int version) {
        WireVersion.check(version);
        writer.write(w, value, version);
      }

      @Override
      public T read(ByteReader r, int version) {
        WireVersion.check(version);
        try {
          return reader.read(r, version);
        } catch (CorruptDataException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new CorruptDataException("malformed message: " + e);
        }
      }
    };
  }
}
