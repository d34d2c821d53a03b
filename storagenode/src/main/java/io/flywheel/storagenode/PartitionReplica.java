package io.flywheel.storagenode;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.TransactionErrors;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.StateMachine;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of a partition: the state machine its replication group runs. Decides writes against
 * the latest item versions and applies decided entries. Runs on its group's worker thread only;
 * {@link #stats()} and {@link #descriptor()} may be read from any thread.
 */
final class PartitionReplica implements StateMachine<ReplicaCommand> {
  private static final byte[] ABSENT = new byte[0];

  private final KvEngine kv;
  private volatile PartitionDescriptor descriptor;
  private volatile PartitionStats stats = PartitionStats.EMPTY;
  /** Images decided in the current loop and not yet applied; {@link #ABSENT} marks a deletion. */
  private final Map<ByteBuffer, byte[]> pending = new HashMap<>();
  /** The partition's side of transactions: prepared items, timestamps, item versions. */
  private final TxParticipant transactions;

  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor) {
    this(kv, descriptor, 0);
  }

  /** @param incarnation the node's incarnation (see {@link io.flywheel.protocol.TxReadResult}) */
  PartitionReplica(KvEngine kv, PartitionDescriptor descriptor, long incarnation) {
    this.kv = kv;
    this.descriptor = descriptor;
    this.transactions = new TxParticipant(this, kv, descriptor.groupId(), incarnation);
  }

  PartitionDescriptor descriptor() {
    return descriptor;
  }

  PartitionStats stats() {
    return stats;
  }

  @Override
  public void recover(KvEngine engine) {
    byte[] saved = engine.get(Space.STATE, StateKeys.stats(descriptor.groupId()));
    if (saved != null) {
      ByteReader r = new ByteReader(saved);
      stats = new PartitionStats(r.readLong(), r.readLong());
    }
    transactions.recover(engine);
  }

  @Override
  public Evaluation evaluate(ReplicaCommand replicaCommand) {
    if (replicaCommand instanceof TxCommand tx) {
      return transactions.evaluate(tx);
    }
    PartitionCommand command = (PartitionCommand) replicaCommand;
    WriteRequest request = command.request();
    byte[] key = command.itemKey();
    if (transactions.holds(key)) {
      return new Evaluation.Reject(TransactionErrors.conflict());
    }
    byte[] oldImage = latestImage(key);
    Map<String, AttributeValue> oldItem = null;
    boolean isUpdate = request.op() instanceof WriteRequest.WriteOp.Update;
    if (request.condition() != null || request.returnOld() || isUpdate) {
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
    int oldSize = oldImage == null ? 0 : ItemCodec.sizeOf(oldImage);
    Map<String, AttributeValue> returnedOld = request.returnOld() && oldImage != null ? oldItem : null;
    if (newImage == null && oldImage == null) {
      return new Evaluation.Done(new WriteResult(returnedOld, null, 0, 0));
    }
    long countDelta = (newImage != null ? 1 : 0) - (oldImage != null ? 1 : 0);
    PartitionEntry entry = new PartitionEntry(List.of(new PartitionEntry.Mutation(key, newImage)), countDelta, newSize - oldSize);
    pending.put(ByteBuffer.wrap(key), newImage == null ? ABSENT : newImage);
    transactions.written(key);
    Map<String, AttributeValue> returnedNew = request.returnNew() ? newItem : null;
    return new Evaluation.Append(entry.encode(), new WriteResult(returnedOld, returnedNew, oldSize, newSize));
  }

  /** The item's latest image, including this loop's pending writes; null when absent. */
  byte[] latestImage(byte[] key) {
    byte[] p = pending.get(ByteBuffer.wrap(key));
    if (p != null) {
      return p == ABSENT ? null : p;
    }
    return kv.get(Space.DATA, key);
  }

  /** Records a write decided outside {@link #evaluate}'s write path (a transaction's commit) in this loop's overlay. */
  void stage(byte[] key, byte[] image) {
    pending.put(ByteBuffer.wrap(key), image == null ? ABSENT : image);
  }

  @Override
  public void apply(long index, byte[] entryBytes, KvBatch batch) {
    PartitionEntry entry = PartitionEntry.decode(entryBytes);
    for (PartitionEntry.Mutation m : entry.mutations()) {
      if (m.image() == null) {
        batch.delete(Space.DATA, m.key());
      } else {
        batch.put(Space.DATA, m.key(), m.image());
      }
    }
    for (PartitionEntry.Mutation m : entry.stateMutations()) {
      if (m.image() == null) {
        batch.delete(Space.STATE, m.key());
      } else {
        batch.put(Space.STATE, m.key(), m.image());
      }
      transactions.applied(m);
    }
    PartitionStats s = stats;
    stats = new PartitionStats(s.itemCount() + entry.itemCountDelta(), s.sizeBytes() + entry.sizeBytesDelta());
    batch.put(Space.STATE, StateKeys.stats(descriptor.groupId()),
        new ByteWriter(16).writeLong(stats.itemCount()).writeLong(stats.sizeBytes()).toByteArray());
  }

  @Override
  public void applied(long index) {
    pending.clear();
    transactions.loopApplied();
  }
}
