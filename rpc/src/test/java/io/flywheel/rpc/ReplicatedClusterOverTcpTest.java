package io.flywheel.rpc;

import static io.flywheel.rpc.TcpNodes.daemon;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.wire.MessageKind;
import io.flywheel.replicahost.BusPeerNetwork;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.replication.Config;
import io.flywheel.router.CreateTableRequest;
import io.flywheel.router.ExpressionInput;
import io.flywheel.router.GetItemRequest;
import io.flywheel.router.PutItemRequest;
import io.flywheel.router.ReturnConsumedCapacity;
import io.flywheel.router.ReturnValues;
import io.flywheel.router.Router;
import io.flywheel.router.RouterConfig;
import io.flywheel.router.TransactionConfig;
import io.flywheel.router.TransactionCoordinator;
import io.flywheel.router.QueryRequest;
import io.flywheel.router.UpdateTableRequest;
import io.flywheel.storagenode.IndexLocator;
import io.flywheel.storagenode.StorageNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three storage nodes in three availability zones, each with its own replica host, item and log
 * engines, joined by TCP buses on loopback that carry both the replication messages of their
 * groups and the router's calls; a router node with the metadata service in front. Every partition
 * is a replication group of three: a write is acknowledged once two nodes' logs hold it, every
 * replica applies it, and the crash of the leader's node (its unsynced writes lost) costs no
 * acknowledged write — the router finds the new leader, and the restarted node catches up.
 */
class ReplicatedClusterOverTcpTest {
  static final long ROUTER_NODE = 10;
  static final long MS = 1_000_000L;
  /** Short timeouts so failover is quick: 300 ms election timeout, 250 ms lease, 30 ms heartbeats. */
  static final HostConfig HOST = new HostConfig(1, 16_384, 1_024, 16L << 20, 50_000, 5 * MS, 1_024, 2_000 * MS,
      new Config(300 * MS, 30 * MS, 250 * MS, 20 * MS, 64, 1 << 20, 8, 1024, 1024, HostConfig.PROPOSAL_BYTES_MAX, 256,
          100 * MS, 1_000 * MS));

  /** One partition per table, three replicas in three zones; the catalog's group on the same three nodes. */
  static final MetadataConfig METADATA = new MetadataConfig(1, 3,
      List.of(MetadataConfig.node(1, "az-a"), MetadataConfig.node(2, "az-b"), MetadataConfig.node(3, "az-c")), List.of(1L, 2L, 3L));

  final TcpNodes nodes = new TcpNodes();
  final Map<Long, StorageProcess> storage = new TreeMap<>();
  Router router;
  RemoteMetadata metadata;

  /** One storage node: engines that outlive its crashes, and what runs on them. */
  final class StorageProcess {
    final long id;
    final MemoryKvEngine kv = new MemoryKvEngine();
    final MemoryKvEngine log = new MemoryKvEngine();
    BusPeerNetwork peers;
    ReplicaHost host;
    StorageNode node;
    MetadataNode metadata;
    TcpNodes.Node side;
    int starts;

    StorageProcess(long id) {
      this.id = id;
    }

    void start() {
      starts++;
      peers = new BusPeerNetwork(MessageKind.REPLICATION.code());
      host = new ReplicaHost(kv, log, HOST, new HostEnvironment(id, nodes.clock, RandomSource.seeded(id * 100 + starts),
          daemon("replica-" + id), peers));
      peers.attach(host);
      node = new StorageNode(kv, host);
      node.start();
      side = nodes.start(id, RpcConfig.defaults(), peers);
      StorageNodeServer.serve(side.endpoint(), node);
      // Each storage node holds a replica of the catalog too; it reaches the other nodes over the wire.
      Map<Long, StorageNodeService> others = new HashMap<>();
      for (long other = 1; other <= 3; other++) {
        others.put(other, other == id ? node : new RemoteStorageNode(other, side.endpoint()));
      }
      metadata = new MetadataNode(StorageNodes.of(others), nodes.clock, RandomSource.seeded(id * 13 + starts), METADATA);
      metadata.start(host, nodes.scheduler);
      MetadataServer.serve(side.endpoint(), metadata);
      node.startIndexPropagation(IndexLocator.leadersOf(metadata, StorageNodes.of(others)), nodes.clock, daemon("index-" + id));
    }

