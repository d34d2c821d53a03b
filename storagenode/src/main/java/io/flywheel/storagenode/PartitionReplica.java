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
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.TransactionErrors;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.DecidedValues;
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
  /** DynamoDB's limit on an item collection of a table with local secondary indexes: 10 GB. */
  static final long ITEM_COLLECTION_LIMIT_BYTES = 10L << 30;

  private final KvEngine kv;
  private final PartitionDescriptor descriptor;
  private volatile PartitionSchema schema;
  private volatile Map<Long, PartitionStats> stats = Map.of();
  /** Entries decided and not yet applied; {@link #ABSENT} marks a deletion. */
  private final DecidedValues<ByteBuffer, byte[]> pending = new DecidedValues<>();
  /** Sources' sequences decided and not yet applied (global-index partitions). */
  private final DecidedValues<Long, Long> pendingHighWater = new DecidedValues<>();
  /** Item collection sizes decided and not yet applied (tables with local indexes). */
  private final DecidedValues<ByteBuffer, Long> pendingCollections = new DecidedValues<>();
  /** The log index of the entry the command being evaluated will take. */
  private long decidingIndex;
  private final long itemCollectionLimitBytes;
  private boolean outboxWritten;
  private volatile Runnable outboxListener = () -> {};
  /** The partition's side of transactions: prepared items, timestamps, item versions. */
  private final TxParticipant transactions;

  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor, PartitionSchema schema) {
    this(kv, descriptor, schema, 0, ITEM_COLLECTION_LIMIT_BYTES);
  }

  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor, PartitionSchema schema, long incarnation) {
    this(kv, descriptor, schema, incarnation, ITEM_COLLECTION_LIMIT_BYTES);
  }

  /**
   * @param incarnation the node's incarnation (see {@link io.flywheel.protocol.TxReadResult})
   * @param itemCollectionLimitBytes the item collection limit (DynamoDB's, except in tests)
   */
  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor, PartitionSchema schema, long incarnation,
      long itemCollectionLimitBytes) {
    this.kv = kv;
    this.itemCollectionLimitBytes = itemCollectionLimitBytes;
    this.descriptor = descriptor;
    this.schema = schema;
    this.transactions = new TxParticipant(this, kv, descriptor.groupId(), incarnation);
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
    transactions.recover(engine);
  }

  @Override
  public Evaluation evaluate(PartitionCommand command, long index) {
    decidingIndex = index;
    return switch (command) {
      case PartitionCommand.Write w -> write(w);
      case PartitionCommand.SetSchema s -> {
        schema = s.schema(); // writes decided after it in this loop maintain the new indexes
        yield new Evaluation.Append(new PartitionEntry.Schema(s.schema()).encode(), null);
      }
      case PartitionCommand.ApplyIndex a -> applyIndex(a.mutations());
      case PartitionCommand.Backfill b -> backfill(b);
      case TxCommand tx -> transactions.evaluate(tx);
    };
  }

  private Evaluation write(PartitionCommand.Write command) {
    WriteRequest request = command.request();
    byte[] key = command.itemKey();
    if (transactions.holds(key)) {
      return new Evaluation.Reject(TransactionErrors.conflict());
    }
    byte[] oldImage = latest(key);
    PartitionSchema s = schema;
    boolean isUpdate = request.op() instanceof WriteRequest.WriteOp.Update;
    Map<String, AttributeValue> oldItem = null;
    if (request.condition() != null || request.returnOld() || isUpdate || !s.indexes().isEmpty()) {
      oldItem = oldImage == null ? Map.of() : ItemCodec.decode(oldImage);
    }
    if (request.condition() != null && !request.condition().evaluate(oldItem)) {
      Map<String, AttributeValue> shown = request.returnOldOnConditionFailure() && oldImage != null ? oldItem : null;
      return new Evaluation.Reject(new ConditionalCheckFailedException(shown));
    }
    Map<String, AttributeValue> newItem = null;
    byte[] newImage = command.newImage();
    int newSize = command.newSizeBytes();
    if (request.op() instanceof WriteRequest.WriteOp.Put put) {
      newItem = put.item();
    } else if (request.op() instanceof WriteRequest.WriteOp.Update update) {
      newItem = update.apply(oldItem);
      newSize = ItemSize.of(newItem);
      if (newSize > ItemSize.MAX_ITEM_SIZE_BYTES) {
        throw DynamoException.validation("Item size to update has exceeded the maximum allowed size");
      }
      newImage = ItemCodec.encode(newItem, newSize);
    }
    if (newItem != null) {
      checkIndexKeys(newItem, isUpdate);
    }
    int oldSize = oldImage == null ? 0 : ItemCodec.sizeOf(oldImage);
    Map<String, AttributeValue> returnedOld = request.returnOld() && oldImage != null ? oldItem : null;
    if (newImage == null && oldImage == null) {
      return new Evaluation.Done(new WriteResult(returnedOld, null, 0, 0));
    }
    ItemChanges changes = new ItemChanges();
    long collectionSize = changeItem(changes, key, oldImage, oldItem, oldSize, newImage, newItem, newSize, true);
    Map<String, AttributeValue> returnedNew = request.returnNew() ? newItem : null;
    return new Evaluation.Append(changes.entry(List.of()).encode(),
        new WriteResult(returnedOld, returnedNew, oldSize, newSize, changes.indexWrites, collectionSize));
  }

  /** The changes of one entry's items: their images, index entries, statistics, collection sizes. */
  static final class ItemChanges {
    private final List<Mutation> mutations = new ArrayList<>(2);
    private final List<StatsDelta> deltas = new ArrayList<>(2);
    private final List<GsiUpdate> gsi = new ArrayList<>(0);
    private final List<Mutation> state = new ArrayList<>(0);
    private final List<WriteResult.IndexWrite> indexWrites = new ArrayList<>(0);

    boolean isEmpty() {
      return mutations.isEmpty();
    }

    /** The entry of these changes, plus other records of the state space. */
    PartitionEntry.Write entry(List<Mutation> otherState) {
      List<Mutation> allState = state;
      if (!otherState.isEmpty()) {
        allState = new ArrayList<>(state);
        allState.addAll(otherState);
      }
      return new PartitionEntry.Write(mutations, deltas, gsi, allState);
    }
  }

  /**
   * A transaction's commit of the item at {@code key} to {@code newImage} (null: deleted), with
   * its index entries and statistics, into {@code changes}. The item collection limit was the
   * prepare's business: a commit always goes through.
   */
  void commitItem(ItemChanges changes, byte[] key, byte[] newImage) {
    byte[] oldImage = latest(key);
    if (oldImage == null && newImage == null) {
      return;
    }
    changeItem(changes, key, oldImage, null, oldImage == null ? 0 : ItemCodec.sizeOf(oldImage),
        newImage, null, newImage == null ? 0 : ItemCodec.sizeOf(newImage), false);
  }

  /**
   * Decides the change of the item at {@code key} from {@code oldImage} to {@code newImage} (either
   * may be null: absent) into {@code changes}: the item, its index entries, statistics and, for a
   * table with local indexes, its collection's size, which may not grow past the limit when {@code
   * enforceLimit}; when that throws, {@code changes} is half-built and must be dropped, but nothing
   * is staged. Otherwise later commands of this loop see the change. The decoded items may be passed when known, else null. Returns the collection's
   * size afterwards, or -1 without local indexes.
   */
  private long changeItem(ItemChanges changes, byte[] key, byte[] oldImage, Map<String, AttributeValue> oldItem, int oldSize,
      byte[] newImage, Map<String, AttributeValue> newItem, int newSize, boolean enforceLimit) {
    PartitionSchema s = schema;
    if (!s.indexes().isEmpty()) {
      oldItem = oldItem != null ? oldItem : oldImage == null ? Map.of() : ItemCodec.decode(oldImage);
      newItem = newItem != null || newImage == null ? newItem : ItemCodec.decode(newImage);
    }
    changes.mutations.add(new Mutation(key, newImage));
    changes.deltas.add(new StatsDelta(descriptor.tableId(), (newImage != null ? 1 : 0) - (oldImage != null ? 1 : 0), newSize - oldSize));
    long localIndexBytes = 0;
    for (IndexDescriptor index : s.indexes()) {
      if (index.status() != IndexStatus.DELETING) {
        localIndexBytes += maintain(index, s, oldItem, newItem, changes);
      }
    }
    long collectionSize = -1;
    if (s.hasLocalIndexes()) {
      Map<String, AttributeValue> item = newItem != null ? newItem : oldItem;
      AttributeValue partitionKey = item.get(s.keySchema().partitionKey().name());
      byte[] collectionKey = StateKeys.collection(descriptor.groupId(), KeyEncoding.partitionPrefix(descriptor.tableId(), partitionKey));
      long delta = newSize - oldSize + localIndexBytes;
      collectionSize = collectionSize(collectionKey) + delta;
      if (enforceLimit && delta > 0 && collectionSize > itemCollectionLimitBytes) {
        throw new DynamoException(ErrorCode.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED, "Collection size exceeded.");
      }
      pendingCollections.put(ByteBuffer.wrap(collectionKey), collectionSize, decidingIndex);
      changes.state.add(new Mutation(collectionKey, Bytes.ofLong(collectionSize)));
    }
    pending.put(ByteBuffer.wrap(key), newImage == null ? ABSENT : newImage, decidingIndex);
    transactions.written(key);
    return collectionSize;
  }

  /** The latest size of an item collection, including this loop's decisions. */
  private long collectionSize(byte[] collectionKey) {
    Long pendingSize = pendingCollections.get(ByteBuffer.wrap(collectionKey));
    if (pendingSize != null) {
      return pendingSize;
    }
    byte[] saved = kv.get(Space.STATE, collectionKey);
    return saved == null ? 0 : Bytes.getLong(saved, 0);
  }

  /**
   * DynamoDB refuses an item whose index key attribute has another type than the index's, or is an
   * empty string or binary (which no index key can be); the message of the latter tells whether an
   * update computed the item.
   */
  void checkIndexKeys(Map<String, AttributeValue> item, boolean computedByUpdate) {
    for (IndexDescriptor index : schema.indexes()) {
      checkIndexKey(index, index.keySchema().partitionKey(), item, computedByUpdate);
      if (index.keySchema().hasSortKey()) {
        checkIndexKey(index, index.keySchema().sortKey(), item, computedByUpdate);
      }
    }
  }

  private static void checkIndexKey(IndexDescriptor index, KeyAttribute key, Map<String, AttributeValue> item, boolean computedByUpdate) {
    AttributeValue v = item.get(key.name());
    if (v == null) {
      return;
    }
    if (!key.type().matches(v)) {
      throw DynamoException.invalidParameter("Type mismatch for Index Key " + key.name() + " Expected: " + key.type()
          + " Actual: " + v.typeName() + " IndexName: " + index.name());
    }
    String empty = v instanceof AttributeValue.S str && str.value().isEmpty() ? "string"
        : v instanceof AttributeValue.B bin && bin.value().length() == 0 ? "binary" : null;
    if (empty != null) {
      throw DynamoException.validation("One or more parameter values are not valid. "
          + (computedByUpdate
              ? "The update expression attempted to update a secondary index key to a value that is not supported. "
              : "A value specified for a secondary index key is not supported. ")
          + "The AttributeValue for a key attribute cannot contain an empty " + empty + " value. IndexName: " + index.name()
          + ", IndexKey: " + key.name());
    }
  }

  /**
   * The index changes one item change implies: local ones as mutations of this partition, global
   * ones as updates to deliver. As in DynamoDB, an entry whose key and projection stay the same is
   * not written; a changed index key deletes the old entry and puts the new one (two writes).
   */
  private long maintain(IndexDescriptor index, PartitionSchema s, Map<String, AttributeValue> oldItem,
      Map<String, AttributeValue> newItem, ItemChanges changes) {
    boolean wasIn = oldItem != null && !oldItem.isEmpty() && index.covers(oldItem);
    boolean isIn = newItem != null && index.covers(newItem);
    if (!wasIn && !isIn) {
      return 0;
    }
    byte[] oldKey = wasIn ? KeyEncoding.indexKey(index.indexId(), index.keySchema(), s.keySchema(), oldItem) : null;
    Map<String, AttributeValue> oldEntry = wasIn ? index.project(oldItem, s.keySchema()) : null;
    Map<String, AttributeValue> newEntry = isIn ? index.project(newItem, s.keySchema()) : null;
    byte[] newKey = isIn ? KeyEncoding.indexKey(index.indexId(), index.keySchema(), s.keySchema(), newItem) : null;
    boolean keyChanged = !wasIn || !isIn || !Arrays.equals(oldKey, newKey);
    if (!keyChanged && oldEntry.equals(newEntry)) {
      return 0;
    }
    int oldSize = wasIn ? ItemSize.of(oldEntry) : 0;
    byte[] newImage = isIn ? ItemCodec.encode(newEntry) : null;
    int newSize = isIn ? ItemCodec.sizeOf(newImage) : 0;
    if (wasIn && keyChanged) {
      changes.indexWrites.add(new WriteResult.IndexWrite(index.indexId(), oldSize));
    }
    if (isIn) {
      changes.indexWrites.add(new WriteResult.IndexWrite(index.indexId(), newSize));
    }
    if (index.global()) {
      if (wasIn && keyChanged) {
        changes.gsi.add(new GsiUpdate(index.indexId(), KeyEncoding.partitionHash(oldItem.get(index.keySchema().partitionKey().name())), oldKey, null));
      }
      if (isIn) {
        changes.gsi.add(new GsiUpdate(index.indexId(), KeyEncoding.partitionHash(newItem.get(index.keySchema().partitionKey().name())), newKey, newImage));
      }
      return 0;
    }
    if (wasIn && keyChanged) {
      changes.mutations.add(new Mutation(oldKey, null));
    }
    if (isIn) {
      changes.mutations.add(new Mutation(newKey, newImage));
    }
    changes.deltas.add(new StatsDelta(index.indexId(), (isIn ? 1 : 0) - (wasIn ? 1 : 0), newSize - oldSize));
    return newSize - oldSize;
  }

  /** A global-index partition applies a source's mutations once, in sequence order. */
  private Evaluation applyIndex(IndexMutations m) {
    if (m.sequence() <= highWater(m.sourceGroupId())) {
      return new Evaluation.Done(null); // delivered again after a crash: already applied
    }
    pendingHighWater.put(m.sourceGroupId(), m.sequence(), decidingIndex);
    List<Mutation> mutations = new ArrayList<>(m.mutations().size());
    long count = 0;
    long size = 0;
    for (IndexMutations.Mutation x : m.mutations()) {
      byte[] old = latest(x.key());
      count += (x.image() != null ? 1 : 0) - (old != null ? 1 : 0);
      size += (x.image() == null ? 0 : ItemCodec.sizeOf(x.image())) - (old == null ? 0 : ItemCodec.sizeOf(old));
      pending.put(ByteBuffer.wrap(x.key()), x.image() == null ? ABSENT : x.image(), decidingIndex);
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
    return new Evaluation.Append(new PartitionEntry.Write(List.of(), List.of(), gsi, List.of()).encode(), result);
  }

  /** The result of the last backfill chunk of a partition. */
  enum BackfillDone {
    INSTANCE
  }

  /** An entry's latest state, including this loop's pending decisions; null when absent. */
  byte[] latest(byte[] key) {
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
        for (Mutation m : w.stateMutations()) {
          if (m.image() == null) {
            batch.delete(Space.STATE, m.key());
          } else {
            batch.put(Space.STATE, m.key(), m.image());
          }
          transactions.applied(m);
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
    pending.appliedThrough(index);
    pendingHighWater.appliedThrough(index);
    pendingCollections.appliedThrough(index);
    transactions.appliedThrough(index);
    if (outboxWritten) {
      outboxWritten = false;
      outboxListener.run();
    }
  }

  @Override
  public void discardDecisions(KvEngine engine) {
    pending.clear();
    pendingHighWater.clear();
    pendingCollections.clear();
    byte[] savedSchema = engine.get(Space.STATE, StateKeys.schema(descriptor.groupId()));
    if (savedSchema != null) {
      schema = DescriptorCodec.decodeSchema(savedSchema); // a SetSchema decided but not applied is forgotten too
    }
    transactions.discardDecisions(engine);
  }

  /** The log index the command being evaluated will take (for {@link TxParticipant}'s decisions). */
  long decidingIndex() {
    return decidingIndex;
  }
}
