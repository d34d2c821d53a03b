package io.flywheel.protocol.wire;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.model.testing.RandomTrees;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.RoutingException;
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
import java.util.Map;

/** Seeded random requests, responses and failures of every storage-node method. */
final class RandomMessages {
  final RandomTrees trees;

  RandomMessages(long seed) {
    this.trees = new RandomTrees(seed);
  }

  private int n(int bound) {
    return trees.nextInt(bound);
  }

  private boolean maybe() {
    return trees.nextBoolean();
  }

  long anyLong() {
    return trees.random().nextLong();
  }

  PartitionRef ref() {
    return new PartitionRef(anyLong(), anyLong());
  }

  PrimaryKey key() {
    return new PrimaryKey(trees.scalar(), maybe() ? trees.scalar() : null);
  }

  Map<String, AttributeValue> item() {
    return trees.item(n(600));
  }

  Map<String, AttributeValue> nullableItem() {
    return maybe() ? item() : null;
  }

  byte[] bytes() {
    return trees.bytes(n(64));
  }

  byte[] nullableBytes() {
    return maybe() ? bytes() : null;
  }

  WriteRequest.WriteOp op() {
    return switch (n(3)) {
      case 0 -> new WriteRequest.WriteOp.Put(item());
      case 1 -> new WriteRequest.WriteOp.Delete();
      default -> new WriteRequest.WriteOp.Update(Map.of("pk", trees.scalar()), maybe() ? trees.update() : null);
    };
  }

  WriteRequest write() {
    return new WriteRequest(ref(), anyLong(), key(), op(), maybe() ? trees.condition(4) : null, maybe(), maybe(), maybe());
  }

  WriteResult writeResult() {
    List<WriteResult.IndexWrite> writes = new ArrayList<>();
    for (int i = n(3); i > 0; i--) {
      writes.add(new WriteResult.IndexWrite(anyLong(), n(500_000)));
    }
    return new WriteResult(nullableItem(), nullableItem(), n(400_000), n(400_000), writes, maybe() ? -1 : anyLong());
  }

  ReadRequest read() {
    return new ReadRequest(ref(), anyLong(), key(), maybe());
  }

  ReadResult readResult() {
    return new ReadResult(nullableBytes());
  }

  RangeReadRequest rangeRead() {
    return new RangeReadRequest(ref(), anyLong(), bytes(), bytes(), maybe(), maybe() ? Integer.MAX_VALUE : n(1000),
        maybe() ? Long.MAX_VALUE : n(1 << 20), maybe() ? trees.condition(4) : null, maybe());
  }

  RangeReadResult rangeReadResult() {
    List<byte[]> images = new ArrayList<>();
    for (int i = n(5); i > 0; i--) {
      images.add(bytes());
    }
    return new RangeReadResult(images, n(1000), n(1 << 20), nullableBytes());
  }

  PartitionDescriptor descriptor() {
    long a = anyLong();
    long b = anyLong();
    List<Long> nodes = new ArrayList<>();
    for (int i = 1 + n(3); i > 0; i--) {
      nodes.add(1 + (anyLong() & Long.MAX_VALUE) % 1_000_000);
    }
    return new PartitionDescriptor(anyLong(), anyLong(), Long.compareUnsigned(a, b) <= 0 ? a : b,
        Long.compareUnsigned(a, b) <= 0 ? b : a, anyLong(), nodes);
  }

  PartitionSchema schema() {
    KeySchema keys = new KeySchema(new KeyAttribute("pk", ScalarType.S), maybe() ? new KeyAttribute("sk", ScalarType.N) : null);
    List<IndexDescriptor> indexes = new ArrayList<>();
    for (int i = n(3); i > 0; i--) {
      boolean global = maybe();
      indexes.add(new IndexDescriptor("index" + i, anyLong(), global, new KeySchema(new KeyAttribute("g" + i, ScalarType.B), null),
          ProjectionType.values()[n(3)], List.of("x", "y"), IndexStatus.values()[n(4)], maybe(), ProvisionedThroughput.ON_DEMAND,
          global ? List.of(descriptor()) : List.of()));
    }
    return new PartitionSchema(trees.name(), keys, indexes);
  }

  StorageNodeMessages.CreateReplica createReplica() {
    return new StorageNodeMessages.CreateReplica(descriptor(), schema());
  }

  StorageNodeMessages.UpdateSchema updateSchema() {
    return new StorageNodeMessages.UpdateSchema(ref(), schema());
  }

  StorageNodeMessages.ApplyIndexMutations applyIndexMutations() {
    List<IndexMutations.Mutation> mutations = new ArrayList<>();
    for (int i = n(4); i > 0; i--) {
      mutations.add(new IndexMutations.Mutation(bytes(), nullableBytes()));
    }
    return new StorageNodeMessages.ApplyIndexMutations(ref(), new IndexMutations(anyLong(), anyLong(), mutations));
  }

  StorageNodeMessages.BackfillIndex backfill() {
    return new StorageNodeMessages.BackfillIndex(ref(), anyLong(), nullableBytes(), n(10_000));
  }

  StorageNodeMessages.Stats stats() {
    return new StorageNodeMessages.Stats(ref(), anyLong());
  }

  PartitionStats statsResult() {
    return new PartitionStats(anyLong(), anyLong());
  }

