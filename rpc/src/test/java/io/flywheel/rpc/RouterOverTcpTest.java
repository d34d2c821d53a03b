package io.flywheel.rpc;

import io.flywheel.protocol.StorageNodes;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.replicahost.PeerNetwork;
import io.flywheel.base.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.router.CreateTableRequest;
import io.flywheel.router.DeleteItemRequest;
import io.flywheel.router.ExpressionInput;
import io.flywheel.router.GetItemRequest;
import io.flywheel.router.ItemPage;
import io.flywheel.router.PutItemRequest;
import io.flywheel.router.QueryRequest;
import io.flywheel.router.ReturnConsumedCapacity;
import io.flywheel.router.ReturnValues;
import io.flywheel.router.Router;
import io.flywheel.router.RouterConfig;
import io.flywheel.router.ScanRequest;
import io.flywheel.router.TableDescription;
import io.flywheel.router.TransactGetItemsRequest;
import io.flywheel.router.TransactGetItemsResult;
import io.flywheel.router.TransactWriteAction;
import io.flywheel.router.TransactWriteItemsRequest;
import io.flywheel.router.TransactionConfig;
import io.flywheel.router.TransactionCoordinator;
import io.flywheel.router.UpdateItemRequest;
import io.flywheel.router.WriteItemResult;
import io.flywheel.storagenode.StorageNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router, the metadata service and the transaction coordinator in front of a storage node they
 * reach only through {@link RemoteStorageNode} over a TCP connection on loopback: every request to
 * the node is encoded, sent, served by {@link StorageNodeServer} and answered over the wire. Item
 * operations, conditions with their returned items, queries with filters, scans, table statistics
 * and transactions behave as they do in process.
 */
class RouterOverTcpTest {
  static final long ROUTER_NODE = 1;
  static final long STORAGE_NODE = 2;

  final TcpNodes nodes = new TcpNodes();
  final MemoryKvEngine kv = new MemoryKvEngine();
  final MemoryKvEngine log = new MemoryKvEngine();
  ReplicaHost host;
  StorageNode storage;
  TcpNodes.Node storageSide;
  TcpNodes.Node routerSide;
  Router router;

  @BeforeEach
  void boot() {
    host = new ReplicaHost(kv, log, HostConfig.defaults(1),
        new HostEnvironment(STORAGE_NODE, new ManualClock(0), RandomSource.seeded(1), Thread::new, PeerNetwork.NONE));
    storage = new StorageNode(kv, host);
    storage.start();
    storageSide = nodes.start(STORAGE_NODE, RpcConfig.defaults());
    StorageNodeServer.serve(storageSide.endpoint(), storage);

    routerSide = nodes.start(ROUTER_NODE, RpcConfig.defaults());
    StorageNodes remote = StorageNodes.of(Map.of(STORAGE_NODE, new RemoteStorageNode(STORAGE_NODE, routerSide.endpoint())));
    // The metadata group needs a replica host; it shares the storage node's, but reaches the node's
    // partitions (createReplica, stats) only over the wire like everyone else.
    MetadataNode metadata = new MetadataNode(remote, nodes.clock, RandomSource.seeded(7), new MetadataConfig(2, 1, List.of(MetadataConfig.node(STORAGE_NODE, "az-1")), List.of(STORAGE_NODE)));
    metadata.start(host);
    TransactionCoordinator coordinator = new TransactionCoordinator(metadata, remote, RouterConfig.defaults(), nodes.clock,
        RandomSource.seeded(11), nodes.scheduler, TransactionConfig.defaults());
    Await.value(coordinator.start());
    router = new Router(metadata, remote, RouterConfig.defaults(), coordinator);
    Await.value(router.createTable(new CreateTableRequest("orders",
        List.of(new CreateTableRequest.AttributeDefinitionInput("pk", "S"), new CreateTableRequest.AttributeDefinitionInput("sk", "N")),
        List.of(new CreateTableRequest.KeySchemaElement("pk", "HASH"), new CreateTableRequest.KeySchemaElement("sk", "RANGE")),
        "PAY_PER_REQUEST", null, null, false, null, null)));
  }

