package io.flywheel.storagenode;

import io.flywheel.base.Bytes;
import io.flywheel.base.Clock;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
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
import io.flywheel.replication.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/** A storage node: the partition replicas hosted on one node. Thread-safe. */
public final class StorageNode implements StorageNodeService {
  private final long nodeId;
  private final KvEngine kv;
  private final ReplicaHost host;
  private final ConcurrentHashMap<Long, Hosted> replicas = new ConcurrentHashMap<>();
  private IndexPropagator propagator;
  private Thread propagatorThread;
  /** Differs in every lifetime of this node's data (see {@link TxReadResult#incarnation()}). */
  private final long incarnation;

  private record Hosted(PartitionReplica replica, GroupHandle<PartitionCommand> group) {}

  /** A storage node whose id is its host's (the replicas' node id in every group). */
  public StorageNode(KvEngine kv, ReplicaHost host) {
    this.nodeId = host.nodeId();
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
        PartitionDescriptor d = DescriptorCodec.decodePartition(it.value());
        byte[] schema = kv.get(Space.STATE, StateKeys.schema(d.groupId()));
        host(d, DescriptorCodec.decodeSchema(schema));
      }
    }
  }

  /**
   * Starts delivering global-index updates (with {@code locator} to find index partitions, {@code
   * clock} to pace retries), first whatever the outboxes kept across a restart.
   */
  public synchronized void startIndexPropagation(IndexLocator locator, Clock clock, ThreadFactory threads) {
    propagator = newIndexPropagator(locator, clock);
    for (Hosted h : replicas.values()) {
      long groupId = h.replica().descriptor().groupId();
      h.replica().onOutbox(() -> propagator.signal(groupId));
      propagator.signal(groupId);
    }
    propagatorThread = threads.newThread(propagator);
    propagatorThread.setName("index-propagator-" + nodeId);
    propagatorThread.start();
  }

  /**
   * A propagator of this node's outboxes that is not running: {@link #startIndexPropagation} runs
   * one on its own thread; tests drive one step by step.
   */
  IndexPropagator newIndexPropagator(IndexLocator locator, Clock clock) {
    return new IndexPropagator(kv, locator, id -> {
      Hosted h = replicas.get(id);
      return h == null ? null : h.replica();
    }, clock);
  }

  /** Stops index propagation (what is left in outboxes is delivered after the next start). */
  public void stop() {
    IndexPropagator p;
    Thread t;
    synchronized (this) {
      p = propagator;
      t = propagatorThread;
    }
    if (p != null) {
      p.stop();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until index updates written so far are delivered (for tests). */
  public void awaitIndexPropagation() throws InterruptedException {
    IndexPropagator p;
    synchronized (this) {
      p = propagator;
    }
    if (p != null) {
      p.awaitIdle();
    }
  }

  private synchronized void host(PartitionDescriptor descriptor, PartitionSchema schema) {
    PartitionReplica replica = new PartitionReplica(kv, descriptor, schema, incarnation);
    if (propagator != null) {
      IndexPropagator p = propagator;
      replica.onOutbox(() -> p.signal(descriptor.groupId()));
    }
    long[] members = descriptor.replicaNodes().stream().mapToLong(Long::longValue).toArray();
    GroupHandle<PartitionCommand> group = host.register(descriptor.groupId(), replica, Membership.fullVoters(members));
    replicas.put(descriptor.groupId(), new Hosted(replica, group));
  }

  @Override
  public long nodeId() {
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

  private static void checkOwnsKey(Hosted h, PartitionRef ref, long tableId, PrimaryKey key) {
    PartitionDescriptor d = h.replica().descriptor();
    if (d.tableId() != tableId || !d.containsHash(KeyEncoding.partitionHash(key.partition()))) {
      throw new RoutingException.WrongPartition(ref, d);
    }
  }

  private static void checkServing(Hosted h, boolean consistent) {
    if (h.group().stopped()) {
      throw new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
    }
    if (consistent && !h.group().servesConsistentReads()) {
      throw notLeader(h.replica().descriptor().groupId(), h.group().leaderHint());
    }
  }

  private static RoutingException.NotLeader notLeader(long groupId, long leaderHint) {
    return new RoutingException.NotLeader(groupId, leaderHint);
  }

  private CompletableFuture<Object> propose(PartitionRef ref, PartitionCommandFactory factory) {
    Hosted h;
    PartitionCommand command;
    try {
      h = hosted(ref);
      command = factory.create(h);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return h.group().propose(command).handle((result, error) -> {
      if (error != null) {
        throw new CompletionException(translate(unwrap(error), ref));
      }
      return result;
    });
  }

  @FunctionalInterface
  private interface PartitionCommandFactory {
    PartitionCommand create(Hosted hosted);
  }

  @Override
  public CompletableFuture<WriteResult> write(WriteRequest request) {
    return propose(request.partition(), h -> {
      checkOwnsKey(h, request.partition(), request.tableId(), request.key());
      return prepare(request);
    }).thenApply(result -> (WriteResult) result);
  }

  /** Everything about a write that does not depend on the item's current version. */
  static PartitionCommand.Write prepare(WriteRequest request) {
    byte[] key = KeyEncoding.itemKey(request.tableId(), request.key());
    if (request.op() instanceof WriteRequest.WriteOp.Put put) {
      int size = ItemSize.of(put.item());
      if (size > ItemSize.MAX_ITEM_SIZE_BYTES) {
        throw DynamoException.validation("Item size has exceeded the maximum allowed size");
      }
      return new PartitionCommand.Write(request, key, ItemCodec.encode(put.item(), size), size);
    }
    return new PartitionCommand.Write(request, key, null, 0);
  }

  @Override
  public CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema) {
    return propose(partition, h -> new PartitionCommand.SetSchema(schema)).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
    return propose(partition, h -> {
      PartitionDescriptor d = h.replica().descriptor();
      for (IndexMutations.Mutation m : mutations.mutations()) {
        if (KeyEncoding.tableIdOf(m.key()) != d.tableId() || !d.containsHash(KeyEncoding.hashOf(m.key()))) {
          throw new RoutingException.WrongPartition(partition, d);
        }
      }
      return new PartitionCommand.ApplyIndex(mutations);
    }).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
    return propose(partition, h -> new PartitionCommand.Backfill(indexId, fromKey, maxItems))
        .thenApply(r -> r instanceof byte[] next ? next : null);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Host-level rejections become what a DynamoDB client understands. */
  private static Throwable translate(Throwable t, PartitionRef ref) {
    if (t instanceof HostRejectedException rejected) {
      return switch (rejected.reason()) {
        case OVERLOADED -> new DynamoException(ErrorCode.THROTTLING, "Rate of requests exceeds the allowed throughput.");
        case NO_SUCH_GROUP -> new RoutingException.WrongPartition(ref, null);
        case GROUP_FAILED, SHUTTING_DOWN -> new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
        case NOT_LEADER -> notLeader(ref.groupId(), rejected.leaderHint());
        // The write may or may not take effect: DynamoDB answers a 500, which clients retry.
        case OUTCOME_UNKNOWN -> new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
      };
    }
    return t;
  }

  @Override
  public CompletableFuture<ReadResult> read(ReadRequest request) {
    try {
      Hosted h = hosted(request.partition());
      checkOwnsKey(h, request.partition(), request.tableId(), request.key());
      checkServing(h, request.consistent());
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
      // The partition holds its table's key space and those of the table's local indexes.
      if (!ownsKeySpace(h, request.tableId())
          || Bytes.compareUnsigned(request.startKey(), KeyEncoding.hashPrefix(request.tableId(), d.hashStart())) < 0
          || Bytes.compareUnsigned(request.endKey(), KeyEncoding.hashRangeEnd(request.tableId(), d.hashEnd())) > 0) {
        throw new RoutingException.WrongPartition(request.partition(), d);
      }
      checkServing(h, request.consistent());
      return CompletableFuture.completedFuture(scan(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean ownsKeySpace(Hosted h, long id) {
    if (h.replica().descriptor().tableId() == id) {
      return true;
    }
    for (IndexDescriptor i : h.replica().schema().indexes()) {
      if (!i.global() && i.indexId() == id) {
        return true;
      }
    }
    return false;
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
        if (request.filter() == null || request.filter().evaluate(ItemCodec.decode(image))) {
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
  public synchronized CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
    if (replicas.containsKey(descriptor.groupId())) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      try (KvBatch batch = kv.newBatch()) {
        batch.put(Space.STATE, StateKeys.replica(descriptor.groupId()), DescriptorCodec.encodePartition(descriptor));
        batch.put(Space.STATE, StateKeys.schema(descriptor.groupId()), DescriptorCodec.encodeSchema(schema));
        kv.write(batch, true);
      }
      host(descriptor, schema);
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
    List<Long> keySpaces = new ArrayList<>(List.of(d.tableId()));
    for (IndexDescriptor i : h.replica().schema().indexes()) {
      if (!i.global()) {
        keySpaces.add(i.indexId());
      }
    }
    return host.drop(groupId, batch -> {
      for (byte tag : new byte[] {StateKeys.REPLICA, StateKeys.SCHEMA}) {
        batch.delete(Space.STATE, StateKeys.tagged(tag, groupId));
      }
      for (byte tag : new byte[] {StateKeys.STATS, StateKeys.OUTBOX, StateKeys.HIGH_WATER, StateKeys.COLLECTION, StateKeys.TRANSACTIONS}) {
        batch.deleteRange(Space.STATE, StateKeys.tagged(tag, groupId), StateKeys.groupEnd(tag, groupId));
      }
      for (long id : keySpaces) {
        batch.deleteRange(Space.DATA, KeyEncoding.hashPrefix(id, d.hashStart()), KeyEncoding.hashRangeEnd(id, d.hashEnd()));
      }
    }).thenRun(() -> replicas.remove(groupId, h));
  }

  @Override
  public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
    try {
      return CompletableFuture.completedFuture(hosted(partition).replica().stats(keySpaceId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- transactions: the participant side (see TxParticipant) ----

  @Override
  public CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
    return propose(request.partition(), h -> {
      for (TxAction action : request.actions()) {
        checkOwnsKey(h, request.partition(), request.tableId(), action.key());
      }
      return prepareCommand(request);
    }).thenApply(r -> (TxPrepareResult) r);
  }

  @Override
  public CompletableFuture<Void> txFinish(TxFinishRequest request) {
    return propose(request.partition(),
        h -> new TxCommand.Finish(request, itemKeys(h, request.partition(), request.tableId(), request.keys())))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
    return propose(request.partition(),
        h -> new TxCommand.Read(request, itemKeys(h, request.partition(), request.tableId(), request.keys())))
        .thenApply(r -> (TxReadResult) r);
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

  /** Deletes logs of groups no longer hosted (a drop interrupted by a crash). */
  public void cleanOrphanLogs() {
    for (long groupId : host.unregisteredLogGroups()) {
      host.deleteOrphanLog(groupId);
    }
  }
}