    /** Power cut: the network goes first, then everything not yet synced is lost. */
    void crash() {
      metadata.stop();
      node.stop();
      side.close();
      host.close();
      kv.crash(RandomSource.seeded(id * 7 + starts));
      log.crash(RandomSource.seeded(id * 11 + starts));
    }

    boolean leads(long groupId) {
      GroupHandle<?> g = host.group(groupId);
      return g != null && g.servesConsistentReads();
    }

    long items(PartitionDescriptor p, long tableId) {
      return node.stats(p.ref(), tableId).handle((s, e) -> e == null ? s.itemCount() : -1L).join();
    }
  }

  @BeforeEach
  void boot() {
    Map<Long, StorageNodeService> remote = new HashMap<>();
    TcpNodes.Node routerSide = nodes.start(ROUTER_NODE, RpcConfig.defaults().withCallTimeoutNanos(TimeUnit.SECONDS.toNanos(1)));
    for (long id = 1; id <= 3; id++) {
      StorageProcess p = new StorageProcess(id);
      p.start();
      storage.put(id, p);
      remote.put(id, new RemoteStorageNode(id, routerSide.endpoint()));
    }
    StorageNodes storageNodes = StorageNodes.of(remote);
    // The router knows the catalog only through the metadata nodes, over the wire, refreshed every 100 ms.
    metadata = new RemoteMetadata(routerSide.endpoint(), List.of(1L, 2L, 3L), nodes.scheduler, 100 * MS);
    Await.value(metadata.start());
    TransactionCoordinator coordinator = new TransactionCoordinator(metadata, storageNodes, RouterConfig.defaults(),
        nodes.clock, RandomSource.seeded(11), nodes.scheduler, TransactionConfig.defaults());
    router = new Router(metadata, storageNodes, RouterConfig.defaults(), coordinator);
    createTable("kv");
    // The ledger's partitions are replicated too; the coordinator creates them and recovers.
    Await.value(retrying(coordinator::start));
  }

  void createTable(String name) {
    Await.value(retrying(() -> router.createTable(new CreateTableRequest(name,
        List.of(new CreateTableRequest.AttributeDefinitionInput("pk", "S")),
        List.of(new CreateTableRequest.KeySchemaElement("pk", "HASH")),
        "PAY_PER_REQUEST", null, null, false, null, null))));
  }

  @AfterEach
  void stop() {
    metadata.stop();
    for (StorageProcess p : storage.values()) {
      p.metadata.stop();
      p.node.stop();
    }
    nodes.close();
    for (StorageProcess p : storage.values()) {
      p.host.close();
    }
  }