  @AfterEach
  void stop() {
    nodes.close();
    host.close();
  }

  static <T> T join(Supplier<CompletableFuture<T>> call) {
    return Await.value(call.get());
  }

  static Map<String, AttributeValue> order(String pk, long sk, long amount, String status) {
    return Map.of("pk", AttributeValue.s(pk), "sk", AttributeValue.n(sk), "amount", AttributeValue.n(amount), "status",
        AttributeValue.s(status));
  }

  static Map<String, AttributeValue> key(String pk, long sk) {
    return Map.of("pk", AttributeValue.s(pk), "sk", AttributeValue.n(sk));
  }

  WriteItemResult put(Map<String, AttributeValue> item) {
    return join(() -> router.putItem(new PutItemRequest("orders", item, ExpressionInput.NONE, ReturnValues.NONE,
        ReturnConsumedCapacity.NONE, false)));
  }

  Map<String, AttributeValue> get(String pk, long sk) {
    byte[] image = join(() -> router.getItem(new GetItemRequest("orders", key(pk, sk), true, ExpressionInput.NONE,
        ReturnConsumedCapacity.NONE))).image();
    return image == null ? null : ItemCodec.decode(image);
  }

  @Test
  void itemsGoInAndComeOutThroughTheWire() {
    put(order("alice", 1, 30, "open"));
    assertThat(get("alice", 1)).isEqualTo(order("alice", 1, 30, "open"));
    assertThat(get("alice", 2)).isNull();
    long served = storageSide.endpoint().stats().requestsServed();
    assertThat(served).as("the router reached the node only over the wire").isGreaterThanOrEqualTo(3);
    assertThat(routerSide.endpoint().stats().callsAnswered()).isEqualTo(routerSide.endpoint().stats().callsStarted());
  }

  @Test
  void anUpdateWithAConditionRunsOnTheNodeAndCreatesAMissingItemFromItsKey() {
    WriteItemResult created = join(() -> router.updateItem(new UpdateItemRequest("orders", key("bob", 7),
        ExpressionInput.builder().updateExpression("SET amount = if_not_exists(amount, :zero) + :d, #s = :s")
            .conditionExpression("attribute_not_exists(pk)").names(Map.of("#s", "status"))
            .values(Map.of(":zero", AttributeValue.n(0), ":d", AttributeValue.n(5), ":s", AttributeValue.s("new"))).build(),
        ReturnValues.ALL_NEW, ReturnConsumedCapacity.NONE, false)));
    assertThat(created.attributes()).isEqualTo(order("bob", 7, 5, "new"));
    WriteItemResult updated = join(() -> router.updateItem(new UpdateItemRequest("orders", key("bob", 7),
        ExpressionInput.builder().updateExpression("ADD amount :d").conditionExpression("amount < :max")
            .values(Map.of(":d", AttributeValue.n(10), ":max", AttributeValue.n(100))).build(),
        ReturnValues.UPDATED_NEW, ReturnConsumedCapacity.NONE, false)));
    assertThat(updated.attributes()).isEqualTo(Map.of("amount", AttributeValue.n(15)));
  }

  @Test
  void aFailedConditionBringsBackTheItemWhenAskedFor() {
    put(order("carol", 1, 50, "open"));
    Throwable failure = Await.failure(router.deleteItem(new DeleteItemRequest("orders", key("carol", 1),
        ExpressionInput.builder().conditionExpression("#s = :closed").names(Map.of("#s", "status"))
            .values(Map.of(":closed", AttributeValue.s("closed"))).build(),
        ReturnValues.NONE, ReturnConsumedCapacity.NONE, true)));
    assertThat(failure).isInstanceOfSatisfying(ConditionalCheckFailedException.class,
        e -> assertThat(e.item()).isEqualTo(order("carol", 1, 50, "open")));
    assertThat(get("carol", 1)).isNotNull();
  }

