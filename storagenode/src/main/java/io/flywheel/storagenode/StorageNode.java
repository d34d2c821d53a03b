package io.flywheel.storagenode;

import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.HostRejectedException;
import io.flywheel.replicahost.ReplicaHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/** A storage node: the partition replicas hosted on one node. Thread-safe. */
public final class StorageNode implements StorageNodeService {
  private final String nodeId;
  private final KvEngine kv;
  private final ReplicaHost host;
  private final ConcurrentHashMap<Long, Hosted> replicas = new ConcurrentHashMap<>();
  /** Differs in every lifetime of this node's data (see {@link TxReadResult#incarnation()}). */
  private final long incarnation;

  private record Hosted(PartitionReplica replica, GroupHandle<ReplicaCommand> group) {}

  public StorageNode(String nodeId, KvEngine kv, ReplicaHost host) {
    this.nodeId = nodeId;
    this.kv = kv;
    this.host = host;
    this.incarnation = nextIncarnation(kv);
  }

  /** Counts this start durably, so item versions of an earlier lifetime never compare equal to new ones. */
  private static long nextIncarnation(KvEngine kv) {
    byte[] saved = kv.get(Space.STATE, StateKeys.INCARNATION);
    long next = (saved == null ? 0 : Bytes.getLong(saved, 0)) + 1;
    try (KvBatch batch = kv.newBatch()) {
      batch.put(Space.STATE, StateKeys.INCARNATION, Bytes.ofLong(next));
      kv.write(batch, true);
    }
    return next;
  }

  /** Registers every replica recorded on this node, replaying their logs. */
  public void start() {
    byte[] start = {StateKeys.REPLICA};
    try (KvIterator it = kv.iterator(Space.STATE, start, Bytes.prefixEnd(start), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        host(DescriptorCodec.decodePartition(it.value()));
      }
    }
  }

