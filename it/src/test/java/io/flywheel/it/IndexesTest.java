package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Local and global secondary indexes through the AWS SDK v2 against a real server. */
class IndexesTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static DynamoDbClient ddb;
  static final String TABLE = "idx-orders"; // pk customer (S), sk order (N)
  static final Duration CATCH_UP = Duration.ofSeconds(30);

  static AttributeDefinition def(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  static List<KeySchemaElement> keys(String hash, String range) {
    List<KeySchemaElement> k = new ArrayList<>();
    k.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
    if (range != null) {
      k.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    }
    return k;
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  @BeforeAll
  static void setUp() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
    ddb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("customer", ScalarAttributeType.S), def("order", ScalarAttributeType.N),
            def("placed", ScalarAttributeType.S), def("status", ScalarAttributeType.S))
        .keySchema(keys("customer", "order"))
        .localSecondaryIndexes(
            LocalSecondaryIndex.builder().indexName("by-placed").keySchema(keys("customer", "placed"))
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build(),
            LocalSecondaryIndex.builder().indexName("by-placed-all").keySchema(keys("customer", "placed"))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("by-status").keySchema(keys("status", "placed"))
            .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("total").build()).build()));
    for (int i = 0; i < 20; i++) {
      String status = i % 3 == 0 ? "shipped" : "open";
      Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("customer", s("c" + (i % 2)), "order", n(i),
          "placed", s(String.format("2026-11-%02d", 30 - i)), "status", s(status), "total", n(i * 10), "note", s("n" + i)));
      if (i == 7) {
        item.remove("placed"); // sparse: in no index keyed by "placed"
      }
      ddb.putItem(b -> b.tableName(TABLE).item(item));
    }
  }

  @AfterAll
  static void tearDown() {
    ddb.deleteTable(b -> b.tableName(TABLE));
    ddb.close();
  }

  static List<Long> orders(QueryResponse r) {
    List<Long> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : r.items()) {
      out.add(Long.parseLong(item.get("order").n()));
    }
    return out;
  }

  @Test
  void describeTableShowsBothKindsOfIndexes() {
    TableDescription t = ddb.describeTable(b -> b.tableName(TABLE)).table();
    assertThat(t.localSecondaryIndexes()).extracting(i -> i.indexName()).containsExactly("by-placed", "by-placed-all");
    assertThat(t.localSecondaryIndexes().get(0).indexArn()).endsWith(":table/" + TABLE + "/index/by-placed");
    assertThat(t.localSecondaryIndexes().get(0).itemCount()).isEqualTo(19L); // item 7 has no "placed"
    GlobalSecondaryIndexDescription gsi = t.globalSecondaryIndexes().get(0);
    assertThat(gsi.indexName()).isEqualTo("by-status");
    assertThat(gsi.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
    assertThat(gsi.projection().nonKeyAttributes()).containsExactly("total");
    assertThat(gsi.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("status", "placed");
  }

  @Test
  void aLocalIndexOrdersByItsSortKeyAndIsSparse() {
    QueryResponse r = ddb.query(b -> b.tableName(TABLE).indexName("by-placed").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("c1"))));
    // placed descends as order ascends; order 7 has no placed
    assertThat(orders(r)).containsExactly(19L, 17L, 15L, 13L, 11L, 9L, 5L, 3L, 1L);
    assertThat(r.items().get(0)).containsOnlyKeys("customer", "order", "placed");
    QueryResponse all = ddb.query(b -> b.tableName(TABLE).indexName("by-placed").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("c1"))).select(Select.ALL_ATTRIBUTES).limit(2));
    assertThat(all.items().get(0)).containsEntry("note", s("n19")).containsEntry("total", n(190));
    assertThat(all.lastEvaluatedKey()).containsOnlyKeys("customer", "order", "placed");
    QueryResponse next = ddb.query(b -> b.tableName(TABLE).indexName("by-placed-all").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("c1"))).limit(2).exclusiveStartKey(all.lastEvaluatedKey()));
    assertThat(orders(next)).containsExactly(15L, 13L);
  }

  @Test
  void consumedCapacityOfAnIndexReadIsChargedToTheIndex() {
    QueryResponse r = ddb.query(b -> b.tableName(TABLE).indexName("by-placed-all").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("c1"))).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
    assertThat(r.consumedCapacity().capacityUnits()).isEqualTo(0.5);
    assertThat(r.consumedCapacity().table().capacityUnits()).isEqualTo(0.0);
    assertThat(r.consumedCapacity().localSecondaryIndexes()).containsOnlyKeys("by-placed-all");
    assertThat(r.consumedCapacity().localSecondaryIndexes().get("by-placed-all").capacityUnits()).isEqualTo(0.5);
    QueryResponse total = ddb.query(b -> b.tableName(TABLE).indexName("by-status").keyConditionExpression("#s = :s")
        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("open")))
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(total.consumedCapacity().capacityUnits()).isEqualTo(0.5);
    assertThat(total.consumedCapacity().hasGlobalSecondaryIndexes()).isFalse();
  }

  @Test
  void changingAnIndexKeyMovesTheEntry() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("customer", s("mover"), "order", n(1), "placed", s("2000-01-01"),
        "status", s("moving-a"))));
    ddb.updateItem(b -> b.tableName(TABLE).key(Map.of("customer", s("mover"), "order", n(1)))
        .updateExpression("SET placed = :p, #s = :s").expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":p", s("2030-01-01"), ":s", s("moving-b"))));
    QueryResponse lsi = ddb.query(b -> b.tableName(TABLE).indexName("by-placed").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("mover"))));
    assertThat(lsi.items()).singleElement().satisfies(i -> assertThat(i.get("placed")).isEqualTo(s("2030-01-01")));
    Eventually.await(() -> gsiStatusCount("moving-b"), c -> c == 1, CATCH_UP, "moved into the new GSI key");
    Eventually.await(() -> gsiStatusCount("moving-a"), c -> c == 0, CATCH_UP, "removed from the old GSI key");
    ddb.deleteItem(b -> b.tableName(TABLE).key(Map.of("customer", s("mover"), "order", n(1))));
    Eventually.await(() -> gsiStatusCount("moving-b"), c -> c == 0, CATCH_UP, "deleted from the GSI");
  }

  static int gsiStatusCount(String status) {
    return ddb.query(b -> b.tableName(TABLE).indexName("by-status").keyConditionExpression("#s = :s")
        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s(status)))).count();
  }

  @Test
  void aGlobalIndexCatchesUpWithTheTable() {
    QueryResponse shipped = Eventually.await(() -> ddb.query(b -> b.tableName(TABLE).indexName("by-status")
            .keyConditionExpression("#s = :s AND placed >= :from").expressionAttributeNames(Map.of("#s", "status"))
            .expressionAttributeValues(Map.of(":s", s("shipped"), ":from", s("2026-11-15")))),
        r -> r.count() == 6, CATCH_UP, "all shipped orders in the GSI");
    // shipped: orders 0,3,6,9,12,15,18; placed 30-i >= 15 keeps i <= 15
    assertThat(orders(shipped)).containsExactly(15L, 12L, 9L, 6L, 3L, 0L);
    assertThat(shipped.items().get(0)).containsOnlyKeys("customer", "order", "placed", "status", "total");
  }

  @Test
  void globalIndexReadsHaveTheirRules() {
    assertValidation(() -> ddb.query(b -> b.tableName(TABLE).indexName("by-status").consistentRead(true)
            .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
            .expressionAttributeValues(Map.of(":s", s("open")))),
        "Consistent reads are not supported on global secondary indexes");
    assertValidation(() -> ddb.query(b -> b.tableName(TABLE).indexName("by-status").select(Select.ALL_ATTRIBUTES)
            .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
            .expressionAttributeValues(Map.of(":s", s("open")))),
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index "
            + "by-status because its projection type is not ALL");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("customer", s("x"), "order", n(1), "status", n(5)))),
        "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: by-status");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("customer", s("x"), "order", n(1), "status", s("")))),
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
            + "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-status, IndexKey: status");
  }

  @Test
  void aGlobalIndexAddedLaterIsBackfilledWhileTheTableStaysWritable() {
    String table = "idx-backfill";
    ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S)).keySchema(keys("pk", null)));
    for (int i = 0; i < 300; i++) {
      int k = i;
      ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k" + k), "color", s(k % 2 == 0 ? "red" : "blue"))));
    }
    TableDescription updating = ddb.updateTable(b -> b.tableName(table)
        .attributeDefinitions(def("color", ScalarAttributeType.S))
        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("by-color").keySchema(keys("color", "pk"))
            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))))).tableDescription();
    assertThat(updating.globalSecondaryIndexes()).singleElement()
        .satisfies(i -> assertThat(i.indexStatus()).isIn(IndexStatus.CREATING, IndexStatus.ACTIVE));
    for (int i = 300; i < 400; i++) {
      int k = i;
      ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k" + k), "color", s(k % 2 == 0 ? "red" : "blue"))));
    }
    ddb.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("k0"))));
    Eventually.await(() -> ddb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().get(0).indexStatus(),
        status -> status == IndexStatus.ACTIVE, CATCH_UP, "index ACTIVE");
    Set<String> red = Eventually.await(() -> indexKeys(table, "red"), keys -> keys.size() == 199, CATCH_UP, "every red item indexed");
    assertThat(red).doesNotContain("k0").contains("k2", "k398");
    ddb.updateTable(b -> b.tableName(table).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-color"))));
    Eventually.await(() -> ddb.describeTable(b -> b.tableName(table)).table().hasGlobalSecondaryIndexes()
            && !ddb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().isEmpty(),
        present -> !present, CATCH_UP, "index deleted");
    assertValidation(() -> ddb.query(b -> b.tableName(table).indexName("by-color").keyConditionExpression("color = :c")
        .expressionAttributeValues(Map.of(":c", s("red")))), "The table does not have the specified index: by-color");
    ddb.deleteTable(b -> b.tableName(table));
  }

  static Set<String> indexKeys(String table, String color) {
    Set<String> keys = new HashSet<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r = ddb.query(b -> b.tableName(table).indexName("by-color").keyConditionExpression("color = :c")
          .expressionAttributeValues(Map.of(":c", s(color))).exclusiveStartKey(from));
      r.items().forEach(i -> keys.add(i.get("pk").s()));
      start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return keys;
  }

  @Test
  void capacityIsChargedPerIndexWriteAndReportedPerIndex() {
    Map<String, AttributeValue> key = Map.of("customer", s("cap"), "order", n(1));
    PutItemResponse put = ddb.putItem(b -> b.tableName(TABLE).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
        .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
        .item(Map.of("customer", s("cap"), "order", n(1), "placed", s("2026-01-01"), "status", s("cap-a"), "note", s("x"))));
    // the item, and one entry in each of the three indexes
    assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(4.0);
    assertThat(put.consumedCapacity().table().capacityUnits()).isEqualTo(1.0);
    assertThat(put.consumedCapacity().localSecondaryIndexes()).containsOnlyKeys("by-placed", "by-placed-all");
    assertThat(put.consumedCapacity().globalSecondaryIndexes().get("by-status").capacityUnits()).isEqualTo(1.0);
    assertThat(put.itemCollectionMetrics().itemCollectionKey()).isEqualTo(Map.of("customer", s("cap")));
    assertThat(put.itemCollectionMetrics().sizeEstimateRangeGB()).containsExactly(0.0, 1.0);

    // "note" is projected only into the ALL index: the other two are not written
    UpdateItemResponse note = ddb.updateItem(b -> b.tableName(TABLE).key(key).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
        .updateExpression("SET note = :n").expressionAttributeValues(Map.of(":n", s("y"))));
    assertThat(note.consumedCapacity().capacityUnits()).isEqualTo(2.0);
    assertThat(note.consumedCapacity().localSecondaryIndexes()).containsOnlyKeys("by-placed-all");
    assertThat(note.consumedCapacity().globalSecondaryIndexes()).isEmpty();

    // a changed index key deletes the old entry and puts the new one: two writes per index
    UpdateItemResponse moved = ddb.updateItem(b -> b.tableName(TABLE).key(key).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
        .updateExpression("SET placed = :p").expressionAttributeValues(Map.of(":p", s("2026-02-02"))));
    assertThat(moved.consumedCapacity().capacityUnits()).isEqualTo(7.0);
    assertThat(moved.consumedCapacity().table()).isNull();

    QueryResponse viaGsi = Eventually.await(() -> ddb.query(b -> b.tableName(TABLE).indexName("by-status")
            .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).keyConditionExpression("#s = :s")
            .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("cap-a")))),
        r -> r.count() == 1 && r.items().get(0).get("placed").equals(s("2026-02-02")), CATCH_UP, "the GSI caught up");
    assertThat(viaGsi.consumedCapacity().globalSecondaryIndexes().get("by-status").capacityUnits()).isEqualTo(0.5);
    assertThat(viaGsi.consumedCapacity().table().capacityUnits()).isEqualTo(0.0);

    DeleteItemResponse deleted = ddb.deleteItem(b -> b.tableName(TABLE).key(key).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
    assertThat(deleted.itemCollectionMetrics().sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
    assertThat(deleted.consumedCapacity()).isNull();

    BatchWriteItemResponse batch = ddb.batchWriteItem(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
        .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
        .requestItems(Map.of(TABLE, List.of(
            WriteRequest.builder().putRequest(p -> p.item(Map.of("customer", s("cap2"), "order", n(1), "placed", s("p"), "status", s("s")))).build(),
            WriteRequest.builder().putRequest(p -> p.item(Map.of("customer", s("cap2"), "order", n(2), "placed", s("q")))).build()))));
    assertThat(batch.consumedCapacity()).singleElement().satisfies(c -> {
      assertThat(c.capacityUnits()).isEqualTo(7.0); // 2 items, 4 local-index entries, 1 global-index entry
      assertThat(c.localSecondaryIndexes().get("by-placed").capacityUnits()).isEqualTo(2.0);
      assertThat(c.globalSecondaryIndexes().get("by-status").capacityUnits()).isEqualTo(1.0);
    });
    assertThat(batch.itemCollectionMetrics().get(TABLE)).hasSize(2)
        .allSatisfy(m -> assertThat(m.itemCollectionKey()).isEqualTo(Map.of("customer", s("cap2"))));
    for (long order : new long[] {1, 2}) {
      ddb.deleteItem(b -> b.tableName(TABLE).key(Map.of("customer", s("cap2"), "order", n(order))));
    }
  }

  @Test
  void transactionsMaintainIndexesAndCheckIndexKeyTypes() {
    ddb.transactWriteItems(b -> b.transactItems(
        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("customer", s("tx"), "order", n(1), "placed", s("2026-03-03"),
            "status", s("tx-status")))).build(),
        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("customer", s("tx"), "order", n(2), "placed", s("2026-03-04")))).build()));
    QueryResponse lsi = ddb.query(b -> b.tableName(TABLE).indexName("by-placed").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("tx"))));
    assertThat(orders(lsi)).containsExactly(1L, 2L);
    Eventually.await(() -> gsiStatusCount("tx-status"), c -> c == 1, CATCH_UP, "the transaction's item in the GSI");

    assertThatThrownBy(() -> ddb.transactWriteItems(b -> b.transactItems(
        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("customer", s("tx"), "order", n(3), "status", n(7)))).build())))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons()).singleElement()
            .satisfies(r -> {
              assertThat(r.code()).isEqualTo("ValidationError");
              assertThat(r.message()).contains("Type mismatch for Index Key status");
            }));

    ddb.transactWriteItems(b -> b.transactItems(
        TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("customer", s("tx"), "order", n(1)))).build(),
        TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("customer", s("tx"), "order", n(2)))).build()));
    assertThat(ddb.query(b -> b.tableName(TABLE).indexName("by-placed").keyConditionExpression("customer = :c")
        .expressionAttributeValues(Map.of(":c", s("tx")))).count()).isZero();
    Eventually.await(() -> gsiStatusCount("tx-status"), c -> c == 0, CATCH_UP, "deleted from the GSI");
  }

  @Test
  void invalidIndexDefinitionsAreRejected() {
    assertValidation(() -> ddb.createTable(b -> b.tableName("idx-bad").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(def("pk", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
            .keySchema(keys("pk", null))
            .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("lsi").keySchema(keys("pk", "x"))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build())),
        "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    assertValidation(() -> ddb.createTable(b -> b.tableName("idx-bad").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(def("pk", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
            .keySchema(keys("pk", null))
            .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gsi").keySchema(keys("x", null))
                .projection(p -> p.projectionType(ProjectionType.ALL))
                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L)).build())),
        "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: gsi when BillingMode is PAY_PER_REQUEST");
    assertValidation(() -> ddb.createTable(b -> b.tableName("idx-bad").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(def("pk", ScalarAttributeType.S), def("x", ScalarAttributeType.S), def("unused", ScalarAttributeType.S))
            .keySchema(keys("pk", null))
            .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gsi").keySchema(keys("x", null))
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY).nonKeyAttributes("y")).build())),
        "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified");
    assertThat(ddb.listTables().tableNames()).doesNotContain("idx-bad");
  }

  static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(DynamoDbException.class)
        .satisfies(e -> {
          DynamoDbException d = (DynamoDbException) e;
          assertThat(d.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
  }
}