  @Test
  void queriesFilterOnTheNodeAndScansCrossEveryPartition() {
    for (int i = 1; i <= 20; i++) {
      put(order("dave", i, i * 10L, i % 2 == 0 ? "open" : "closed"));
      put(order("erin-" + i, 1, i, "open"));
    }
    ItemPage page = join(() -> router.query(new QueryRequest("orders", null,
        ExpressionInput.builder().keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
            .filterExpression("#s = :open").projectionExpression("sk, amount").names(Map.of("#s", "status"))
            .values(Map.of(":p", AttributeValue.s("dave"), ":lo", AttributeValue.n(5), ":hi", AttributeValue.n(12),
                ":open", AttributeValue.s("open"))).build(),
        null, null, true, false, null, ReturnConsumedCapacity.NONE)));
    assertThat(page.scannedCount()).isEqualTo(8);
    assertThat(page.items()).containsExactly(
        Map.of("sk", AttributeValue.n(12), "amount", AttributeValue.n(120)),
        Map.of("sk", AttributeValue.n(10), "amount", AttributeValue.n(100)),
        Map.of("sk", AttributeValue.n(8), "amount", AttributeValue.n(80)),
        Map.of("sk", AttributeValue.n(6), "amount", AttributeValue.n(60)));
    ItemPage scan = join(() -> router.scan(new ScanRequest("orders", null,
        ExpressionInput.builder().filterExpression("amount < :v").values(Map.of(":v", AttributeValue.n(5))).build(),
        null, null, true, null, null, null, ReturnConsumedCapacity.NONE)));
    assertThat(scan.scannedCount()).isEqualTo(40);
    assertThat(scan.count()).isEqualTo(4); // erin-1..erin-4
    TableDescription described = join(() -> router.describeTable("orders"));
    assertThat(described.stats().itemCount()).isEqualTo(40);
  }

  @Test
  void transactionsCommitAndCancelWithReasonsAcrossTheWire() {
    put(order("frank", 1, 100, "open"));
    put(order("grace", 1, 0, "open"));
    join(() -> router.transactWriteItems(new TransactWriteItemsRequest(List.of(
        move("frank", -40), move("grace", 40)), "token-1", ReturnConsumedCapacity.NONE, false)));
    TransactGetItemsResult read = join(() -> router.transactGetItems(new TransactGetItemsRequest(List.of(
        new TransactGetItemsRequest.Get("orders", key("frank", 1), ExpressionInput.NONE),
        new TransactGetItemsRequest.Get("orders", key("grace", 1), ExpressionInput.NONE)), ReturnConsumedCapacity.NONE)));
    assertThat(ItemCodec.decode(read.responses().get(0).image()).get("amount")).isEqualTo(AttributeValue.n(60));
    assertThat(ItemCodec.decode(read.responses().get(1).image()).get("amount")).isEqualTo(AttributeValue.n(40));

    Throwable cancelled = Await.failure(router.transactWriteItems(new TransactWriteItemsRequest(List.of(
        move("frank", -100), move("grace", 100)), "token-2", ReturnConsumedCapacity.NONE, false)));
    assertThat(cancelled).isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
      assertThat(e.reasons().get(0).code()).isEqualTo(CancellationReason.Code.CONDITIONAL_CHECK_FAILED);
      assertThat(e.reasons().get(0).item()).isEqualTo(order("frank", 1, 60, "open"));
      assertThat(e.reasons().get(1)).isEqualTo(CancellationReason.NONE);
    });
    assertThat(get("frank", 1).get("amount")).isEqualTo(AttributeValue.n(60));
  }

  /** Adds {@code delta} to an order's amount, on condition that it stays non-negative. */
  static TransactWriteAction move(String pk, long delta) {
    return new TransactWriteAction(TransactWriteAction.Kind.UPDATE, "orders", null, key(pk, 1),
        ExpressionInput.builder().updateExpression("SET amount = amount + :d").conditionExpression("amount >= :min")
            .values(Map.of(":d", AttributeValue.n(delta), ":min", AttributeValue.n(Math.max(0, -delta)))).build(),
        true);
  }
}