  private void host(PartitionDescriptor descriptor) {
    PartitionReplica replica = new PartitionReplica(kv, descriptor, incarnation);
    GroupHandle<ReplicaCommand> group = host.register(descriptor.groupId(), replica);
    replicas.put(descriptor.groupId(), new Hosted(replica, group));
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  private Hosted hosted(PartitionRef ref) {
    Hosted h = replicas.get(ref.groupId());
    if (h == null) {
      throw new RoutingException.WrongPartition(ref, null);
    }
    PartitionDescriptor d = h.replica().descriptor();
    if (d.epoch() != ref.epoch()) {
      throw new RoutingException.WrongPartition(ref, d);
    }
    return h;
  }

  private static void checkOwnsKey(Hosted h, PartitionRef ref, long tableId, io.flywheel.model.PrimaryKey key) {
    PartitionDescriptor d = h.replica().descriptor();
    if (d.tableId() != tableId || !d.containsHash(KeyEncoding.partitionHash(key.partition()))) {
      throw new RoutingException.WrongPartition(ref, d);
    }
  }

  @Override
  public CompletableFuture<WriteResult> write(WriteRequest request) {
    Hosted h;
    PartitionCommand command;
    try {
      h = hosted(request.partition());
      checkOwnsKey(h, request.partition(), request.tableId(), request.key());
      command = prepare(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return h.group().propose(command).handle((result, error) -> {
      if (error != null) {
        throw new CompletionException(translate(unwrap(error)));
      }
      return (WriteResult) result;
    });
  }

  /** Everything about a write that does not depend on the item's current version. */
  static PartitionCommand prepare(WriteRequest request) {
    byte[] key = KeyEncoding.itemKey(request.tableId(), request.key());
    if (request.op() instanceof WriteRequest.WriteOp.Put put) {
      int size = ItemSize.of(put.item());
      if (size > ItemSize.MAX_ITEM_SIZE_BYTES) {
        throw DynamoException.validation("Item size has exceeded the maximum allowed size");
      }
      return new PartitionCommand(request, key, ItemCodec.encode(put.item(), size), size);
    }
    return new PartitionCommand(request, key, null, 0);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Host-level rejections become what a DynamoDB client understands. */
  private static Throwable translate(Throwable t) {
    if (t instanceof HostRejectedException rejected) {
      return switch (rejected.reason()) {
        case OVERLOADED -> new DynamoException(ErrorCode.THROTTLING, "Rate of requests exceeds the allowed throughput.");
        case NO_SUCH_GROUP -> new RoutingException.WrongPartition(new PartitionRef(-1, -1), null);
        case GROUP_FAILED, SHUTTING_DOWN -> new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
      };
    }
    return t;
  }

  @Override
  public CompletableFuture<ReadResult> read(ReadRequest request) {
    try {
      Hosted h = hosted(request.partition());
      checkOwnsKey(h, request.partition(), request.tableId(), request.key());
      if (h.group().stopped()) {
        throw new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
      }
      // Every acknowledged write is applied to the item engine before its acknowledgement.
      byte[] image = kv.get(Space.DATA, KeyEncoding.itemKey(request.tableId(), request.key()));
      return CompletableFuture.completedFuture(new ReadResult(image));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<RangeReadResult> readRange(RangeReadRequest request) {
    try {
      Hosted h = hosted(request.partition());
      PartitionDescriptor d = h.replica().descriptor();
      byte[] partitionStart = KeyEncoding.hashPrefix(d.tableId(), d.hashStart());
      byte[] partitionEnd = KeyEncoding.hashRangeEnd(d.tableId(), d.hashEnd());
      if (d.tableId() != request.tableId()
          || Bytes.compareUnsigned(request.startKey(), partitionStart) < 0
          || Bytes.compareUnsigned(request.endKey(), partitionEnd) > 0) {
        throw new RoutingException.WrongPartition(request.partition(), d);
      }
      if (h.group().stopped()) {
        throw new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
      }
      return CompletableFuture.completedFuture(scan(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One pass over the range, from a consistent snapshot of the item engine. */
  private RangeReadResult scan(RangeReadRequest request) {
    List<byte[]> images = new ArrayList<>();
    int evaluated = 0;
    long bytes = 0;
    byte[] last = null;
    try (KvIterator it = kv.iterator(Space.DATA, request.startKey(), request.endKey(), request.reverse())) {
      for (it.seekFirst(); it.valid(); it.next()) {
        byte[] image = it.value();
        evaluated++;
        bytes += ItemCodec.sizeOf(image);
        if (request.filter() == null || request.filter().test(ItemCodec.decode(image))) {
          images.add(image);
        }
        if (evaluated >= request.limit() || bytes >= request.maxBytes()) {
          last = image;
          break;
        }
      }
    }
    return new RangeReadResult(images, evaluated, bytes, last);
  }

  @Override
  public synchronized CompletableFuture<Void> createReplica(PartitionDescriptor descriptor) {
    if (replicas.containsKey(descriptor.groupId())) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      try (KvBatch batch = kv.newBatch()) {
        batch.put(Space.STATE, StateKeys.replica(descriptor.groupId()), DescriptorCodec.encodePartition(descriptor));
        kv.write(batch, true);
      }
      host(descriptor);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized CompletableFuture<Void> dropReplica(long groupId) {
    Hosted h = replicas.get(groupId);
    if (h == null) {
      return CompletableFuture.completedFuture(null);
    }
    PartitionDescriptor d = h.replica().descriptor();
    byte[] start = KeyEncoding.hashPrefix(d.tableId(), d.hashStart());
    byte[] end = KeyEncoding.hashRangeEnd(d.tableId(), d.hashEnd());
    return host.drop(groupId, batch -> {
      batch.delete(Space.STATE, StateKeys.replica(groupId));
      batch.delete(Space.STATE, StateKeys.stats(groupId));
      byte[] transactions = StateKeys.transactions(groupId);
      batch.deleteRange(Space.STATE, transactions, Bytes.prefixEnd(transactions));
      batch.deleteRange(Space.DATA, start, end);
    }).thenRun(() -> replicas.remove(groupId, h));
  }

  @Override
  public CompletableFuture<PartitionStats> stats(PartitionRef partition) {
    try {
      return CompletableFuture.completedFuture(hosted(partition).replica().stats());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- transactions: the participant side (see TxParticipant) ----

  @Override
  public CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
    Hosted h;
    TxCommand.Prepare command;
    try {
      h = hosted(request.partition());
      for (TxAction action : request.actions()) {
        checkOwnsKey(h, request.partition(), request.tableId(), action.key());
      }
      command = prepareCommand(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return propose(h, command).thenApply(r -> (TxPrepareResult) r);
  }

  @Override
  public CompletableFuture<Void> txFinish(TxFinishRequest request) {
    Hosted h;
    TxCommand.Finish command;
    try {
      h = hosted(request.partition());
      command = new TxCommand.Finish(request, itemKeys(h, request.partition(), request.tableId(), request.keys()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return propose(h, command).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
    Hosted h;
    TxCommand.Read command;
    try {
      h = hosted(request.partition());
      command = new TxCommand.Read(request, itemKeys(h, request.partition(), request.tableId(), request.keys()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return propose(h, command).thenApply(r -> (TxReadResult) r);
  }

  /** Everything about a prepare that does not depend on current item versions: keys, put images. */
  static TxCommand.Prepare prepareCommand(TxPrepareRequest request) {
    List<byte[]> keys = new ArrayList<>(request.actions().size());
    List<byte[]> images = new ArrayList<>(request.actions().size());
    int[] sizes = new int[request.actions().size()];
    for (int i = 0; i < request.actions().size(); i++) {
      TxAction action = request.actions().get(i);
      keys.add(KeyEncoding.itemKey(request.tableId(), action.key()));
      if (action.write() instanceof WriteRequest.WriteOp.Put put) {
        sizes[i] = ItemSize.of(put.item());
        if (sizes[i] > ItemSize.MAX_ITEM_SIZE_BYTES) {
          throw DynamoException.validation("Item size has exceeded the maximum allowed size");
        }
        images.add(ItemCodec.encode(put.item(), sizes[i]));
      } else {
        images.add(null);
      }
    }
    return new TxCommand.Prepare(request, keys, images, sizes);
  }

  static List<byte[]> itemKeys(long tableId, List<io.flywheel.model.PrimaryKey> keys) {
    List<byte[]> itemKeys = new ArrayList<>(keys.size());
    for (io.flywheel.model.PrimaryKey key : keys) {
      itemKeys.add(KeyEncoding.itemKey(tableId, key));
    }
    return itemKeys;
  }

  private static List<byte[]> itemKeys(Hosted h, PartitionRef ref, long tableId, List<io.flywheel.model.PrimaryKey> keys) {
    for (io.flywheel.model.PrimaryKey key : keys) {
      checkOwnsKey(h, ref, tableId, key);
    }
    return itemKeys(tableId, keys);
  }

  private static CompletableFuture<Object> propose(Hosted h, ReplicaCommand command) {
    return h.group().propose(command).handle((result, error) -> {
      if (error != null) {
        throw new CompletionException(translate(unwrap(error)));
      }
      return result;
    });
  }

  /** Deletes logs of groups no longer hosted (a drop interrupted by a crash). */
  public void cleanOrphanLogs() {
    for (long groupId : host.unregisteredLogGroups()) {
      host.deleteOrphanLog(groupId);
    }
  }
}