  /**
   * Repeats {@code call} while it fails with the retryable InternalServerError the router answers
   * while a group elects a leader or a node does not answer, as an SDK would; bounded.
   */
  static <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<T>> call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.BOUND_SECONDS);
    while (true) {
      try {
        return CompletableFuture.completedFuture(call.get().get(Await.BOUND_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException | CompletionException e) {
        boolean retryable = e.getCause() instanceof DynamoException d && d.code() == ErrorCode.INTERNAL_SERVER_ERROR;
        if (!retryable || System.nanoTime() > deadline) {
          return CompletableFuture.failedFuture(e.getCause());
        }
        LockSupport.parkNanos(2 * MS); // an SDK backs off too; the answer, not the pause, decides
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError(e);
      }
    }
  }

  void put(String pk, String value) {
    put("kv", pk, value);
  }

  void put(String table, String pk, String value) {
    Await.value(retrying(() -> router.putItem(new PutItemRequest(table,
        Map.of("pk", AttributeValue.s(pk), "v", AttributeValue.s(value)), ExpressionInput.NONE, ReturnValues.NONE,
        ReturnConsumedCapacity.NONE, false))));
  }

  String get(String pk) {
    return get("kv", pk);
  }

  String get(String table, String pk) {
    byte[] image = Await.value(retrying(() -> router.getItem(new GetItemRequest(table, Map.of("pk", AttributeValue.s(pk)), true,
        ExpressionInput.NONE, ReturnConsumedCapacity.NONE)))).image();
    return image == null ? null : ((AttributeValue.S) ItemCodec.decode(image).get("v")).value();
  }

  TableDescriptor table() {
    return metadata.table("kv");
  }

  long leaderOf(PartitionDescriptor p) {
    long[] leader = {0};
    Await.until("one leader of group " + p.groupId(), () -> {
      long found = 0;
      for (StorageProcess s : storage.values()) {
        if (s.leads(p.groupId())) {
          if (found != 0) {
            return false;
          }
          found = s.id;
        }
      }
      leader[0] = found;
      return found != 0;
    });
    return leader[0];
  }

  @Test
  void partitionsAreReplicatedOnThreeNodesInThreeZonesAndEveryReplicaAppliesEveryWrite() {
    PartitionDescriptor p = table().partitions().get(0);
    assertThat(p.replicaNodes()).containsExactlyInAnyOrder(1L, 2L, 3L);
    for (int i = 0; i < 50; i++) {
      put("k" + i, "v" + i);
    }
    for (StorageProcess s : storage.values()) {
      Await.until("node " + s.id + " applied every write", () -> s.items(p, table().tableId()) == 50);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(get("k" + i)).isEqualTo("v" + i);
    }
    long replicationMessages = storage.values().stream().mapToLong(s -> s.peers.received()).sum();
    assertThat(replicationMessages).as("replication went over the buses").isGreaterThan(50);
    assertThat(storage.values().stream().mapToLong(s -> s.peers.malformed()).sum()).isZero();
  }

  @Test
  void theLeadersNodeCrashesAndNoAcknowledgedWriteIsLostWhileAnotherLeads() {
    PartitionDescriptor p = table().partitions().get(0);
    for (int i = 0; i < 50; i++) {
      put("k" + i, "before-" + i);
    }
    long oldLeader = leaderOf(p);
    storage.get(oldLeader).crash();
    // Writes go on with two of three: the router passes over the dead node and finds the new leader.
    for (int i = 0; i < 50; i++) {
      put("k" + i, "after-" + i);
      put("n" + i, "new-" + i);
    }
    long newLeader = leaderOf(p);
    assertThat(newLeader).isNotEqualTo(oldLeader);
    for (int i = 0; i < 50; i++) {
      assertThat(get("k" + i)).isEqualTo("after-" + i);
      assertThat(get("n" + i)).isEqualTo("new-" + i);
    }
    // The crashed node comes back on its engines' durable state and catches up from the leader.
    StorageProcess back = storage.get(oldLeader);
    back.start();
    Await.until("the restarted node caught up", () -> back.items(p, table().tableId()) == 100);
    assertThat(leaderOf(p)).as("one leader throughout").isIn(1L, 2L, 3L);
  }

  @Test
  void theCatalogIsAGroupOfThreeAndOutlivesItsLeadersNode() {
    long catalogLeader = 0;
    for (StorageProcess s : storage.values()) {
      if (s.metadata.leads()) {
        catalogLeader = s.id;
      }
    }
    assertThat(catalogLeader).as("one metadata node leads the catalog").isPositive();
    for (StorageProcess s : storage.values()) {
      Await.until("node " + s.id + " applied the catalog", () -> s.metadata.table("kv") != null);
    }
    storage.get(catalogLeader).crash();
    // Another catalog replica takes over: tables are still created, placed on three nodes, and served.
    createTable("after");
    assertThat(metadata.table("after").partitions().get(0).replicaNodes()).hasSize(3);
    put("after", "x", "1");
    assertThat(get("after", "x")).isEqualTo("1");
    long newLeader = catalogLeader;
    for (StorageProcess s : storage.values()) {
      if (s.id != catalogLeader && s.metadata.leads()) {
        newLeader = s.id;
      }
    }
    assertThat(newLeader).isNotEqualTo(catalogLeader);
    assertThat(metadata.refreshes()).as("the router's copy is refreshed at a fixed rate").isPositive();
  }

  @Test
  void aGlobalIndexOfAReplicatedTableReceivesEveryWriteThroughItsPartitionsLeaders() {
    Await.value(retrying(() -> router.createTable(new CreateTableRequest("orders",
        List.of(new CreateTableRequest.AttributeDefinitionInput("pk", "S"), new CreateTableRequest.AttributeDefinitionInput("status", "S")),
        List.of(new CreateTableRequest.KeySchemaElement("pk", "HASH")),
        "PAY_PER_REQUEST", null, null, false, null,
        List.of(new CreateTableRequest.IndexInput("by-status", List.of(new CreateTableRequest.KeySchemaElement("status", "HASH")),
            "ALL", null, null, null))))));
    for (int i = 0; i < 30; i++) {
      int n = i;
      Await.value(retrying(() -> router.putItem(new PutItemRequest("orders",
          Map.of("pk", AttributeValue.s("o" + n), "status", AttributeValue.s(n % 3 == 0 ? "open" : "done")), ExpressionInput.NONE,
          ReturnValues.NONE, ReturnConsumedCapacity.NONE, false))));
    }
    // Index partitions are groups of three too; deliveries find their leaders, every replica applies.
    Await.until("the index has every open order", () -> openOrders() == 10);
    // The index partition's leader dies: deliveries pass over its node and find the new leader.
    PartitionDescriptor index = metadata.table("orders").indexes().get(0).partitions().get(0);
    storage.get(leaderOf(index)).crash();
    for (int i = 30; i < 60; i++) {
      int n = i;
      Await.value(retrying(() -> router.putItem(new PutItemRequest("orders",
          Map.of("pk", AttributeValue.s("o" + n), "status", AttributeValue.s(n % 3 == 0 ? "open" : "done")), ExpressionInput.NONE,
          ReturnValues.NONE, ReturnConsumedCapacity.NONE, false))));
    }
    Await.until("the index has the open orders written after the crash", () -> openOrders() == 20);
  }

  long openOrders() {
    return Await.value(retrying(() -> router.query(new QueryRequest("orders", "by-status", ExpressionInput.builder()
        .keyConditionExpression("#s = :s").names(Map.of("#s", "status")).values(Map.of(":s", AttributeValue.s("open"))).build(),
        null, null, false, true, null, ReturnConsumedCapacity.NONE)))).count();
  }

  @Test
  void aGlobalIndexAddedToAReplicatedTableIsBackfilledThroughTheLeaderAndThenMaintained() {
    for (int i = 0; i < 20; i++) {
      int n = i;
      Await.value(retrying(() -> router.putItem(new PutItemRequest("kv",
          Map.of("pk", AttributeValue.s("k" + n), "v", AttributeValue.s(n % 2 == 0 ? "even" : "odd")), ExpressionInput.NONE,
          ReturnValues.NONE, ReturnConsumedCapacity.NONE, false))));
    }
    Await.value(retrying(() -> router.updateTable(new UpdateTableRequest("kv", null, null, null, false,
        List.of(new CreateTableRequest.AttributeDefinitionInput("pk", "S"), new CreateTableRequest.AttributeDefinitionInput("v", "S")),
        List.of(new UpdateTableRequest.GlobalIndexUpdate(new CreateTableRequest.IndexInput("by-v",
            List.of(new CreateTableRequest.KeySchemaElement("v", "HASH")), "KEYS_ONLY", null, null, null), null, null))))));
    Await.until("the new index is active", () -> {
      var t = metadata.table("kv");
      return t.index("by-v") != null && t.index("by-v").status() == io.flywheel.protocol.IndexStatus.ACTIVE;
    });
    Await.value(retrying(() -> router.putItem(new PutItemRequest("kv",
        Map.of("pk", AttributeValue.s("late"), "v", AttributeValue.s("even")), ExpressionInput.NONE,
        ReturnValues.NONE, ReturnConsumedCapacity.NONE, false))));
    Await.until("the index has the backfilled and the later items", () -> countByV("even") == 11);
    for (StorageProcess s : storage.values()) {
      PartitionDescriptor p = table().partitions().get(0);
      Await.until("node " + s.id + " maintains the index", () -> s.node.stats(p.ref(), table().tableId()).join().itemCount() == 21);
    }
  }

  long countByV(String v) {
    return Await.value(retrying(() -> router.query(new QueryRequest("kv", "by-v", ExpressionInput.builder()
        .keyConditionExpression("v = :v").values(Map.of(":v", AttributeValue.s(v))).build(),
        null, null, false, true, null, ReturnConsumedCapacity.NONE)))).count();
  }
}
