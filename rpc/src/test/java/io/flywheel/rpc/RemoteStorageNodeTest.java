package io.flywheel.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.DocumentPath;
import io.flywheel.protocol.RoutingException;
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
import io.flywheel.transport.LocalMessageBus;
import io.flywheel.transport.LocalMessageHub;
import io.flywheel.transport.MessageBusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every method of {@link StorageNodeService} through {@link RemoteStorageNode} and {@link
 * StorageNodeServer}: the node receives exactly the arguments the caller passed (each in its
 * place), and the caller gets exactly the node's result.
 */
class RemoteStorageNodeTest {
  final ManualScheduler scheduler = new ManualScheduler();
  final LocalMessageHub hub = new LocalMessageHub();
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  final List<LocalMessageBus> buses = new ArrayList<>();
  final Recording node = new Recording();
  final RemoteStorageNode remote;

  RemoteStorageNodeTest() {
    RpcEndpoint server = endpoint(2);
    StorageNodeServer.serve(server, node);
    remote = new RemoteStorageNode(2, endpoint(1));
  }

  RpcEndpoint endpoint(long id) {
    RpcEndpoint e = new RpcEndpoint(RpcConfig.defaults(), scheduler.syncClock, scheduler, RandomSource.seeded(id), executor);
    LocalMessageBus bus = hub.join(id, MessageBusConfig.defaults(), e, executor);
    buses.add(bus);
    e.attach(bus);
    return e;
  }

  @AfterEach
  void stop() {
    buses.forEach(LocalMessageBus::close);
    executor.shutdownNow();
  }

  /** Records the arguments of each call and answers with prepared results. */
  static final class Recording implements StorageNodeService {
    final List<Object> arguments = new java.util.concurrent.CopyOnWriteArrayList<>();
    final WriteResult writeResult = new WriteResult(Map.of("a", AttributeValue.s("old")), null, 10, 0,
        List.of(new WriteResult.IndexWrite(3, 7)), 99);
    final ReadResult readResult = new ReadResult(new byte[] {1, 2, 3});
    final RangeReadResult rangeResult = new RangeReadResult(List.of(new byte[] {4}, new byte[] {5, 6}), 3, 40, new byte[] {5, 6});
    final PartitionStats stats = new PartitionStats(12, 3456);
    final TxPrepareResult prepared = new TxPrepareResult(true, List.of(new TxPrepareResult.Outcome(0,
        io.flywheel.model.CancellationReason.NONE, 5, 6)));
    final TxReadResult txRead = new TxReadResult(8, List.of(new TxReadResult.Item(null, 4, true)));

    private <T> CompletableFuture<T> record(T result, Object... args) {
      arguments.add(List.of(args));
      return CompletableFuture.completedFuture(result);
    }

    @Override
    public long nodeId() {
      return 2;
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
      return record(writeResult, request);
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest request) {
      return record(readResult, request);
    }

    @Override
    public CompletableFuture<RangeReadResult> readRange(RangeReadRequest request) {
      return record(rangeResult, request);
    }

    @Override
    public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
      return record(null, descriptor, schema);
    }

