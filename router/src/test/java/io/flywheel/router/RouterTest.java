package io.flywheel.router;

import io.flywheel.protocol.StorageNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.model.expr.LegacyConditions;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The router against scripted metadata and storage nodes: routing, refresh and retry bounds. */
class RouterTest {
  static final KeySchema SCHEMA = new KeySchema(new KeyAttribute("pk", ScalarType.S), null);

  /** A metadata service holding fixed descriptors that tests can swap. */
  static final class Catalog implements MetadataService {
    final TreeMap<String, TableDescriptor> tables = new TreeMap<>();

    @Override
    public CompletableFuture<TableDescriptor> createTable(CreateTableSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TableDescriptor> deleteTable(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TableDescriptor> updateBilling(String name, BillingMode mode, long r, long w) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TableDescriptor> createGlobalIndex(String table, CreateTableSpec.IndexSpec index, List<AttributeDefinition> defs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TableDescriptor> deleteGlobalIndex(String table, String index) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<TableDescriptor> updateGlobalIndexThroughput(String table, String index, long r, long w) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TableDescriptor table(String name) {
      return tables.get(name);
    }

    @Override
    public List<String> tableNames() {
      return new ArrayList<>(tables.keySet());
    }
  }

  /** A storage node that answers reads with WrongPartition until the epoch it expects is used. */
  static class EpochNode implements StorageNodeService {
    volatile long currentEpoch;
    final AtomicInteger reads = new AtomicInteger();
    /** Runs when a request is refused: the moment the metadata service learns the new epoch. */
    volatile Runnable onStale = () -> {};

    @Override
    public long nodeId() {
      return 1;
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
      return CompletableFuture.completedFuture(new WriteResult(null, null, 0, 10));
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest request) {
      reads.incrementAndGet();
      if (request.partition().epoch() != currentEpoch) {
        onStale.run();
        return CompletableFuture.failedFuture(new RoutingException.WrongPartition(request.partition(), null));
      }
      return CompletableFuture.completedFuture(new ReadResult(null));
    }

    @Override
    public CompletableFuture<io.flywheel.protocol.RangeReadResult> readRange(io.flywheel.protocol.RangeReadRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, io.flywheel.protocol.PartitionSchema schema) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> updateSchema(PartitionRef partition, io.flywheel.protocol.PartitionSchema schema) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, io.flywheel.protocol.IndexMutations mutations) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> dropReplica(long groupId) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
      return CompletableFuture.completedFuture(PartitionStats.EMPTY);
    }
  }

  static TableDescriptor table(String name, long epoch) {
    return new TableDescriptor(1, "uuid", name, SCHEMA, List.of(new AttributeDefinition("pk", ScalarType.S)),
        BillingMode.PAY_PER_REQUEST, ProvisionedThroughput.ON_DEMAND, 0, 0, TableStatus.ACTIVE,
        List.of(new PartitionDescriptor(7, 1, 0, -1L, epoch, List.of(1L))), List.of());
  }

  static GetItemRequest get(String table) {
    return new GetItemRequest(table, Map.of("pk", AttributeValue.s("k")), true, ExpressionInput.NONE, ReturnConsumedCapacity.NONE);
  }

