package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Local and global secondary indexes: queries with every projection type, sparse indexes, index
 * keys in LastEvaluatedKey, reads of attributes outside the projection, and writes that violate an
 * index key's type. Global indexes are read after polling until they hold every item written
 * (they are updated asynchronously in both servers).
 */
class IndexScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  /** Orders by customer (partition) and order number, indexed by date (LSIs) and status (GSIs). */
  static TableSpec orders() {
    return TableSpec.hash("customer", ScalarAttributeType.S).range("order", ScalarAttributeType.N)
        .lsi("by-date-keys", "placed", ScalarAttributeType.S, ProjectionType.KEYS_ONLY)
        .lsi("by-date-all", "placed", ScalarAttributeType.S, ProjectionType.ALL)
        .lsi("by-total-include", "total", ScalarAttributeType.N, ProjectionType.INCLUDE, "note")
        .gsi("by-status", "status", ScalarAttributeType.S, "placed", ScalarAttributeType.S, ProjectionType.INCLUDE, "total")
        .gsi("by-status-keys", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
        .gsi("by-total-all", "total", ScalarAttributeType.N, null, null, ProjectionType.ALL);
  }

  /** Writes 12 orders; order 7 has no "placed" and order 8 no "status" (sparse in those indexes). */
  static String fillOrders(Session s) {
    String t = s.createTable("orders", orders());
    for (int i = 0; i < 12; i++) {
      Map<String, AttributeValue> order = new java.util.LinkedHashMap<>(item("customer", s("c" + (i % 2)), "order", n(i),
          "placed", s(String.format("2026-11-%02d", 30 - i)), "status", s(i % 3 == 0 ? "shipped" : "open"),
          "total", n(i * 10 % 70), "note", s("n" + i)));
      if (i == 7) {
        order.remove("placed");
      }
      if (i == 8) {
        order.remove("status");
      }
      put(s, t, order);
    }
    s.awaitIndexed("orders", "by-status", 10);
    s.awaitIndexed("orders", "by-status-keys", 11);
    s.awaitIndexed("orders", "by-total-all", 12);
    return t;
  }

  /** Indexes without a sort key: the order of items sharing an index key is not defined by the API. */
  static final java.util.Set<String> HASH_ONLY = java.util.Set.of("by-status-keys", "by-total-all");

  static void query(Session s, String label, String table, String index, String condition, Map<String, AttributeValue> values,
      java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder> more) {
    s.call(label, () -> s.ddb().query(b -> {
      b.tableName(table).indexName(index).keyConditionExpression(condition).expressionAttributeValues(values);
      more.accept(b);
    }), r -> HASH_ONLY.contains(index) ? unorderedItems(r) : r);
  }

  static Map<String, Object> unorderedItems(software.amazon.awssdk.services.dynamodb.model.QueryResponse r) {
    Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("Items", Canonical.unordered(r.items()));
    view.put("Count", r.count());
    view.put("ScannedCount", r.scannedCount());
    view.put("LastEvaluatedKey", r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
    return view;
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    all.add(Scenario.of("local indexes: every projection, both directions, pagination", s -> {
      String t = fillOrders(s);
      Map<String, AttributeValue> c0 = item(":c", s("c0"));
      query(s, "keys only", t, "by-date-keys", "customer = :c", c0, b -> { });
      query(s, "all", t, "by-date-all", "customer = :c", c0, b -> b.scanIndexForward(false));
      query(s, "include", t, "by-total-include", "customer = :c", c0, b -> { });
      query(s, "keys only with a range", t, "by-date-keys", "customer = :c AND placed BETWEEN :a AND :b",
          item(":c", s("c1"), ":a", s("2026-11-20"), ":b", s("2026-11-27")), b -> { });
      query(s, "non-projected attributes are fetched from the table", t, "by-date-keys", "customer = :c", c0,
          b -> b.projectionExpression("note, total"));
      query(s, "select all attributes", t, "by-total-include", "customer = :c", c0, b -> b.select("ALL_ATTRIBUTES"));
      query(s, "select all projected attributes", t, "by-total-include", "customer = :c", c0,
          b -> b.select("ALL_PROJECTED_ATTRIBUTES"));
      query(s, "count", t, "by-date-all", "customer = :c", c0, b -> b.select("COUNT"));
      query(s, "page 1", t, "by-date-all", "customer = :c", c0, b -> b.limit(2));
      query(s, "page 2", t, "by-date-all", "customer = :c", c0, b -> b.limit(2)
          .exclusiveStartKey(item("customer", s("c0"), "order", n(8), "placed", s("2026-11-22"))));
      query(s, "a filter on a table attribute", t, "by-date-keys", "customer = :c", item(":c", s("c0"), ":n", s("n4")),
          b -> b.filterExpression("note = :n"));
      query(s, "consistent read", t, "by-date-all", "customer = :c", c0, b -> b.consistentRead(true));
      query(s, "capacity", t, "by-date-all", "customer = :c", c0, b -> b.returnConsumedCapacity("INDEXES"));
    }));
    all.add(Scenario.of("global indexes: projections, sparse items, pagination", s -> {
      String t = fillOrders(s);
      query(s, "include", t, "by-status", "#s = :s", item(":s", s("open")), b -> b.expressionAttributeNames(Map.of("#s", "status")));
      query(s, "include backwards with a range", t, "by-status", "#s = :s AND placed < :p", item(":s", s("open"), ":p", s("2026-11-25")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).scanIndexForward(false));
      query(s, "keys only", t, "by-status-keys", "#s = :s", item(":s", s("shipped")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")));
      query(s, "all, number key", t, "by-total-all", "#t = :t", item(":t", n(10)), b -> b.expressionAttributeNames(Map.of("#t", "total")));
      query(s, "page 1", t, "by-status", "#s = :s", item(":s", s("open")), b -> b.expressionAttributeNames(Map.of("#s", "status")).limit(3));
      query(s, "projected attributes only", t, "by-status", "#s = :s", item(":s", s("shipped")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).projectionExpression("placed, #t")
              .expressionAttributeNames(Map.of("#s", "status", "#t", "total")));
      query(s, "a non-projected attribute", t, "by-status", "#s = :s", item(":s", s("shipped")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).projectionExpression("note"));
      query(s, "select all attributes", t, "by-status", "#s = :s", item(":s", s("shipped")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).select("ALL_ATTRIBUTES"));
      query(s, "consistent read", t, "by-status", "#s = :s", item(":s", s("shipped")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).consistentRead(true));
      query(s, "count", t, "by-status", "#s = :s", item(":s", s("open")),
          b -> b.expressionAttributeNames(Map.of("#s", "status")).select("COUNT"));
      s.call("scan of a sparse index", () -> s.ddb().scan(b -> b.tableName(t).indexName("by-status-keys")),
          r -> Canonical.unordered(r.items()));
      s.call("scan count", () -> s.ddb().scan(b -> b.tableName(t).indexName("by-status").select("COUNT")));
      s.call("scan of an unknown index", () -> s.ddb().scan(b -> b.tableName(t).indexName("nope")));
    }).deviates(Deviation.QUERY_VALIDATION_MESSAGE, "consistent read"));
    all.add(Scenario.of("global index follows updates and deletes", s -> {
      String t = fillOrders(s);
      s.setup("move order 0 to another status", () -> s.ddb().updateItem(b -> b.tableName(t)
          .key(item("customer", s("c0"), "order", n(0))).updateExpression("SET #s = :s")
          .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(item(":s", s("lost")))));
      s.setup("remove the status of order 1", () -> s.ddb().updateItem(b -> b.tableName(t)
          .key(item("customer", s("c1"), "order", n(1))).updateExpression("REMOVE #s")
          .expressionAttributeNames(Map.of("#s", "status"))));
      s.setup("delete order 2", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("customer", s("c0"), "order", n(2)))));
      s.awaitIndexed("orders", "by-status-keys", 9);
      query(s, "lost", t, "by-status-keys", "#s = :s", item(":s", s("lost")), b -> b.expressionAttributeNames(Map.of("#s", "status")));
      query(s, "open", t, "by-status", "#s = :s", item(":s", s("open")), b -> b.expressionAttributeNames(Map.of("#s", "status")));
    }));
    all.add(Scenario.of("writes that break an index key's type or emptiness", s -> {
      String t = s.createTable("orders", orders());
      s.call("a number where the LSI key is a string", () -> s.ddb().putItem(b -> b.tableName(t)
          .item(item("customer", s("c"), "order", n(1), "placed", n(5)))));
      s.call("a string where the GSI key is a number", () -> s.ddb().putItem(b -> b.tableName(t)
          .item(item("customer", s("c"), "order", n(1), "total", s("ten")))));
      String single = s.createTable("single", TableSpec.hash("pk", ScalarAttributeType.S)
          .gsi("by-g", "g", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY));
      s.call("an empty string GSI key", () -> s.ddb().putItem(b -> b.tableName(single).item(item("pk", s("c"), "g", s("")))));
      s.call("an update that sets a wrong index key type", () -> s.ddb().updateItem(b -> b.tableName(t)
          .key(item("customer", s("c"), "order", n(1))).updateExpression("SET #s = :v")
          .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(item(":v", n(3)))));
      s.call("nothing was written", () -> s.ddb().scan(b -> b.tableName(t).select("COUNT")));
    }).deviates(Deviation.KEY_VALIDATION_MESSAGE, "a number where the LSI key is a string", "a string where the GSI key is a number")
        .deviates(Deviation.INDEX_KEY_TYPE_NOT_CHECKED_ON_UPDATE, Expectation.failure("ValidationException",
            "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: by-status"),
            "an update that sets a wrong index key type")
        .deviates(Deviation.INDEX_KEY_TYPE_NOT_CHECKED_ON_UPDATE, Expectation.returned("{Count: 0, ScannedCount: 0}"),
            "nothing was written"));
    all.add(Scenario.of("index query validation", s -> {
      String t = s.createTable("orders", orders());
      query(s, "an unknown index", t, "nope", "customer = :c", item(":c", s("c")), b -> { });
      query(s, "the table's sort key on a local index", t, "by-date-keys", "customer = :c AND #o = :o",
          item(":c", s("c"), ":o", n(1)), b -> b.expressionAttributeNames(Map.of("#o", "order")));
      query(s, "the table's partition key on a global index", t, "by-status", "customer = :c", item(":c", s("c")), b -> { });
      query(s, "select all projected attributes on the table", t, null, "customer = :c", item(":c", s("c")),
          b -> b.select("ALL_PROJECTED_ATTRIBUTES"));
      query(s, "a filter on the index key", t, "by-date-all", "customer = :c", item(":c", s("c"), ":p", s("x")),
          b -> b.filterExpression("placed = :p"));
      query(s, "a filter on the table's sort key in a local index query", t, "by-date-all", "customer = :c",
          item(":c", s("c"), ":o", n(1)), b -> b.filterExpression("#o = :o").expressionAttributeNames(Map.of("#o", "order")));
    }).deviates(Deviation.QUERY_VALIDATION_MESSAGE, "the table's sort key on a local index", "the table's partition key on a global index"));
    all.add(Scenario.of("a global index added to a table with items", s -> {
      String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
      for (int i = 0; i < 20; i++) {
        put(s, t, item("pk", s("k" + i), "color", s(i % 4 == 0 ? "red" : "blue"), "size", n(i)));
      }
      s.call("add the index", () -> s.ddb().updateTable(b -> b.tableName(t)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("color").attributeType(ScalarAttributeType.S).build())
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
              .indexName("by-color").keySchema(TableSpec.key("color", KeyType.HASH))
              .projection(TableSpec.projection(ProjectionType.KEYS_ONLY)).build()).build())),
          r -> Views.tableShape(r.tableDescription(), false));
      s.awaitActive("t");
      s.awaitIndexed("t", "by-color", 20);
      s.call("query the new index", () -> s.ddb().query(b -> b.tableName(t).indexName("by-color").keyConditionExpression("color = :c")
          .expressionAttributeValues(item(":c", s("red")))), r -> Canonical.unordered(r.items()));
      s.call("add it again", () -> s.ddb().updateTable(b -> b.tableName(t)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("color").attributeType(ScalarAttributeType.S).build())
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
              .indexName("by-color").keySchema(TableSpec.key("color", KeyType.HASH))
              .projection(TableSpec.projection(ProjectionType.KEYS_ONLY)).build()).build())));
      s.call("delete an unknown index", () -> s.ddb().updateTable(b -> b.tableName(t)
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
              .delete(DeleteGlobalSecondaryIndexAction.builder().indexName("nope").build()).build())));
      s.call("delete the index", () -> s.ddb().updateTable(b -> b.tableName(t)
          .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
              .delete(DeleteGlobalSecondaryIndexAction.builder().indexName("by-color").build()).build())),
          r -> Views.indexNames(r.tableDescription()));
      s.setup("index gone", () -> io.flywheel.it.Eventually.await(() -> s.describeWhileIndexing(t),
          (TableDescription d) -> d != null && (!d.hasGlobalSecondaryIndexes() || d.globalSecondaryIndexes().isEmpty()),
          Session.INDEX_CATCH_UP, "index deleted"));
      s.call("query the deleted index", () -> s.ddb().query(b -> b.tableName(t).indexName("by-color").keyConditionExpression("color = :c")
          .expressionAttributeValues(item(":c", s("red")))));
    }).deviates(Deviation.GSI_THROUGHPUT_ON_DEMAND, TableScenariosTest.INDEX_THROUGHPUT_ZERO, "add the index")
        .deviates(Deviation.TABLE_VALIDATION_MESSAGE, "add it again")
        .deviates(Deviation.MISSING_TABLE_MESSAGE, "delete an unknown index"));
    return all;
  }
}
