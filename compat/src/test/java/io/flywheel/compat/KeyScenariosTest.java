package io.flywheel.compat;

import static io.flywheel.compat.Values.b;
import static io.flywheel.compat.Values.bool;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.m;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.nul;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Key validation, data-driven: each row is a key (wrong type, missing, empty, too long, extra
 * attribute) offered to PutItem, GetItem, UpdateItem and DeleteItem of a table with a string
 * partition key and a number sort key, or of a table with a binary partition key.
 */
class KeyScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  /**
   * A key to offer; {@code deviation} (null if none) is why DynamoDB Local words the error
   * differently at {@code deviatingSteps}.
   */
  record KeyRow(String label, boolean binaryTable, Map<String, AttributeValue> key, Deviation deviation, List<String> deviatingSteps) {
    KeyRow deviates(Deviation why, String... steps) {
      return new KeyRow(label, binaryTable, key, why, List.of(steps));
    }

    KeyRow keyMessages() {
      return deviates(Deviation.KEY_VALIDATION_MESSAGE, ALL_STEPS);
    }
  }

  static final String[] ALL_STEPS = {"put", "get", "update", "delete"};

  static KeyRow composite(String label, Object... namesAndValues) {
    return new KeyRow(label, false, item(namesAndValues), null, List.of());
  }

  static KeyRow binary(String label, Object... namesAndValues) {
    return new KeyRow(label, true, item(namesAndValues), null, List.of());
  }

  static final List<KeyRow> ROWS = List.of(
      composite("a valid key", "pk", s("p"), "sk", n(1)),
      composite("a sort key with another representation of the number", "pk", s("p"), "sk", n("1.00")),
      composite("a missing sort key", "pk", s("p")).keyMessages(),
      composite("a missing partition key", "sk", n(1)).keyMessages(),
      composite("no key at all").keyMessages(),
      composite("a partition key of the wrong type", "pk", n(1), "sk", n(1)).keyMessages(),
      composite("a sort key of the wrong type", "pk", s("p"), "sk", s("1")).keyMessages(),
      composite("both keys of the wrong type", "pk", n(1), "sk", s("1")).keyMessages(),
      composite("a set as the partition key", "pk", ss("p"), "sk", n(1)).keyMessages(),
      composite("a map as the sort key", "pk", s("p"), "sk", m("x", n(1))).keyMessages(),
      composite("a list as the sort key", "pk", s("p"), "sk", l(n(1))).keyMessages(),
      composite("NULL as the partition key", "pk", nul(), "sk", n(1)).keyMessages(),
      composite("a boolean as the sort key", "pk", s("p"), "sk", bool(true)).keyMessages(),
      composite("an empty string partition key", "pk", s(""), "sk", n(1)).deviates(Deviation.KEY_VALIDATION_MESSAGE, "get", "update", "delete"),
      composite("a key with an extra attribute", "pk", s("p"), "sk", n(1), "other", s("x")).deviates(Deviation.KEY_VALIDATION_MESSAGE, "get", "update", "delete"),
      composite("a key with an extra attribute and no sort key", "pk", s("p"), "other", n(1)).keyMessages(),
      composite("a partition key of 2048 bytes", "pk", s("p".repeat(2048)), "sk", n(1)),
      composite("a partition key of 2049 bytes", "pk", s("p".repeat(2049)), "sk", n(1)).keyMessages(),
      composite("a partition key of 2048 bytes in multi-byte characters", "pk", s("é".repeat(1024)), "sk", n(1)),
      composite("a partition key of 2050 bytes in multi-byte characters", "pk", s("é".repeat(1025)), "sk", n(1)).keyMessages(),
      composite("a number sort key with 38 digits", "pk", s("p"), "sk", n("12345678901234567890123456789012345678")),
      composite("a number sort key with 39 digits", "pk", s("p"), "sk", n("123456789012345678901234567890123456789")).deviates(Deviation.NUMBER_MESSAGE, ALL_STEPS),
      composite("a number sort key that overflows", "pk", s("p"), "sk", n("1E+126")),
      composite("a sort key that is not a number", "pk", s("p"), "sk", n("one")).deviates(Deviation.NUMBER_MESSAGE, ALL_STEPS),
      binary("a valid binary key", "id", b(0, 1, 2)),
      binary("an empty binary partition key", "id", b()).deviates(Deviation.KEY_VALIDATION_MESSAGE, "get", "update", "delete"),
      binary("a binary partition key of 2048 bytes", "id", AttributeValue.fromB(
          software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[2048]))),
      binary("a binary partition key of 2049 bytes", "id", AttributeValue.fromB(
          software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[2049]))).keyMessages(),
      binary("a string for a binary key", "id", s("AAE=")).keyMessages());

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (KeyRow row : ROWS) {
      Scenario scenario = Scenario.of("key: " + row.label(), s -> {
        String t = row.binaryTable()
            ? s.createTable("b", TableSpec.hash("id", ScalarAttributeType.B))
            : s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", ScalarAttributeType.N));
        Map<String, AttributeValue> item = new LinkedHashMap<>(row.key());
        item.put("v", n(1));
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item)));
        s.call("get", () -> s.ddb().getItem(b -> b.tableName(t).key(row.key()).consistentRead(true)));
        s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(row.key()).updateExpression("SET w = :w")
            .expressionAttributeValues(item(":w", n(2))).returnValues("ALL_NEW")));
        s.call("delete", () -> s.ddb().deleteItem(b -> b.tableName(t).key(row.key()).returnValues("ALL_OLD")));
      });
      all.add(row.deviation() == null ? scenario : scenario.deviates(row.deviation(), row.deviatingSteps().toArray(String[]::new)));
    }
    // Key sizes are counted in UTF-8 bytes of the key attribute's value: the sort key's limit is 1024.
    for (int size : new int[] {1024, 1025}) {
      Scenario scenario = Scenario.of("key: a string sort key of " + size + " bytes", s -> {
        String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", ScalarAttributeType.S));
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("p"), "sk", s("s".repeat(size))))));
        s.call("get", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("p"), "sk", s("s".repeat(size)))).consistentRead(true)));
      });
      all.add(size > 1024 ? scenario.deviates(Deviation.KEY_VALIDATION_MESSAGE, "put", "get") : scenario);
    }
    all.add(Scenario.of("key: numbers that are equal address the same item", s -> {
      String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.N));
      s.call("put 1.0", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", n("1.0"), "v", s("first")))));
      s.call("put 1 returning the old item", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", n("1"), "v", s("second")))
          .returnValues("ALL_OLD")));
      s.call("get 10E-1", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", n("10E-1"))).consistentRead(true)));
      s.call("get -0 and 0", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", n("-0"), "v", s("zero"))).returnValues("ALL_OLD")));
      s.call("get 0", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", n("0"))).consistentRead(true)));
    }));
    return all;
  }
}