  @Test
  void aStalePartitionMapIsRefreshedAndTheRequestRetried() {
    Catalog catalog = new Catalog();
    EpochNode node = new EpochNode();
    catalog.tables.put("t", table("t", 1));
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, node)), RouterConfig.defaults());
    // The partition moved on (split or membership change); the router's map still says epoch 1.
    node.currentEpoch = 2;
    node.onStale = () -> catalog.tables.put("t", table("t", 2));
    assertThat(router.getItem(get("t")).join().item()).isNull();
    assertThat(node.reads.get()).isEqualTo(2);
  }

  @Test
  void retriesAreBoundedAndEndInADynamoDbError() {
    Catalog catalog = new Catalog();
    EpochNode node = new EpochNode();
    node.currentEpoch = 99; // never matches
    catalog.tables.put("t", table("t", 1));
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, node)), new RouterConfig(2));
    assertThatThrownBy(() -> router.getItem(get("t")).join())
        .cause().isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    assertThat(node.reads.get()).isEqualTo(3);
  }

  @Test
  void listTablesPagesAfterTheExclusiveStart() {
    Catalog catalog = new Catalog();
    for (String n : List.of("aaa", "bbb", "ccc", "ddd")) {
      catalog.tables.put(n, table(n, 1));
    }
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, new EpochNode())), RouterConfig.defaults());
    ListTablesResult first = router.listTables(3, null);
    assertThat(first.tableNames()).containsExactly("aaa", "bbb", "ccc");
    assertThat(first.lastEvaluatedTableName()).isEqualTo("ccc");
    ListTablesResult second = router.listTables(3, first.lastEvaluatedTableName());
    assertThat(second.tableNames()).containsExactly("ddd");
    assertThat(second.lastEvaluatedTableName()).isNull();
    assertThat(router.listTables(4, null).lastEvaluatedTableName()).isNull();
  }

  @Test
  void itemRequestsOnMissingTablesAndBadReturnValuesFailBeforeRouting() {
    Catalog catalog = new Catalog();
    EpochNode node = new EpochNode();
    catalog.tables.put("t", table("t", 1));
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, node)), RouterConfig.defaults());
    assertThatThrownBy(() -> router.getItem(get("missing")))
        .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.getMessage()).isEqualTo("Requested resource not found"));
    assertThatThrownBy(() -> router.putItem(new PutItemRequest("t", Map.of("pk", AttributeValue.s("k")), ExpressionInput.NONE,
            ReturnValues.ALL_NEW, ReturnConsumedCapacity.NONE, false)))
        .hasMessage("ReturnValues can only be ALL_OLD or NONE");
    assertThatThrownBy(() -> router.putItem(new PutItemRequest("t", Map.of("pk", AttributeValue.s("k")),
            ExpressionInput.builder().conditionalOperator("OR").build(), ReturnValues.NONE, ReturnConsumedCapacity.NONE, false)))
        .hasMessage("ConditionalOperator cannot be used without Filter or Expected");
    assertThatThrownBy(() -> router.putItem(new PutItemRequest("t", Map.of("pk", AttributeValue.s("k")),
            ExpressionInput.builder().conditionalOperator("OR")
                .expected(Map.of("a", new LegacyConditions.ExpectedAttribute(null, false, null, null))).build(),
            ReturnValues.NONE, ReturnConsumedCapacity.NONE, false)))
        .hasMessage("ConditionalOperator can only be used when Filter or Expected has two or more elements");
    assertThat(node.reads.get()).isZero();
  }

  /** pk (S) + sk (N), an LSI on (pk, placed) projecting keys, a GSI on status projecting amount. */
  static TableDescriptor indexedTable(String name) {
    KeySchema keys = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
    List<PartitionDescriptor> partitions = List.of(new PartitionDescriptor(7, 1, 0, -1L, 1, List.of(1L)));
    IndexDescriptor lsi = new IndexDescriptor("by-placed", 2, false,
        new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("placed", ScalarType.S)),
        ProjectionType.KEYS_ONLY, List.of(), IndexStatus.ACTIVE, false, ProvisionedThroughput.ON_DEMAND, List.of());
    IndexDescriptor gsi = new IndexDescriptor("by-status", 3, true, new KeySchema(new KeyAttribute("status", ScalarType.S), null),
        ProjectionType.INCLUDE, List.of("amount"), IndexStatus.ACTIVE, false, ProvisionedThroughput.ON_DEMAND,
        List.of(new PartitionDescriptor(8, 3, 0, -1L, 1, List.of(1L))));
    return new TableDescriptor(1, "uuid", name, keys, List.of(new AttributeDefinition("pk", ScalarType.S),
        new AttributeDefinition("sk", ScalarType.N), new AttributeDefinition("placed", ScalarType.S),
        new AttributeDefinition("status", ScalarType.S)), BillingMode.PAY_PER_REQUEST, ProvisionedThroughput.ON_DEMAND, 0, 0,
        TableStatus.ACTIVE, partitions, List.of(lsi, gsi));
  }

  static QueryRequest query(String index, ExpressionInput in, Select select) {
    return new QueryRequest("t", index, in, select, null, false, true, null, ReturnConsumedCapacity.NONE);
  }

  @Test
  void queryFiltersMayReadNeitherKeysNorUnprojectedAttributesAndGlobalIndexesServeOnlyWhatTheyProject() {
    Catalog catalog = new Catalog();
    EpochNode node = new EpochNode();
    catalog.tables.put("t", indexedTable("t"));
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, node)), RouterConfig.defaults());
    Map<String, AttributeValue> p = Map.of(":p", AttributeValue.s("p"), ":v", AttributeValue.n("1"));
    assertThatThrownBy(() -> router.query(query(null, ExpressionInput.builder().keyConditionExpression("pk = :p")
            .filterExpression("sk > :v OR pk = :p").values(p).build(), null)))
        .hasMessage("Filter Expression can only contain non-primary key attributes: Primary key attribute: pk");
    assertThatThrownBy(() -> router.query(query(null, ExpressionInput.builder()
            .keyConditions(Map.of("pk", new LegacyConditions.FilterCondition("EQ", List.of(AttributeValue.s("p")))))
            .filter(Map.of("sk", new LegacyConditions.FilterCondition("GT", List.of(AttributeValue.n("1"))))).build(), null)))
        .hasMessage("QueryFilter can only contain non-primary key attributes: Primary key attribute: sk");
    assertThatThrownBy(() -> router.query(query("by-placed", ExpressionInput.builder().keyConditionExpression("pk = :p")
            .filterExpression("note = :v AND size(extra) > :v").values(p).build(), null)))
        .hasMessage("One or more parameter values were invalid: Secondary index by-placed does not project one or more filter "
            + "attributes: [extra, note]");
    assertThatThrownBy(() -> router.query(query("by-status", ExpressionInput.builder().keyConditionExpression("#s = :p").names(Map.of("#s", "status"))
            .projectionExpression("amount, note").values(Map.of(":p", AttributeValue.s("p"))).build(), null)))
        .hasMessage("One or more parameter values were invalid: Global secondary index by-status does not project [note]");
    assertThatThrownBy(() -> router.scan(new ScanRequest("t", "by-status", ExpressionInput.builder().filterExpression("note = :v")
            .values(Map.of(":v", AttributeValue.n("1"))).build(), null, null, false, null, null, null, ReturnConsumedCapacity.NONE)))
        .hasMessage("One or more parameter values were invalid: Secondary index by-status does not project one or more filter "
            + "attributes: [note]");
    assertThat(node.reads.get()).isZero();
  }
  @Test
  void countWithAProjectionIsAOneValidationErrorInAQueryAndAPlainErrorInAScan() {
    Catalog catalog = new Catalog();
    EpochNode node = new EpochNode();
    catalog.tables.put("t", indexedTable("t"));
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, node)), RouterConfig.defaults());
    assertThatThrownBy(() -> router.query(query(null, ExpressionInput.builder().keyConditionExpression("pk = :p")
            .projectionExpression("sk").values(Map.of(":p", AttributeValue.s("p"))).build(), Select.COUNT)))
        .hasMessage("1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count");
    assertThatThrownBy(() -> router.scan(new ScanRequest("t", null, ExpressionInput.builder().projectionExpression("sk").build(),
            Select.COUNT, null, false, null, null, null, ReturnConsumedCapacity.NONE)))
        .hasMessage("Cannot specify the ProjectionExpression when choosing to get only the Count");
    assertThat(node.reads.get()).isZero();
  }

  /** A replica of a three-node group whose writes follow a script. */
  static final class ScriptedReplica extends EpochNode {
    final long id;
    final AtomicInteger writes = new AtomicInteger();
    volatile java.util.function.Supplier<CompletableFuture<WriteResult>> onWrite;

    ScriptedReplica(long id, java.util.function.Supplier<CompletableFuture<WriteResult>> onWrite) {
      this.id = id;
      this.onWrite = onWrite;
    }

    @Override
    public long nodeId() {
      return id;
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
      writes.incrementAndGet();
      return onWrite.get();
    }
  }

  static TableDescriptor replicatedTable() {
    return new TableDescriptor(1, "uuid", "t", SCHEMA, List.of(new AttributeDefinition("pk", ScalarType.S)),
        BillingMode.PAY_PER_REQUEST, ProvisionedThroughput.ON_DEMAND, 0, 0, TableStatus.ACTIVE,
        List.of(new PartitionDescriptor(7, 1, 0, -1L, 1, List.of(1L, 2L, 3L))), List.of());
  }

  static PutItemRequest aPut() {
    return new PutItemRequest("t", Map.of("pk", AttributeValue.s("k")), ExpressionInput.NONE, ReturnValues.NONE,
        ReturnConsumedCapacity.NONE, false);
  }

  static CompletableFuture<WriteResult> written() {
    return CompletableFuture.completedFuture(new WriteResult(null, null, 0, 10));
  }

  @Test
  void aNodeThatCannotBeSentToIsPassedOverAndTheLeaderItNamesIsRemembered() {
    Catalog catalog = new Catalog();
    catalog.tables.put("t", replicatedTable());
    ScriptedReplica n1 = new ScriptedReplica(1, () -> CompletableFuture.failedFuture(new RoutingException.Unreachable(1, false)));
    ScriptedReplica n2 = new ScriptedReplica(2, () -> CompletableFuture.failedFuture(new RoutingException.NotLeader(7, 3)));
    ScriptedReplica n3 = new ScriptedReplica(3, RouterTest::written);
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, n1, 2L, n2, 3L, n3)), RouterConfig.defaults());
    router.putItem(aPut()).join();
    assertThat(List.of(n1.writes.get(), n2.writes.get(), n3.writes.get())).containsExactly(1, 1, 1);
    router.putItem(aPut()).join();
    assertThat(List.of(n1.writes.get(), n2.writes.get(), n3.writes.get())).as("straight to the leader").containsExactly(1, 1, 2);
  }

  @Test
  void aWriteSentToANodeThatNeverAnsweredIsNotRetriedButTheNextGoesElsewhere() {
    Catalog catalog = new Catalog();
    catalog.tables.put("t", replicatedTable());
    ScriptedReplica n1 = new ScriptedReplica(1, () -> CompletableFuture.failedFuture(new RoutingException.Unreachable(1, true)));
    ScriptedReplica n2 = new ScriptedReplica(2, RouterTest::written);
    ScriptedReplica n3 = new ScriptedReplica(3, RouterTest::written);
    Router router = new Router(catalog, StorageNodes.of(Map.of(1L, n1, 2L, n2, 3L, n3)), RouterConfig.defaults());
    // The write may have taken effect on node 1: sending it again elsewhere could apply it twice.
    assertThatThrownBy(() -> router.putItem(aPut()).join())
        .cause().isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR));
    assertThat(n2.writes.get()).isZero();
    router.putItem(aPut()).join();
    assertThat(List.of(n1.writes.get(), n2.writes.get(), n3.writes.get())).containsExactly(1, 1, 0);
  }
}
