package io.flywheel.compat;

import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.s;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The tables and requests most scenarios start from. */
final class Fixtures {
  private Fixtures() {}

  /** Role {@code t}: partition key {@code pk} (S) only. */
  static String hashTable(Session s) {
    return s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
  }

  /** Role {@code c}: partition key {@code pk} (S), sort key {@code sk} of the given type. */
  static String compositeTable(Session s, ScalarAttributeType sortType) {
    return s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", sortType));
  }

  /** A put that must succeed. */
  static void put(Session s, String table, Map<String, AttributeValue> item) {
    s.setup("put " + item.keySet(), () -> s.ddb().putItem(b -> b.tableName(table).item(item)));
  }

  /** Records a strongly consistent read of the item with partition key {@code pk}. */
  static void get(Session s, String label, String table, String pk) {
    s.call(label, () -> s.ddb().getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true)));
  }
}