    @Override
    public CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema) {
      return record(null, partition, schema);
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
      return record(null, partition, mutations);
    }

    @Override
    public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
      return record(new byte[] {9, 9}, partition, indexId, fromKey, maxItems);
    }

    @Override
    public CompletableFuture<Void> dropReplica(long groupId) {
      return record(null, groupId);
    }

    @Override
    public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
      return record(stats, partition, keySpaceId);
    }

    @Override
    public CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
      return record(prepared, request);
    }

    @Override
    public CompletableFuture<Void> txFinish(TxFinishRequest request) {
      return record(null, request);
    }

    @Override
    public CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
      return record(txRead, request);
    }
  }

  /** The arguments of the last call the node received. */
  List<?> lastArguments() {
    return (List<?>) node.arguments.getLast();
  }

  @Test
  void everyMethodArrivesWithItsArgumentsAndReturnsTheNodesResult() {
    PartitionRef ref = new PartitionRef(7, 3);
    PrimaryKey key = new PrimaryKey(AttributeValue.s("k"), AttributeValue.n(1));
    Condition condition = new Condition.AttributeExists(DocumentPath.attribute("pk"));
    PartitionSchema schema = new PartitionSchema("t", new KeySchema(new KeyAttribute("pk", ScalarType.S), null), List.of());
    PartitionDescriptor descriptor = new PartitionDescriptor(7, 9, 0, 100, 3, List.of(2L));

    WriteRequest write = new WriteRequest(ref, 9, key, new WriteRequest.WriteOp.Delete(), condition, true, false, true);
    assertThat(Await.value(remote.write(write))).usingRecursiveComparison().isEqualTo(node.writeResult);
    assertThat(lastArguments()).usingRecursiveComparison().isEqualTo(List.of(write));

    ReadRequest read = new ReadRequest(ref, 9, key, true);
    assertThat(Await.value(remote.read(read))).usingRecursiveComparison().isEqualTo(node.readResult);
    assertThat(lastArguments()).isEqualTo(List.of(read));

    RangeReadRequest range = new RangeReadRequest(ref, 9, new byte[] {1}, new byte[] {2}, true, 10, 1000, condition, false);
    assertThat(Await.value(remote.readRange(range))).usingRecursiveComparison().isEqualTo(node.rangeResult);
    assertThat(lastArguments()).usingRecursiveComparison().isEqualTo(List.of(range));

    Await.value(remote.createReplica(descriptor, schema));
    assertThat(lastArguments()).isEqualTo(List.of(descriptor, schema));

    Await.value(remote.updateSchema(ref, schema));
    assertThat(lastArguments()).isEqualTo(List.of(ref, schema));

    IndexMutations mutations = new IndexMutations(4, 5, List.of(new IndexMutations.Mutation(new byte[] {1}, null)));
    Await.value(remote.applyIndexMutations(ref, mutations));
    assertThat(lastArguments()).usingRecursiveComparison().isEqualTo(List.of(ref, mutations));

    assertThat(Await.value(remote.backfillIndex(ref, 11, new byte[] {3}, 250))).containsExactly(9, 9);
    assertThat(lastArguments()).usingRecursiveComparison().isEqualTo(List.of(ref, 11L, new byte[] {3}, 250));

    Await.value(remote.dropReplica(7));
    assertThat(lastArguments()).isEqualTo(List.of(7L));

    assertThat(Await.value(remote.stats(ref, 9))).isEqualTo(node.stats);
    assertThat(lastArguments()).isEqualTo(List.of(ref, 9L));

    TxPrepareRequest prepare = new TxPrepareRequest(ref, 9, "tx-1", 1234, List.of(new TxAction(0, key, null, condition, true)));
    assertThat(Await.value(remote.txPrepare(prepare))).isEqualTo(node.prepared);
    assertThat(lastArguments()).isEqualTo(List.of(prepare));

    TxFinishRequest finish = new TxFinishRequest(ref, 9, "tx-1", 1234, true, List.of(key));
    Await.value(remote.txFinish(finish));
    assertThat(lastArguments()).isEqualTo(List.of(finish));

    TxReadRequest txRead = new TxReadRequest(ref, 9, List.of(key), true);
    assertThat(Await.value(remote.txRead(txRead))).usingRecursiveComparison().isEqualTo(node.txRead);
    assertThat(lastArguments()).isEqualTo(List.of(txRead));

    assertThat(node.arguments).hasSize(12);
    assertThat(remote.nodeId()).isEqualTo(2L);
  }

  @Test
  void rpcFailuresBecomeTheErrorsTheRouterActsOn() {
    assertThat(RemoteStorageNode.translate(2, new RpcException.Overloaded("full", false)))
        .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.THROTTLING));
    assertThat(RemoteStorageNode.translate(2, new java.util.concurrent.CompletionException(new RpcException.Rejected("r"))))
        .isInstanceOfSatisfying(DynamoException.class, d -> assertThat(d.code()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR));
    // whether the request went out decides whether the router may send it elsewhere
    assertThat(RemoteStorageNode.translate(2, new java.util.concurrent.CompletionException(new RpcException.Timeout("t"))))
        .isInstanceOfSatisfying(RoutingException.Unreachable.class, u -> {
          assertThat(u.nodeId()).isEqualTo(2);
          assertThat(u.requestSent()).isTrue();
        });
    assertThat(RemoteStorageNode.translate(2, new RpcException.Unavailable("queue full", false)))
        .isInstanceOfSatisfying(RoutingException.Unreachable.class, u -> assertThat(u.requestSent()).isFalse());
    assertThat(RemoteStorageNode.translate(2, new RpcException.Unavailable("closed mid-call", true)))
        .isInstanceOfSatisfying(RoutingException.Unreachable.class, u -> assertThat(u.requestSent()).isTrue());
    DynamoException own = new DynamoException(ErrorCode.VALIDATION, "the service's own");
    assertThat(RemoteStorageNode.translate(2, own)).isSameAs(own);
  }
}
