package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.get;
import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.b;
import static io.flywheel.compat.Values.bs;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.m;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.ns;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Limits of the data model: item size, number precision and range, number syntax, sets, nesting,
 * attribute names. Each number row stores the text as given and reads back what was stored.
 */
class LimitScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  /** The 400 KB item limit, counted as DynamoDB counts: UTF-8 names plus values. */
  static final int ITEM_SIZE_MAX_BYTES = 400 * 1024;

  static final String[] NUMBERS = {
      "0", "-0", "0.0", "00", "1.0", "01", "+1", "-1", "1e2", "1E+2", "1.5e-3", "-1.5E3", ".5", "5.", "-.5",
      "0.000100", "100", "1e0", "0e5", "123.456e-2",
      "12345678901234567890123456789012345678", "1234567890123456789012345678901234567.8",
      "123456789012345678901234567890123456789", "1234567890123456789012345678901234567800000",
      "0.00000000000000000000000000000000000000000012345678901234567890123456789012345678",
      "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
      "1E+126", "-1E+126", "1E-130", "-1E-130", "1E-131", "0.9E-130", "10E-131",
      "", " 1", "1 ", "1e", "e1", "0x10", "NaN", "Infinity", "-Infinity", "1,000", "1_000", "--1", "1.2.3",
  };

  /** Rows no server accepts: DynamoDB Local words the errors its own way. */
  static final java.util.Set<String> UNPARSABLE = java.util.Set.of(
      "", " 1", "1 ", "1e", "e1", "0x10", "NaN", "Infinity", "-Infinity", "1,000", "1_000", "--1", "1.2.3",
      "123456789012345678901234567890123456789");

  /** Rows out of DynamoDB's range: both servers refuse them alike. */
  static final java.util.Set<String> OUT_OF_RANGE = java.util.Set.of("1E+126", "-1E+126", "1E-131", "0.9E-130");

  /** DynamoDB's canonical text of a number: trailing zeros trimmed, plain notation. */
  static String canonical(String number) {
    java.math.BigDecimal d = new java.math.BigDecimal(number);
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  static Scenario numberScenario(String number, Scenario scenario) {
    if (UNPARSABLE.contains(number)) {
      return scenario.deviates(Deviation.NUMBER_MESSAGE, "put", "in a number set", "in an update and its condition");
    }
    if (OUT_OF_RANGE.contains(number) || canonical(number).equals(number)) {
      return scenario;
    }
    String stored = "w: {N: " + canonical(number) + "}";
    return scenario
        .deviates(Deviation.NUMBERS_NOT_NORMALISED_BY_UPDATE, Expectation.returned("{Attributes: {" + stored + "}}"),
            "in an update and its condition")
        .deviates(Deviation.NUMBERS_NOT_NORMALISED_BY_UPDATE, Expectation.returnedContaining(stored), "read back after the update");
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (String number : NUMBERS) {
      all.add(numberScenario(number, Scenario.of("number \"" + number + "\"", s -> {
        String t = hashTable(s);
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", n(number)))));
        get(s, "read back", t, "k");
        s.call("in a number set", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "set", ns(number, "7")))));
        s.call("in an update and its condition", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
            .updateExpression("SET w = :n").conditionExpression("attribute_not_exists(v) OR v = :n")
            .expressionAttributeValues(item(":n", n(number))).returnValues("UPDATED_NEW")));
        get(s, "read back after the update", t, "k");
      })));
    }

    // Item size: a string attribute filling the item to exactly the limit, then one byte more.
    for (int extra : new int[] {0, 1}) {
      all.add(Scenario.of("item size: " + (extra == 0 ? "exactly 400 KB" : "400 KB and one byte"), s -> {
        String t = hashTable(s);
        int fill = ITEM_SIZE_MAX_BYTES - "pk".length() - "k".length() - "blob".length() + extra;
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "blob", s("x".repeat(fill))))));
        s.call("get the size back", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).projectionExpression("pk")));
      }));
    }
    all.add(Scenario.of("item size: an update that grows the item past 400 KB", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("k"), "blob", s("x".repeat(300 * 1024))));
      s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).updateExpression("SET more = :more")
          .expressionAttributeValues(item(":more", s("y".repeat(100 * 1024))))));
      s.call("smaller update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).updateExpression("SET more = :more")
          .expressionAttributeValues(item(":more", s("y".repeat(1024))))));
      s.call("read the attribute names", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).projectionExpression("pk, more")));
    }));
    all.add(Scenario.of("item size: names and multi-byte values count in UTF-8", s -> {
      String t = hashTable(s);
      // 'é' is two bytes in UTF-8: the same character count is twice the size.
      int fill = (ITEM_SIZE_MAX_BYTES - "pk".length() - "k".length() - "blob".length()) / 2;
      s.call("put at the limit", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "blob", s("é".repeat(fill))))));
      s.call("put over the limit", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "blob", s("é".repeat(fill + 1))))));
    }));
    all.add(Scenario.of("item size: binary values count their bytes", s -> {
      String t = hashTable(s);
      int fill = ITEM_SIZE_MAX_BYTES - "pk".length() - "k".length() - "bin".length();
      s.call("put at the limit", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"),
          "bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[fill]))))));
      s.call("put over the limit", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"),
          "bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[fill + 1]))))));
    }));

    // Sets.
    Object[][] sets = {
        {"an empty string set", AttributeValue.fromSs(List.of())},
        {"an empty number set", AttributeValue.fromNs(List.of())},
        {"an empty binary set", AttributeValue.fromBs(List.of())},
        {"a string set with duplicates", ss("a", "a")},
        {"a number set with equal numbers", ns("1", "1.0")},
        {"a binary set with duplicates", bs(b(1), b(1))},
        {"a string set with an empty string", ss("", "a")},
        {"a binary set with an empty binary", bs(b(), b(1))},
        {"a number set with an invalid number", ns("1", "x")},
        {"a string set of one member", ss("only")},
        {"an empty list and an empty map", l()},
    };
    for (Object[] row : sets) {
      Scenario scenario = Scenario.of("set: " + row[0], s -> {
        String t = hashTable(s);
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", (AttributeValue) row[1], "e", m()))));
        get(s, "read back", t, "k");
      });
      String label = (String) row[0];
      all.add(label.endsWith("with duplicates") ? scenario.deviates(Deviation.SET_DUPLICATES_MESSAGE, "put")
          : label.endsWith("invalid number") ? scenario.deviates(Deviation.NUMBER_MESSAGE, "put") : scenario);
    }

    // Nesting depth and attribute names.
    for (int depth : new int[] {31, 32, 33}) {
      all.add(Scenario.of("nesting: " + depth + " levels of maps", s -> {
        String t = hashTable(s);
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v",
            ExpressionValidationScenariosTest.nested(depth)))));
        get(s, "read back", t, "k");
      }));
    }
    all.add(Scenario.of("nesting: 33 levels of lists", s -> {
      String t = hashTable(s);
      AttributeValue v = n(1);
      for (int i = 0; i < 33; i++) {
        v = l(v);
      }
      AttributeValue value = v;
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", value))));
    }));
    Object[][] attributeNames = {
        {"an empty attribute name", ""},
        {"an attribute name of 255 bytes", "a".repeat(255)},
        {"an attribute name of 65535 bytes", "a".repeat(65535)},
        {"an attribute name of 65536 bytes", "a".repeat(65536)},
        {"an attribute name with spaces and symbols", "a b.c[0]#:"},
    };
    for (Object[] row : attributeNames) {
      all.add(Scenario.of("attribute name: " + row[0], s -> {
        String t = hashTable(s);
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), (String) row[1], n(1)))));
        get(s, "read back", t, "k");
      }));
    }
    all.add(Scenario.of("attribute name: an empty name inside a map", s -> {
      String t = hashTable(s);
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "m", m("", n(1))))));
      get(s, "read back", t, "k");
    }));
    return all;
  }
}