  CancellationReason reason() {
    return switch (n(4)) {
      case 0 -> CancellationReason.NONE;
      case 1 -> CancellationReason.conditionalCheckFailed(nullableItem());
      case 2 -> CancellationReason.transactionConflict();
      default -> CancellationReason.validationError(trees.string(20));
    };
  }

  TxPrepareRequest txPrepare() {
    List<TxAction> actions = new ArrayList<>();
    for (int i = 1 + n(4); i > 0; i--) {
      actions.add(new TxAction(n(100), key(), maybe() ? op() : null, maybe() ? trees.condition(3) : null, maybe()));
    }
    return new TxPrepareRequest(ref(), anyLong(), trees.string(12), anyLong(), actions);
  }

  TxPrepareResult txPrepareResult() {
    List<TxPrepareResult.Outcome> outcomes = new ArrayList<>();
    for (int i = 1 + n(4); i > 0; i--) {
      outcomes.add(new TxPrepareResult.Outcome(n(100), reason(), n(400_000), n(400_000)));
    }
    return new TxPrepareResult(maybe(), outcomes);
  }

  List<PrimaryKey> keys() {
    List<PrimaryKey> keys = new ArrayList<>();
    for (int i = n(5); i > 0; i--) {
      keys.add(key());
    }
    return keys;
  }

  TxFinishRequest txFinish() {
    return new TxFinishRequest(ref(), anyLong(), trees.string(12), anyLong(), maybe(), keys());
  }

  TxReadRequest txRead() {
    return new TxReadRequest(ref(), anyLong(), keys(), maybe());
  }

  TxReadResult txReadResult() {
    List<TxReadResult.Item> items = new ArrayList<>();
    for (int i = n(4); i > 0; i--) {
      items.add(new TxReadResult.Item(nullableBytes(), anyLong(), maybe()));
    }
    return new TxReadResult(anyLong(), items);
  }

  /** A random request of {@code method}. */
  Object request(RpcMethod<?, ?> method) {
    return switch (method.kind()) {
      case STORAGE_WRITE -> write();
      case STORAGE_READ -> read();
      case STORAGE_READ_RANGE -> rangeRead();
      case STORAGE_CREATE_REPLICA -> createReplica();
      case STORAGE_UPDATE_SCHEMA -> updateSchema();
      case STORAGE_APPLY_INDEX_MUTATIONS -> applyIndexMutations();
      case STORAGE_BACKFILL_INDEX -> backfill();
      case STORAGE_DROP_REPLICA -> new StorageNodeMessages.DropReplica(anyLong());
      case STORAGE_STATS -> stats();
      case STORAGE_TX_PREPARE -> txPrepare();
      case STORAGE_TX_FINISH -> txFinish();
      case STORAGE_TX_READ -> txRead();
      case RPC_RESPONSE, REPLICATION, METADATA_CREATE_TABLE, METADATA_DELETE_TABLE, METADATA_UPDATE_BILLING,
          METADATA_CREATE_GLOBAL_INDEX, METADATA_DELETE_GLOBAL_INDEX, METADATA_UPDATE_GLOBAL_INDEX_THROUGHPUT, METADATA_CATALOG ->
          throw new IllegalArgumentException("not a storage node kind");
    };
  }

  /** A random response of {@code method}. */
  Object response(RpcMethod<?, ?> method) {
    return switch (method.kind()) {
      case STORAGE_WRITE -> writeResult();
      case STORAGE_READ -> readResult();
      case STORAGE_READ_RANGE -> rangeReadResult();
      case STORAGE_BACKFILL_INDEX -> nullableBytes();
      case STORAGE_STATS -> statsResult();
      case STORAGE_TX_PREPARE -> txPrepareResult();
      case STORAGE_TX_READ -> txReadResult();
      case STORAGE_CREATE_REPLICA, STORAGE_UPDATE_SCHEMA, STORAGE_APPLY_INDEX_MUTATIONS, STORAGE_DROP_REPLICA,
          STORAGE_TX_FINISH -> null;
      case RPC_RESPONSE, REPLICATION, METADATA_CREATE_TABLE, METADATA_DELETE_TABLE, METADATA_UPDATE_BILLING,
          METADATA_CREATE_GLOBAL_INDEX, METADATA_DELETE_GLOBAL_INDEX, METADATA_UPDATE_GLOBAL_INDEX_THROUGHPUT, METADATA_CATALOG ->
          throw new IllegalArgumentException("not a storage node kind");
    };
  }

  /** A random failure of any type the protocol carries. */
  RuntimeException error() {
    return switch (n(6)) {
      case 0 -> new DynamoException(ErrorCode.values()[n(ErrorCode.values().length)], maybe() ? trees.string(30) : null);
      case 1 -> new ConditionalCheckFailedException(nullableItem());
      case 2 -> {
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 1 + n(4); i > 0; i--) {
          reasons.add(reason());
        }
        yield new TransactionCanceledException(reasons);
      }
      case 3 -> new RoutingException.WrongPartition(ref(), maybe() ? descriptor() : null);
      case 4 -> new RoutingException.NotLeader(anyLong(), maybe() ? 1 + n(9) : 0);
      default -> new RemoteFailureException("java.lang.IllegalStateException", trees.string(20));
    };
  }
}
