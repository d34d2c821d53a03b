package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchGetItem and BatchWriteItem: limits (100 keys, 25 writes), duplicate keys, missing tables,
 * invalid items, projections and consumed capacity. BatchGetItem's responses are compared as
 * unordered: the API does not order them.
 */
class BatchScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  static WriteRequest putRequest(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  static WriteRequest deleteRequest(Map<String, AttributeValue> key) {
    return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
  }

  static List<WriteRequest> puts(int count) {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(putRequest(item("pk", s("k" + i), "v", n(i))));
    }
    return writes;
  }

  static List<Map<String, AttributeValue>> keys(int count) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(item("pk", s("k" + i)));
    }
    return keys;
  }

  /** What BatchGetItem returned, with each table's items unordered. */
  static Object view(BatchGetItemResponse r) {
    Map<String, Object> view = new LinkedHashMap<>();
    Map<String, Object> responses = new LinkedHashMap<>();
    r.responses().forEach((table, items) -> responses.put(table, Canonical.unordered(items)));
    view.put("Responses", responses);
    view.put("UnprocessedKeys", r.unprocessedKeys());
    if (r.hasConsumedCapacity()) {
      view.put("ConsumedCapacity", Canonical.unordered(r.consumedCapacity()));
    }
    return view;
  }

  static Object scanAll(Session s, String table) {
    return Canonical.unordered(s.ddb().scan(b -> b.tableName(table).consistentRead(true)).items());
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (int count : new int[] {1, 25, 26}) {
      Scenario scenario = Scenario.of("batch write of " + count + " puts", s -> {
        String t = hashTable(s);
        s.call("write", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, puts(count)))));
        s.call("table afterwards", () -> s.ddb().scan(b -> b.tableName(t).select("COUNT")));
      });
      all.add(count > 25 ? scenario.deviates(Deviation.CONSTRAINT_MESSAGE, "write") : scenario);
    }
    all.add(Scenario.of("batch write over two tables, 25 writes in all", s -> {
      String t = hashTable(s);
      String other = s.createTable("other", TableSpec.hash("pk", ScalarAttributeType.S));
      s.call("write", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, puts(13), other, puts(12)))));
      s.call("write 26", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, puts(13), other, puts(13)))));
    }));
    all.add(Scenario.of("batch write with puts and deletes", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("gone"), "v", n(1)));
      s.call("write", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
          putRequest(item("pk", s("new"), "v", n(2))), deleteRequest(item("pk", s("gone"))), deleteRequest(item("pk", s("never"))))))));
      s.call("table afterwards", () -> scanAll(s, t), v -> v);
    }));
    all.add(Scenario.of("batch write with the same key twice", s -> {
      String t = hashTable(s);
      s.call("two puts", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
          putRequest(item("pk", s("k"), "v", n(1))), putRequest(item("pk", s("k"), "v", n(2))))))));
      s.call("a put and a delete", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
          putRequest(item("pk", s("k"), "v", n(1))), deleteRequest(item("pk", s("k"))))))));
      s.call("two deletes", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
          deleteRequest(item("pk", s("k"))), deleteRequest(item("pk", s("k"))))))));
      s.call("table afterwards", () -> scanAll(s, t), v -> v);
    }));
    all.add(Scenario.of("batch write with invalid requests", s -> {
      String t = hashTable(s);
      s.call("empty request items", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of())));
      s.call("empty list for a table", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of()))));
      s.call("a write request with neither put nor delete", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(WriteRequest.builder().build())))));
      s.call("a write request with both put and delete", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(item("pk", s("a"))).build())
              .deleteRequest(DeleteRequest.builder().key(item("pk", s("b"))).build()).build())))));
      s.call("a put with a key of the wrong type", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(putRequest(item("pk", n(1))))))));
      s.call("a put missing its key", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(putRequest(item("v", n(1))))))));
      s.call("a delete with an extra key attribute", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(deleteRequest(item("pk", s("a"), "v", n(1))))))));
      s.call("a put over 400 KB", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(putRequest(item("pk", s("a"), "blob", s("x".repeat(400 * 1024)))))))));
      s.call("a valid put next to an invalid one", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t,
          List.of(putRequest(item("pk", s("valid"))), putRequest(item("pk", s(""))))))));
      s.call("a missing table", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(s.table("missing"), puts(1)))));
      s.call("table afterwards", () -> scanAll(s, t), v -> v);
    }).deviates(Deviation.CONSTRAINT_MESSAGE, "empty request items", "empty list for a table")
        .deviates(Deviation.KEY_VALIDATION_MESSAGE, "a put with a key of the wrong type", "a put missing its key",
            "a delete with an extra key attribute")
        .deviates(Deviation.MISSING_TABLE_MESSAGE, "a missing table"));
    all.add(Scenario.of("batch write consumed capacity", s -> {
      String t = hashTable(s);
      s.call("write", () -> s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
          putRequest(item("pk", s("a"), "blob", s("x".repeat(3000)))), putRequest(item("pk", s("b"))))))
          .returnConsumedCapacity("TOTAL")));
    }));

    for (int count : new int[] {1, 100, 101}) {
      Scenario scenario = Scenario.of("batch get of " + count + " keys", s -> {
        String t = hashTable(s);
        s.setup("fill", () -> {
          for (int from = 0; from < 100; from += 25) {
            List<WriteRequest> chunk = new ArrayList<>();
            for (int i = from; i < from + 25; i++) {
              chunk.add(putRequest(item("pk", s("k" + i), "v", n(i))));
            }
            s.ddb().batchWriteItem(b -> b.requestItems(Map.of(t, chunk)));
          }
          return null;
        });
        s.call("get", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
            KeysAndAttributes.builder().keys(keys(count)).consistentRead(true).build()))), BatchScenariosTest::view);
      });
      all.add(count > 100 ? scenario.deviates(Deviation.CONSTRAINT_MESSAGE, "get") : scenario);
    }
    all.add(Scenario.of("batch get across two tables with projections", s -> {
      String t = hashTable(s);
      String other = s.createTable("other", TableSpec.hash("id", ScalarAttributeType.N));
      put(s, t, item("pk", s("a"), "x", n(1), "y", n(2)));
      put(s, t, item("pk", s("b"), "x", n(3)));
      put(s, other, item("id", n(7), "name", s("seven")));
      s.call("get", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(
          t, KeysAndAttributes.builder().keys(item("pk", s("a")), item("pk", s("b")), item("pk", s("missing")))
              .projectionExpression("pk, #y").expressionAttributeNames(Map.of("#y", "y")).build(),
          other, KeysAndAttributes.builder().keys(item("id", n("7.0"))).projectionExpression("#n")
              .expressionAttributeNames(Map.of("#n", "name")).build()))),
          BatchScenariosTest::view);
      s.call("get with AttributesToGet", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(
          other, KeysAndAttributes.builder().keys(item("id", n(7))).attributesToGet("name", "nothing").build()))),
          BatchScenariosTest::view);
      s.call("get with consumed capacity", () -> s.ddb().batchGetItem(b -> b.returnConsumedCapacity("TOTAL").requestItems(Map.of(
          t, KeysAndAttributes.builder().keys(item("pk", s("a"))).consistentRead(true).build(),
          other, KeysAndAttributes.builder().keys(item("id", n(7))).build()))), BatchScenariosTest::view);
    }));
    all.add(Scenario.of("batch get with invalid requests", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("a")));
      s.call("the same key twice", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", s("a")), item("pk", s("a"))).build()))), BatchScenariosTest::view);
      s.call("equal number keys twice", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", s("a")), item("pk", s("b"))).build()))), BatchScenariosTest::view);
      s.call("empty request items", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of())));
      s.call("no keys for a table", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(List.of()).build()))));
      s.call("a key of the wrong type", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", n(1))).build()))));
      s.call("a key with an extra attribute", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", s("a"), "x", n(1))).build()))));
      s.call("a missing table", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(s.table("missing"),
          KeysAndAttributes.builder().keys(item("pk", s("a"))).build()))));
      s.call("projection and AttributesToGet together", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", s("a"))).projectionExpression("pk").attributesToGet("pk").build()))));
      s.call("an unused expression name", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(t,
          KeysAndAttributes.builder().keys(item("pk", s("a"))).projectionExpression("pk")
              .expressionAttributeNames(Map.of("#x", "x")).build()))));
    }).deviates(Deviation.CONSTRAINT_MESSAGE, "empty request items", "no keys for a table")
        .deviates(Deviation.KEY_VALIDATION_MESSAGE, "a key of the wrong type", "a key with an extra attribute")
        .deviates(Deviation.MISSING_TABLE_MESSAGE, "a missing table"));
    all.add(Scenario.of("batch get of 100 keys over two tables and one more", s -> {
      String t = hashTable(s);
      String other = s.createTable("other", TableSpec.hash("pk", ScalarAttributeType.S));
      s.call("100 keys", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(
          t, KeysAndAttributes.builder().keys(keys(60)).build(), other, KeysAndAttributes.builder().keys(keys(40)).build()))),
          BatchScenariosTest::view);
      s.call("101 keys", () -> s.ddb().batchGetItem(b -> b.requestItems(Map.of(
          t, KeysAndAttributes.builder().keys(keys(60)).build(), other, KeysAndAttributes.builder().keys(keys(41)).build()))),
          BatchScenariosTest::view);
    }));
    return all;
  }
}
