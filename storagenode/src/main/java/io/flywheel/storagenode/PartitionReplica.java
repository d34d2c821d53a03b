package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.StateMachine;
import io.flywheel.storagenode.PartitionEntry.GsiUpdate;
import io.flywheel.storagenode.PartitionEntry.Mutation;
import io.flywheel.storagenode.PartitionEntry.StatsDelta;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of a partition: the state machine its replication group runs. Decides commands
 * against the latest state and applies decided entries.
 *
 * <p>A write's entry carries, besides the item's new image: the entries of the table's local
 * indexes (same partition, same batch: always consistent with the item) and the updates of its
 * global indexes, which {@link #apply} stores in the partition's outbox in the same batch, for
 * {@link IndexPropagator} to deliver to the index's own partitions afterwards.
 *
 * <p>Runs on its group's worker thread only; {@link #stats}, {@link #schema()} and {@link
 * #descriptor()} may be read from any thread.
 */
final class PartitionReplica implements StateMachine<PartitionCommand> {
  private static final byte[] ABSENT = new byte[0];

  private final KvEngine kv;
  private final PartitionDescriptor descriptor;
  private volatile PartitionSchema schema;
  private volatile Map<Long, PartitionStats> stats = Map.of();
  /** Entries decided in the current loop and not yet applied; {@link #ABSENT} marks a deletion. */
  private final Map<ByteBuffer, byte[]> pending = new HashMap<>();
  /** Sources' sequences decided in the current loop (global-index partitions). */
  private final Map<Long, Long> pendingHighWater = new HashMap<>();
  private boolean outboxWritten;
  private volatile Runnable outboxListener = () -> {};

  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor, PartitionSchema schema) {
    this.kv = kv;
    this.descriptor = descriptor;
    this.schema = schema;
  }

  PartitionDescriptor descriptor() {
    return descriptor;
  }

  PartitionSchema schema() {
    return schema;
  }

  /** Item count and size of key space {@code id} (the table, or one of its local indexes). */
  PartitionStats stats(long id) {
    return stats.getOrDefault(id, PartitionStats.EMPTY);
  }

  /** Called after a batch that put global-index updates into the outbox. */
  void onOutbox(Runnable listener) {
    this.outboxListener = listener;
  }

  @Override
  public void recover(KvEngine engine) {
    byte[] savedSchema = engine.get(Space.STATE, StateKeys.schema(descriptor.groupId()));
    if (savedSchema != null) {
      schema = DescriptorCodec.decodeSchema(savedSchema);
    }
    Map<Long, PartitionStats> loaded = new HashMap<>();
    byte[] from = StateKeys.tagged(StateKeys.STATS, descriptor.groupId());
    try (KvIterator it = engine.iterator(Space.STATE, from, StateKeys.groupEnd(StateKeys.STATS, descriptor.groupId()), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        ByteReader r = new ByteReader(it.value());
        loaded.put(StateKeys.second(it.key()), new PartitionStats(r.readLong(), r.readLong()));
      }
    }
    stats = Map.copyOf(loaded);
  }

  @Override
  public Evaluation evaluate(PartitionCommand command) {
    return switch (command) {
      case PartitionCommand.Write w -> write(w);
      case PartitionCommand.SetSchema s -> {
        schema = s.schema(); // writes decided after it in this loop maintain the new indexes
        yield new Evaluation.Append(new PartitionEntry.Schema(s.schema()).encode(), null);
      }
      case PartitionCommand.ApplyIndex a -> applyIndex(a.mutations());
      case PartitionCommand.Backfill b -> backfill(b);
    };
  }

  private Evaluation write(PartitionCommand.Write command) {
    WriteRequest request = command.request();
    byte[] key = command.itemKey();
    byte[] oldImage = latest(key);
    PartitionSchema s = schema;
    boolean isUpdate = request.op() instanceof WriteRequest.WriteOp.Update;
    Map<String, AttributeValue> oldItem = null;
    if (request.condition() != null || request.returnOld() || isUpdate || !s.indexes().isEmpty()) {
      oldItem = oldImage == null ? Map.of() : ItemCodec.decode(oldImage);
    }
    if (request.condition() != null && !request.condition().test(oldItem)) {
      Map<String, AttributeValue> shown = request.returnOldOnConditionFailure() && oldImage != null ? oldItem : null;
      return new Evaluation.Reject(new ConditionalCheckFailedException(shown));
    }
    Map<String, AttributeValue> newItem = null;
    byte[] newImage = command.newImage();
    int newSize = command.newSizeBytes();
    if (request.op() instanceof WriteRequest.WriteOp.Put put) {
      newItem = put.item();
    } else if (request.op() instanceof WriteRequest.WriteOp.Update update) {
      newItem = update.update().apply(oldItem);
      newSize = ItemSize.of(newItem);
      if (newSize > ItemSize.MAX_ITEM_SIZE_BYTES) {
        throw DynamoException.validation("Item size to update has exceeded the maximum allowed size");
      }
      newImage = ItemCodec.encode(newItem, newSize);
    }
    if (newItem != null) {
      checkIndexKeyTypes(s, newItem);
    }
    int oldSize = oldImage == null ? 0 : ItemCodec.sizeOf(oldImage);
    Map<String, AttributeValue> returnedOld = request.returnOld() && oldImage != null ? oldItem : null;
    if (newImage == null && oldImage == null) {
      return new Evaluation.Done(new WriteResult(returnedOld, null, 0, 0));
    }
    List<Mutation> mutations = new ArrayList<>(2);
    List<StatsDelta> deltas = new ArrayList<>(2);
    List<GsiUpdate> gsi = new ArrayList<>(0);
    mutations.add(new Mutation(key, newImage));
    deltas.add(new StatsDelta(descriptor.tableId(), (newImage != null ? 1 : 0) - (oldImage != null ? 1 : 0), newSize - oldSize));
    pending.put(ByteBuffer.wrap(key), newImage == null ? ABSENT : newImage);
    for (IndexDescriptor index : s.indexes()) {
      if (index.status() != IndexStatus.DELETING) {
        maintain(index, s, oldItem, newItem, mutations, deltas, gsi);
      }
    }
    Map<String, AttributeValue> returnedNew = request.returnNew() ? newItem : null;
    return new Evaluation.Append(new PartitionEntry.Write(mutations, deltas, gsi).encode(),
        new WriteResult(returnedOld, returnedNew, oldSize, newSize));
  }

  /**
   * DynamoDB refuses an item whose index key attribute has another type than the index's, or is an
   * empty string or binary (key attributes, of tables and indexes alike, may not be empty).
   */
  private static void checkIndexKeyTypes(PartitionSchema s, Map<String, AttributeValue> item) {
    for (IndexDescriptor index : s.indexes()) {
      checkType(index, index.keySchema().partitionKey(), item);
      if (index.keySchema().hasSortKey()) {
        checkType(index, index.keySchema().sortKey(), item);
      }
    }
  }

  private static void checkType(IndexDescriptor index, KeyAttribute key, Map<String, AttributeValue> item) {
    AttributeValue v = item.get(key.name());
    if (v != null && !key.type().matches(v)) {
      throw DynamoException.invalidParameter("Type mismatch for Index Key " + key.name() + " Expected: " + key.type()
          + " Actual: " + v.typeName() + " IndexName: " + index.name());
    }
    boolean empty = v instanceof AttributeValue.S str && str.value().isEmpty() || v instanceof AttributeValue.B bin && bin.value().length() == 0;
    if (empty) {
      throw DynamoException.validation("One or more parameter values are not valid. A value specified for a secondary index key "
          + "is not supported. The AttributeValue for a key attribute cannot contain an empty " + (v instanceof AttributeValue.S ? "string" : "binary")
          + " value. IndexName: " + index.name() + ", IndexKey: " + key.name());
    }
  }

  /** The index changes one item change implies: local ones into {@code mutations}, global ones into {@code gsi}. */
  private void maintain(IndexDescriptor index, PartitionSchema s, Map<String, AttributeValue> oldItem,
      Map<String, AttributeValue> newItem, List<Mutation> mutations, List<StatsDelta> deltas, List<GsiUpdate> gsi) {
    boolean wasIn = oldItem != null && !oldItem.isEmpty() && index.covers(oldItem);
    boolean isIn = newItem != null && index.covers(newItem);
    if (!wasIn && !isIn) {
      return;
    }
    byte[] oldKey = wasIn ? KeyEncoding.indexKey(index.indexId(), index.keySchema(), s.keySchema(), oldItem) : null;
    Map<String, AttributeValue> projected = isIn ? index.project(newItem, s.keySchema()) : null;
    byte[] newKey = isIn ? KeyEncoding.indexKey(index.indexId(), index.keySchema(), s.keySchema(), newItem) : null;
    byte[] newImage = isIn ? ItemCodec.encode(projected) : null;
    if (index.global()) {
      if (wasIn && (!isIn || !Arrays.equals(oldKey, newKey))) {
        gsi.add(new GsiUpdate(index.indexId(), KeyEncoding.partitionHash(oldItem.get(index.keySchema().partitionKey().name())), oldKey, null));
      }
      if (isIn) {
        gsi.add(new GsiUpdate(index.indexId(), KeyEncoding.partitionHash(newItem.get(index.keySchema().partitionKey().name())), newKey, newImage));
      }
      return;
    }
    int oldSize = wasIn ? ItemSize.of(index.project(oldItem, s.keySchema())) : 0;
    int newSize = isIn ? ItemCodec.sizeOf(newImage) : 0;
    if (wasIn && (!isIn || !Arrays.equals(oldKey, newKey))) {
      mutations.add(new Mutation(oldKey, null));
    }
    if (isIn) {
      mutations.add(new Mutation(newKey, newImage));
    }
    deltas.add(new StatsDelta(index.indexId(), (isIn ? 1 : 0) - (wasIn ? 1 : 0), newSize - oldSize));
  }

  /** A global-index partition applies a source's mutations once, in sequence order. */
  private Evaluation applyIndex(IndexMutations m) {
    if (m.sequence() <= highWater(m.sourceGroupId())) {
      return new Evaluation.Done(null); // delivered again after a crash: already applied
    }
    pendingHighWater.put(m.sourceGroupId(), m.sequence());
    List<Mutation> mutations = new ArrayList<>(m.mutations().size());
    long count = 0;
    long size = 0;
    for (IndexMutations.Mutation x : m.mutations()) {
      byte[] old = latest(x.key());
      count += (x.image() != null ? 1 : 0) - (old != null ? 1 : 0);
      size += (x.image() == null ? 0 : ItemCodec.sizeOf(x.image())) - (old == null ? 0 : ItemCodec.sizeOf(old));
      pending.put(ByteBuffer.wrap(x.key()), x.image() == null ? ABSENT : x.image());
      mutations.add(new Mutation(x.key(), x.image()));
    }
    return new Evaluation.Append(new PartitionEntry.Index(m.sourceGroupId(), m.sequence(), mutations,
        List.of(new StatsDelta(descriptor.tableId(), count, size))).encode(), null);
  }

  private long highWater(long source) {
    Long p = pendingHighWater.get(source);
    if (p != null) {
      return p;
    }
    byte[] saved = kv.get(Space.STATE, StateKeys.highWater(descriptor.groupId(), source));
    return saved == null ? 0 : Bytes.getLong(saved, 0);
  }

  /**
   * Index entries for existing items, decided here so that they are ordered with concurrent
   * writes: an item written after this chunk produces its own, later, index update.
   */
  private Evaluation backfill(PartitionCommand.Backfill b) {
    PartitionSchema s = schema;
    IndexDescriptor index = null;
    for (IndexDescriptor i : s.indexes()) {
      if (i.indexId() == b.indexId() && i.global()) {
        index = i;
      }
    }
    if (index == null) {
      return new Evaluation.Reject(new IllegalStateException("partition " + descriptor.groupId() + " does not maintain index " + b.indexId()));
    }
    byte[] start = KeyEncoding.hashPrefix(descriptor.tableId(), descriptor.hashStart());
    if (b.fromKey() != null && Bytes.compareUnsigned(b.fromKey(), start) > 0) {
      start = b.fromKey();
    }
    byte[] end = KeyEncoding.hashRangeEnd(descriptor.tableId(), descriptor.hashEnd());
    List<GsiUpdate> gsi = new ArrayList<>();
    byte[] next = null;
    int seen = 0;
    try (KvIterator it = kv.iterator(Space.DATA, start, end, false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        if (seen == b.maxItems()) {
          next = it.key();
          break;
        }
        seen++;
        byte[] image = latest(it.key());
        if (image == null) {
          continue;
        }
        Map<String, AttributeValue> item = ItemCodec.decode(image);
        if (index.covers(item)) {
          gsi.add(new GsiUpdate(index.indexId(), KeyEncoding.partitionHash(item.get(index.keySchema().partitionKey().name())),
              KeyEncoding.indexKey(index.indexId(), index.keySchema(), s.keySchema(), item),
              ItemCodec.encode(index.project(item, s.keySchema()))));
        }
      }
    }
    Object result = next == null ? BackfillDone.INSTANCE : next;
    if (gsi.isEmpty()) {
      return new Evaluation.Done(result);
    }
    return new Evaluation.Append(new PartitionEntry.Write(List.of(), List.of(), gsi).encode(), result);
  }

  /** The result of the last backfill chunk of a partition. */
  enum BackfillDone {
    INSTANCE
  }

  /** An entry's latest state, including this loop's pending decisions; null when absent. */
  private byte[] latest(byte[] key) {
    byte[] p = pending.get(ByteBuffer.wrap(key));
    if (p != null) {
      return p == ABSENT ? null : p;
    }
    return kv.get(Space.DATA, key);
  }

  @Override
  public void apply(long index, byte[] entryBytes, KvBatch batch) {
    switch (PartitionEntry.decode(entryBytes)) {
      case PartitionEntry.Write w -> {
        applyMutations(w.mutations(), batch);
        applyStats(w.stats(), batch);
        if (!w.gsiUpdates().isEmpty()) {
          ByteWriter out = new ByteWriter(256);
          PartitionEntry.writeGsiUpdates(out, w.gsiUpdates());
          batch.put(Space.STATE, StateKeys.outbox(descriptor.groupId(), index), out.toByteArray());
          outboxWritten = true;
        }
      }
      case PartitionEntry.Schema s -> {
        batch.put(Space.STATE, StateKeys.schema(descriptor.groupId()), DescriptorCodec.encodeSchema(s.schema()));
        schema = s.schema();
      }
      case PartitionEntry.Index x -> {
        applyMutations(x.mutations(), batch);
        applyStats(x.stats(), batch);
        batch.put(Space.STATE, StateKeys.highWater(descriptor.groupId(), x.source()), Bytes.ofLong(x.sequence()));
      }
    }
  }

  private static void applyMutations(List<Mutation> mutations, KvBatch batch) {
    for (Mutation m : mutations) {
      if (m.image() == null) {
        batch.delete(Space.DATA, m.key());
      } else {
        batch.put(Space.DATA, m.key(), m.image());
      }
    }
  }

  private void applyStats(List<StatsDelta> deltas, KvBatch batch) {
    if (deltas.isEmpty()) {
      return;
    }
    Map<Long, PartitionStats> next = new HashMap<>(stats);
    for (StatsDelta d : deltas) {
      PartitionStats s = next.getOrDefault(d.id(), PartitionStats.EMPTY);
      PartitionStats updated = new PartitionStats(s.itemCount() + d.count(), s.sizeBytes() + d.sizeBytes());
      next.put(d.id(), updated);
      batch.put(Space.STATE, StateKeys.stats(descriptor.groupId(), d.id()),
          new ByteWriter(16).writeLong(updated.itemCount()).writeLong(updated.sizeBytes()).toByteArray());
    }
    stats = Map.copyOf(next);
  }

  @Override
  public void applied(long index) {
    pending.clear();
    pendingHighWater.clear();
    if (outboxWritten) {
      outboxWritten = false;
      outboxListener.run();
    }
  }
}
