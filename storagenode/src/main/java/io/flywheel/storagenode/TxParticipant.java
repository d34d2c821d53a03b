package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.DecidedValues;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The participant side of transactions for one partition (DESIGN.md section 8; "Distributed
 * Transactions at Scale in Amazon DynamoDB", USENIX ATC 2023, section 3). Every step is a command
 * of the partition's replication group, decided on the leader in {@code evaluate} against the
 * latest state (this loop's pending writes included) and replicated as an ordinary {@link
 * PartitionEntry}, so prepared state is as durable and replicated as items are.
 *
 * <h2>Rules</h2>
 *
 * <ol>
 *   <li><b>Prepare never waits.</b> An item held by another prepared transaction makes the action
 *       fail with {@code TransactionConflict}; the coordinator then cancels the transaction. No
 *       transaction ever waits for another, so there is no deadlock (and no lock table to time out).
 *   <li><b>Timestamp order.</b> Each item remembers the timestamp of the last transaction that
 *       finished on it (committed or cancelled). A prepare whose timestamp is not newer fails with
 *       {@code TransactionConflict}. So the committed transactions of an item are in timestamp
 *       order, and a delayed or repeated prepare of a transaction that already finished can never
 *       hold the item again.
 *   <li><b>Conditions</b> are checked on prepare against the item's latest version ({@code
 *       ConditionalCheckFailed}); an update is computed then too ({@code ValidationError} when it
 *       cannot apply or the item would exceed 400 KB). A partition prepares all of its actions of
 *       a transaction or none; actions that were fine report {@code None}.
 *   <li><b>Held items.</b> A prepared action holds its item until commit or cancel: a plain
 *       PutItem, UpdateItem or DeleteItem on it fails with TransactionConflictException; reads
 *       (GetItem, Query, Scan) see the last committed version, because prepared images live in the
 *       state space, not among the items. A ConditionCheck holds its item too, so its condition
 *       still holds when the transaction commits.
 *   <li><b>Commit and cancel are idempotent</b>: they act on the keys this transaction holds and
 *       leave others alone (an earlier copy of the same step already finished them).
 *   <li><b>Reads for TransactGetItems</b> fail on held items and return each item's version, which
 *       changes with every write of the item; the coordinator re-reads versions to check that
 *       nothing changed between its first and second round.
 * </ol>
 *
 * <h2>State</h2>
 *
 * <p>Durable, in the state space, written in the entry's batch: {@code 'T'+groupId+'P'+itemKey} →
 * the prepared action (transaction id, timestamp, kind, new image), and {@code 'T'+groupId+'W'} →
 * the highest timestamp finished here (the watermark). In memory: which item is held by which
 * transaction (rebuilt from the records in {@link #recover}), the last finished timestamp of
 * recently finished items (at most {@link #TIMESTAMPS_MAX}; items not remembered count as finished
 * at the floor, which starts at the watermark after a restart and rises when an item is
 * forgotten), and item versions (at most {@link #VERSIONS_MAX}, with a floor in the same way).
 *
 * <p>The held map is changed when a step is decided and again, to the same end state, when its
 * entry is applied (a restart's replay only applies). Both happen on the group's worker thread,
 * and every entry of a loop is applied after every decision of that loop, so the map is exact
 * between loops.
 */
final class TxParticipant {
  /** Recently finished items whose timestamps are remembered exactly, per partition. */
  static final int TIMESTAMPS_MAX = 4096;
  /** Recently written items whose versions are remembered exactly, per partition. */
  static final int VERSIONS_MAX = 4096;

  private static final int RECORD_V1 = 1;
  private static final int KIND_CHECK = 0;
  private static final int KIND_PUT = 1;
  private static final int KIND_DELETE = 2;

  private final PartitionReplica replica;
  private final KvEngine kv;
  private final long incarnation;
  private final byte[] preparedPrefix;
  private final byte[] watermarkKey;

  /** What a prepared transaction holds an item for. */
  private record Held(String txId, long timestamp, int kind) {}

  private final Map<ByteBuffer, Held> held = new HashMap<>();
  /** New images prepared in this loop (not yet applied to the state space). */
  private final DecidedValues<ByteBuffer, byte[]> pendingImages = new DecidedValues<>();
  private final LinkedHashMap<ByteBuffer, Long> finishedAt = new LinkedHashMap<>();
  private long timestampFloor;
  private long watermark;
  private final LinkedHashMap<ByteBuffer, Long> versions = new LinkedHashMap<>();
  private long versionFloor;
  private long writes;
  /**
   * Versions are tracked from the first TransactGetItems read on: every item written before it
   * keeps the floor, which no later write can have. Partitions nobody reads that way pay nothing.
   */
  private boolean trackingVersions;

  TxParticipant(PartitionReplica replica, KvEngine kv, long groupId, long incarnation) {
    this.replica = replica;
    this.kv = kv;
    this.incarnation = incarnation;
    this.preparedPrefix = StateKeys.preparedPrefix(groupId);
    this.watermarkKey = StateKeys.watermark(groupId);
  }

  // ---- recovery and apply ----

  void recover(KvEngine engine) {
    try (KvIterator it = engine.iterator(Space.STATE, preparedPrefix, Bytes.prefixEnd(preparedPrefix), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        held.put(ByteBuffer.wrap(itemKeyOf(it.key())), decodeHeld(it.value()));
      }
    }
    byte[] w = engine.get(Space.STATE, watermarkKey);
    watermark = w == null ? 0 : Bytes.getLong(w, 0);
    timestampFloor = Math.max(timestampFloor, watermark);
  }

  /** Mirrors an applied state-space mutation of this group in memory. */
  void applied(PartitionEntry.Mutation m) {
    if (Bytes.startsWith(m.key(), preparedPrefix)) {
      ByteBuffer item = ByteBuffer.wrap(itemKeyOf(m.key()));
      if (m.image() == null) {
        held.remove(item);
      } else {
        held.put(item, decodeHeld(m.image()));
      }
    } else if (Arrays.equals(m.key(), watermarkKey)) {
      long w = Bytes.getLong(m.image(), 0);
      if (w > watermark) {
        // Only a replay gets here: a live leader decided the watermark before applying it. What
        // the replayed entries finished is not remembered per item, so the floor covers it.
        watermark = w;
        timestampFloor = Math.max(timestampFloor, w);
      }
    }
  }

  /** Entries up to {@code index} are applied: their prepared images are in the state space now. */
  void appliedThrough(long index) {
    pendingImages.appliedThrough(index);
  }

  /**
   * The replica stopped leading: prepares and finishes decided but not applied may never be. The
   * held items are rebuilt from the applied state (entries still to come update them as they are
   * applied). Remembered timestamps and versions stay: decisions only ever raised them, and a value
   * too high costs at most a spurious conflict.
   */
  void discardDecisions(KvEngine engine) {
    pendingImages.clear();
    held.clear();
    recover(engine);
  }

  // ---- hooks of the single-item write path ----

  /** Whether a prepared transaction holds the item (plain writes then fail). */
  boolean holds(byte[] itemKey) {
    return !held.isEmpty() && held.containsKey(ByteBuffer.wrap(itemKey));
  }

  /** The item is written by the entry being decided: it gets a new version. */
  void written(byte[] itemKey) {
    if (!trackingVersions) {
      return;
    }
    ByteBuffer key = ByteBuffer.wrap(itemKey);
    versions.remove(key);
    versions.put(key, ++writes);
    if (versions.size() > VERSIONS_MAX) {
      Iterator<Map.Entry<ByteBuffer, Long>> eldest = versions.entrySet().iterator();
      versionFloor = Math.max(versionFloor, eldest.next().getValue());
      eldest.remove();
    }
  }

  private long version(ByteBuffer key) {
    return versions.getOrDefault(key, versionFloor);
  }

  private long lastFinished(ByteBuffer key) {
    return finishedAt.getOrDefault(key, timestampFloor);
  }

  private void finished(ByteBuffer key, long timestamp) {
    Long before = finishedAt.remove(key);
    finishedAt.put(key, before == null ? timestamp : Math.max(before, timestamp));
    if (finishedAt.size() > TIMESTAMPS_MAX) {
      Iterator<Map.Entry<ByteBuffer, Long>> eldest = finishedAt.entrySet().iterator();
      timestampFloor = Math.max(timestampFloor, eldest.next().getValue());
      eldest.remove();
    }
  }

  // ---- decisions ----

  Evaluation evaluate(TxCommand command) {
    return switch (command) {
      case TxCommand.Prepare p -> prepare(p);
      case TxCommand.Finish f -> finish(f);
      case TxCommand.Read r -> read(r);
    };
  }

  private record Decided(byte[] key, int kind, byte[] image) {}

  private Evaluation prepare(TxCommand.Prepare command) {
    TxPrepareRequest request = command.request();
    List<TxAction> actions = request.actions();
    List<TxPrepareResult.Outcome> outcomes = new ArrayList<>(actions.size());
    List<Decided> decided = new ArrayList<>(actions.size());
    boolean allGood = true;
    for (int i = 0; i < actions.size(); i++) {
      TxAction action = actions.get(i);
      byte[] key = command.itemKeys().get(i);
      ByteBuffer k = ByteBuffer.wrap(key);
      Held h = held.get(k);
      if (h != null && h.txId().equals(request.txId())) {
        outcomes.add(new TxPrepareResult.Outcome(action.index(), CancellationReason.NONE, 0, 0)); // a repeated prepare
        continue;
      }
      if (h != null || request.timestamp() <= lastFinished(k)) {
        outcomes.add(new TxPrepareResult.Outcome(action.index(), CancellationReason.transactionConflict(), 0, 0));
        allGood = false;
        continue;
      }
      TxPrepareResult.Outcome outcome = decide(action, key, command.putImages().get(i), command.putSizes()[i], decided);
      allGood &= outcome.reason().code() == CancellationReason.Code.NONE;
      outcomes.add(outcome);
    }
    TxPrepareResult result = new TxPrepareResult(allGood, outcomes);
    if (!allGood || decided.isEmpty()) {
      return new Evaluation.Done(result);
    }
    List<PartitionEntry.Mutation> state = new ArrayList<>(decided.size());
    for (Decided d : decided) {
      ByteBuffer k = ByteBuffer.wrap(d.key());
      held.put(k, new Held(request.txId(), request.timestamp(), d.kind()));
      if (d.image() != null) {
        pendingImages.put(k, d.image(), replica.decidingIndex());
      }
      state.add(new PartitionEntry.Mutation(Bytes.concat(preparedPrefix, d.key()),
          encodeHeld(request.txId(), request.timestamp(), d.kind(), d.image())));
    }
    return new Evaluation.Append(new PartitionEntry.Write(List.of(), List.of(), List.of(), state).encode(), result);
  }

  /** Checks one action's condition and computes its new image; adds it to {@code decided} when it can go through. */
  private TxPrepareResult.Outcome decide(TxAction action, byte[] key, byte[] putImage, int putSize, List<Decided> decided) {
    byte[] oldImage = replica.latest(key);
    int oldSize = oldImage == null ? 0 : ItemCodec.sizeOf(oldImage);
    Map<String, AttributeValue> oldItem = null;
    if (action.condition() != null || action.write() instanceof WriteRequest.WriteOp.Update) {
      oldItem = oldImage == null ? Map.of() : ItemCodec.decode(oldImage);
    }
    if (action.condition() != null && !action.condition().evaluate(oldItem)) {
      Map<String, AttributeValue> shown = action.returnOldOnConditionFailure() && oldImage != null ? oldItem : null;
      return new TxPrepareResult.Outcome(action.index(), CancellationReason.conditionalCheckFailed(shown), oldSize, oldSize);
    }
    switch (action.write()) {
      case null -> {
        decided.add(new Decided(key, KIND_CHECK, null));
        return new TxPrepareResult.Outcome(action.index(), CancellationReason.NONE, oldSize, oldSize);
      }
      case WriteRequest.WriteOp.Put put -> {
        Invariants.check(putImage != null, "a put carries its image");
        String badIndexKey = indexKeyError(put.item(), false);
        if (badIndexKey != null) {
          return new TxPrepareResult.Outcome(action.index(), CancellationReason.validationError(badIndexKey), oldSize, oldSize);
        }
        decided.add(new Decided(key, KIND_PUT, putImage));
        return new TxPrepareResult.Outcome(action.index(), CancellationReason.NONE, oldSize, putSize);
      }
      case WriteRequest.WriteOp.Delete delete -> {
        decided.add(new Decided(key, KIND_DELETE, null));
        return new TxPrepareResult.Outcome(action.index(), CancellationReason.NONE, oldSize, 0);
      }
      case WriteRequest.WriteOp.Update update -> {
        Map<String, AttributeValue> newItem;
        int newSize;
        try {
          newItem = update.apply(oldItem);
          newSize = ItemSize.of(newItem);
        } catch (DynamoException e) {
          return new TxPrepareResult.Outcome(action.index(), CancellationReason.validationError(e.getMessage()), oldSize, oldSize);
        }
        if (newSize > ItemSize.MAX_ITEM_SIZE_BYTES) {
          return new TxPrepareResult.Outcome(action.index(),
              CancellationReason.validationError("Item size to update has exceeded the maximum allowed size"), oldSize, oldSize);
        }
        String badIndexKey = indexKeyError(newItem, true);
        if (badIndexKey != null) {
          return new TxPrepareResult.Outcome(action.index(), CancellationReason.validationError(badIndexKey), oldSize, oldSize);
        }
        decided.add(new Decided(key, KIND_PUT, ItemCodec.encode(newItem, newSize)));
        return new TxPrepareResult.Outcome(action.index(), CancellationReason.NONE, oldSize, newSize);
      }
    }
  }

  /** DynamoDB's message when an index key attribute of {@code item} has the wrong type or is empty, else null. */
  private String indexKeyError(Map<String, AttributeValue> item, boolean computedByUpdate) {
    try {
      replica.checkIndexKeys(item, computedByUpdate);
      return null;
    } catch (DynamoException e) {
      return e.getMessage();
    }
  }

  private Evaluation finish(TxCommand.Finish command) {
    TxFinishRequest request = command.request();
    PartitionReplica.ItemChanges items = new PartitionReplica.ItemChanges();
    List<PartitionEntry.Mutation> state = new ArrayList<>();
    for (byte[] key : command.itemKeys()) {
      ByteBuffer k = ByteBuffer.wrap(key);
      Held h = held.get(k);
      if (h != null && h.txId().equals(request.txId())) {
        if (request.commit() && h.kind() != KIND_CHECK) {
          replica.commitItem(items, key, h.kind() == KIND_PUT ? preparedImage(key) : null);
        }
        held.remove(k);
        pendingImages.remove(k);
        state.add(new PartitionEntry.Mutation(Bytes.concat(preparedPrefix, key), null));
      }
      finished(k, request.timestamp());
    }
    if (request.timestamp() > watermark) {
      watermark = request.timestamp();
      state.add(new PartitionEntry.Mutation(watermarkKey, Bytes.ofLong(watermark)));
    }
    if (state.isEmpty()) {
      return new Evaluation.Done(null);
    }
    return new Evaluation.Append(items.entry(state).encode(), null);
  }

  private Evaluation read(TxCommand.Read command) {
    trackingVersions = true;
    List<TxReadResult.Item> items = new ArrayList<>(command.itemKeys().size());
    for (byte[] key : command.itemKeys()) {
      ByteBuffer k = ByteBuffer.wrap(key);
      if (held.containsKey(k)) {
        items.add(new TxReadResult.Item(null, version(k), true));
      } else {
        items.add(new TxReadResult.Item(command.request().withImages() ? replica.latest(key) : null, version(k), false));
      }
    }
    return new Evaluation.Done(new TxReadResult(incarnation, items));
  }

  /** The new image of a prepared put: from this loop's decisions, else from its durable record. */
  private byte[] preparedImage(byte[] key) {
    byte[] pending = pendingImages.get(ByteBuffer.wrap(key));
    if (pending != null) {
      return pending;
    }
    byte[] record = kv.get(Space.STATE, Bytes.concat(preparedPrefix, key));
    Invariants.check(record != null, "a held item has its prepared record");
    ByteReader r = new ByteReader(record);
    readHeld(r);
    return r.readLengthPrefixed();
  }

  // ---- record encoding ----

  private byte[] itemKeyOf(byte[] stateKey) {
    return Arrays.copyOfRange(stateKey, preparedPrefix.length, stateKey.length);
  }

  private static byte[] encodeHeld(String txId, long timestamp, int kind, byte[] image) {
    ByteWriter w = new ByteWriter(32 + txId.length() + (image == null ? 0 : image.length));
    w.writeByte(RECORD_V1).writeString(txId).writeLong(timestamp).writeByte(kind);
    if (kind == KIND_PUT) {
      w.writeLengthPrefixed(image);
    }
    return w.toByteArray();
  }

  private static Held decodeHeld(byte[] record) {
    return readHeld(new ByteReader(record));
  }

  private static Held readHeld(ByteReader r) {
    int format = r.readByte();
    if (format != RECORD_V1) {
      throw new CorruptDataException("unknown prepared record format " + format);
    }
    String txId = r.readString();
    long timestamp = r.readLong();
    int kind = r.readByte();
    if (kind != KIND_CHECK && kind != KIND_PUT && kind != KIND_DELETE) {
      throw new CorruptDataException("unknown prepared action kind " + kind);
    }
    return new Held(txId, timestamp, kind);
  }
}
