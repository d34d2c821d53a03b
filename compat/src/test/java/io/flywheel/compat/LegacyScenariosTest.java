package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.get;
import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.ns;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The legacy (pre-expression) parameters: Expected with ConditionalOperator, AttributeUpdates,
 * KeyConditions, QueryFilter, ScanFilter and AttributesToGet, including their validation and
 * their mixing with expressions.
 */
class LegacyScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  static Condition condition(ComparisonOperator op, AttributeValue... values) {
    return Condition.builder().comparisonOperator(op).attributeValueList(Arrays.asList(values)).build();
  }

  static ExpectedAttributeValue expected(ComparisonOperator op, AttributeValue... values) {
    return ExpectedAttributeValue.builder().comparisonOperator(op).attributeValueList(Arrays.asList(values)).build();
  }

  static AttributeValueUpdate update(AttributeAction action, AttributeValue value) {
    return AttributeValueUpdate.builder().action(action).value(value).build();
  }

  /** Rows of Expected conditions checked against the item {pk: k, a: 5, s: "hello", ss: {x, y}, l: [1]}. */
  static final List<Object[]> EXPECTED_ROWS = List.of(
      new Object[] {"Exists true with a matching value", Map.of("a", ExpectedAttributeValue.builder().value(n(5)).build())},
      new Object[] {"Exists true with another value", Map.of("a", ExpectedAttributeValue.builder().value(n(6)).build())},
      new Object[] {"Exists false on a missing attribute", Map.of("zz", ExpectedAttributeValue.builder().exists(false).build())},
      new Object[] {"Exists false on a present attribute", Map.of("a", ExpectedAttributeValue.builder().exists(false).build())},
      new Object[] {"Exists false with a value", Map.of("a", ExpectedAttributeValue.builder().exists(false).value(n(5)).build())},
      new Object[] {"Exists true without a value", Map.of("a", ExpectedAttributeValue.builder().exists(true).build())},
      new Object[] {"EQ", Map.of("a", expected(ComparisonOperator.EQ, n(5)))},
      new Object[] {"NE", Map.of("a", expected(ComparisonOperator.NE, n(5)))},
      new Object[] {"LT across types", Map.of("a", expected(ComparisonOperator.LT, s("5")))},
      new Object[] {"GE", Map.of("a", expected(ComparisonOperator.GE, n(5)))},
      new Object[] {"BETWEEN", Map.of("a", expected(ComparisonOperator.BETWEEN, n(1), n(9)))},
      new Object[] {"BETWEEN with one value", Map.of("a", expected(ComparisonOperator.BETWEEN, n(1)))},
      new Object[] {"IN", Map.of("a", expected(ComparisonOperator.IN, n(1), n(5)))},
      new Object[] {"IN with no values", Map.of("a", expected(ComparisonOperator.IN))},
      new Object[] {"BEGINS_WITH", Map.of("s", expected(ComparisonOperator.BEGINS_WITH, s("he")))},
      new Object[] {"BEGINS_WITH a number", Map.of("s", expected(ComparisonOperator.BEGINS_WITH, n(1)))},
      new Object[] {"CONTAINS on a set", Map.of("ss", expected(ComparisonOperator.CONTAINS, s("x")))},
      new Object[] {"NOT_CONTAINS on a string", Map.of("s", expected(ComparisonOperator.NOT_CONTAINS, s("ell")))},
      new Object[] {"CONTAINS with a set value", Map.of("ss", expected(ComparisonOperator.CONTAINS, ss("x")))},
      new Object[] {"NULL on a missing attribute", Map.of("zz", expected(ComparisonOperator.NULL))},
      new Object[] {"NOT_NULL on a present attribute", Map.of("a", expected(ComparisonOperator.NOT_NULL))},
      new Object[] {"NULL with a value", Map.of("a", expected(ComparisonOperator.NULL, n(1)))},
      new Object[] {"EQ with two values", Map.of("a", expected(ComparisonOperator.EQ, n(1), n(2)))},
      new Object[] {"EQ with a list value", Map.of("l", expected(ComparisonOperator.EQ, l(n(1))))},
      new Object[] {"LT with a set value", Map.of("ss", expected(ComparisonOperator.LT, ss("x")))},
      new Object[] {"a value and a comparison operator", Map.of("a", ExpectedAttributeValue.builder().value(n(5))
          .comparisonOperator(ComparisonOperator.EQ).attributeValueList(n(5)).build())},
      new Object[] {"two conditions, both true", Map.of("a", expected(ComparisonOperator.EQ, n(5)), "s", expected(ComparisonOperator.NOT_NULL))});

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static Map<String, AttributeValue> subject() {
    return item("pk", s("k"), "a", n(5), "s", s("hello"), "ss", ss("x", "y"), "l", l(n(1)));
  }

  @SuppressWarnings("unchecked")
  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (Object[] row : EXPECTED_ROWS) {
      Map<String, ExpectedAttributeValue> expected = (Map<String, ExpectedAttributeValue>) row[1];
      all.add(Scenario.of("Expected: " + row[0], s -> {
        String t = hashTable(s);
        put(s, t, subject());
        s.call("put with Expected", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "a", n(6))).expected(expected)
            .returnValues("ALL_OLD")));
        get(s, "read back", t, "k");
      }));
    }
    all.add(Scenario.of("Expected with ConditionalOperator", s -> {
      String t = hashTable(s);
      put(s, t, subject());
      Map<String, ExpectedAttributeValue> oneTrue = new LinkedHashMap<>();
      oneTrue.put("a", expected(ComparisonOperator.EQ, n(4)));
      oneTrue.put("s", expected(ComparisonOperator.EQ, s("hello")));
      s.call("AND", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).expected(oneTrue).conditionalOperator("AND")));
      s.call("OR", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).expected(oneTrue).conditionalOperator("OR")
          .attributeUpdates(Map.of("b", update(AttributeAction.PUT, n(1)))).returnValues("ALL_NEW")));
      s.call("an unknown operator", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).expected(oneTrue)
          .conditionalOperator("XOR")));
      s.call("an operator without Expected", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).conditionalOperator("OR")));
      s.call("an operator with one condition", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .expected(Map.of("a", expected(ComparisonOperator.EQ, n(4)))).conditionalOperator("OR")));
      s.call("Expected with a ConditionExpression", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .expected(Map.of("a", expected(ComparisonOperator.EQ, n(5)))).conditionExpression("attribute_exists(a)")));
      s.call("Expected on the key", () -> s.ddb().putItem(b -> b.tableName(t).item(subject())
          .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))));
    }).deviates(Deviation.INTERNAL_FAILURE_ON_INVALID_INPUT, Expectation.failure("ValidationException", "1 validation error detected: "
        + "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]"),
        "an unknown operator"));

    // AttributeUpdates.
    Object[][] updates = {
        {"PUT", Map.of("a", update(AttributeAction.PUT, n(7)), "fresh", update(AttributeAction.PUT, s("v")))},
        {"PUT without a value", Map.of("a", AttributeValueUpdate.builder().action(AttributeAction.PUT).build())},
        {"DELETE an attribute", Map.of("s", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build())},
        {"DELETE set members", Map.of("ss", update(AttributeAction.DELETE, ss("x", "z")))},
        {"DELETE a value from a number", Map.of("a", update(AttributeAction.DELETE, n(5)))},
        {"ADD to a number", Map.of("a", update(AttributeAction.ADD, n("-1.5")))},
        {"ADD to a missing number", Map.of("fresh", update(AttributeAction.ADD, n(3)))},
        {"ADD to a set", Map.of("ss", update(AttributeAction.ADD, ss("z")))},
        {"ADD to a list", Map.of("l", update(AttributeAction.ADD, l(n(2))))},
        {"ADD a list to a missing attribute", Map.of("fresh", update(AttributeAction.ADD, l(n(2))))},
        {"ADD a string", Map.of("s", update(AttributeAction.ADD, s("x")))},
        {"ADD without a value", Map.of("a", AttributeValueUpdate.builder().action(AttributeAction.ADD).build())},
        {"ADD a number set to a string set", Map.of("ss", update(AttributeAction.ADD, ns("1")))},
        {"the key", Map.of("pk", update(AttributeAction.PUT, s("other")))},
        {"no action (PUT by default)", Map.of("a", AttributeValueUpdate.builder().value(n(9)).build())},
        {"nothing", Map.of()},
    };
    for (Object[] row : updates) {
      Map<String, AttributeValueUpdate> attributeUpdates = (Map<String, AttributeValueUpdate>) row[1];
      Scenario scenario = Scenario.of("AttributeUpdates: " + row[0], s -> {
        String t = hashTable(s);
        put(s, t, subject());
        s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).attributeUpdates(attributeUpdates)
            .returnValues("UPDATED_NEW")));
        get(s, "read back", t, "k");
        s.call("on a missing item", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("new"))).attributeUpdates(attributeUpdates)
            .returnValues("ALL_NEW")));
      });
      boolean typeNamed = List.of("DELETE a value from a number", "ADD a string").contains((String) row[0]);
      all.add(typeNamed ? scenario.deviates(Deviation.LEGACY_PARAMETER_MESSAGE, "update", "on a missing item") : scenario);
    }
    all.add(Scenario.of("AttributeUpdates mixed with expressions", s -> {
      String t = hashTable(s);
      put(s, t, subject());
      s.call("with an UpdateExpression", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .attributeUpdates(Map.of("a", update(AttributeAction.PUT, n(1)))).updateExpression("SET b = :b")
          .expressionAttributeValues(item(":b", n(1)))));
      s.call("with a ConditionExpression", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .attributeUpdates(Map.of("a", update(AttributeAction.PUT, n(1)))).conditionExpression("attribute_exists(a)")));
      s.call("AttributesToGet with ProjectionExpression", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k")))
          .attributesToGet("a").projectionExpression("s")));
    }));

    // Reads: AttributesToGet, KeyConditions, QueryFilter, ScanFilter.
    all.add(Scenario.of("AttributesToGet", s -> {
      String t = hashTable(s);
      put(s, t, subject());
      s.call("some", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).attributesToGet("a", "missing", "ss")));
      s.call("duplicates", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).attributesToGet("a", "a")));
      s.call("none of them present", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).attributesToGet("missing")));
      s.call("a nested-looking name", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).attributesToGet("l[0]")));
    }).deviates(Deviation.LEGACY_PARAMETER_MESSAGE, "duplicates"));
    Object[][] keyConditions = {
        {"EQ on the partition key", Map.of("pk", condition(ComparisonOperator.EQ, s("a")))},
        {"EQ and GT", Map.of("pk", condition(ComparisonOperator.EQ, s("a")), "sk", condition(ComparisonOperator.GT, n(2)))},
        {"EQ and BETWEEN", Map.of("pk", condition(ComparisonOperator.EQ, s("a")), "sk", condition(ComparisonOperator.BETWEEN, n(1), n(3)))},
        {"EQ and BEGINS_WITH on a number", Map.of("pk", condition(ComparisonOperator.EQ, s("a")),
            "sk", condition(ComparisonOperator.BEGINS_WITH, n(1)))},
        {"NE on the sort key", Map.of("pk", condition(ComparisonOperator.EQ, s("a")), "sk", condition(ComparisonOperator.NE, n(1)))},
        {"GT on the partition key", Map.of("pk", condition(ComparisonOperator.GT, s("a")))},
        {"only the sort key", Map.of("sk", condition(ComparisonOperator.EQ, n(1)))},
        {"a non-key attribute", Map.of("pk", condition(ComparisonOperator.EQ, s("a")), "v", condition(ComparisonOperator.EQ, n(1)))},
        {"EQ with two values", Map.of("pk", condition(ComparisonOperator.EQ, s("a"), s("b")))},
        {"EQ with the wrong type", Map.of("pk", condition(ComparisonOperator.EQ, n(1)))},
    };
    for (Object[] row : keyConditions) {
      Map<String, Condition> conditions = (Map<String, Condition>) row[1];
      Scenario scenario = Scenario.of("KeyConditions: " + row[0], s -> {
        String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", ScalarAttributeType.N));
        for (int i = 0; i < 5; i++) {
          put(s, t, item("pk", s("a"), "sk", n(i), "v", n(i % 2)));
        }
        s.call("query", () -> s.ddb().query(b -> b.tableName(t).keyConditions(conditions)));
        s.call("query with a QueryFilter", () -> s.ddb().query(b -> b.tableName(t).keyConditions(conditions)
            .queryFilter(Map.of("v", condition(ComparisonOperator.EQ, n(1)))).attributesToGet("sk", "v")));
      });
      String label = (String) row[0];
      if (label.equals("NE on the sort key")) {
        Expectation notIndexable = Expectation.failure("ValidationException", "Attempted conditional constraint is not an indexable operation");
        scenario = scenario.deviates(Deviation.INTERNAL_FAILURE_ON_INVALID_INPUT, notIndexable, "query", "query with a QueryFilter");
      } else if (label.equals("only the sort key") || label.equals("a non-key attribute")) {
        scenario = scenario.deviates(Deviation.QUERY_VALIDATION_MESSAGE, "query", "query with a QueryFilter");
      }
      all.add(scenario);
    }
    all.add(Scenario.of("QueryFilter and ScanFilter", s -> {
      String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", ScalarAttributeType.N));
      for (int i = 0; i < 6; i++) {
        put(s, t, item("pk", s("a"), "sk", n(i), "v", n(i % 3), "tag", s(i % 2 == 0 ? "even" : "odd")));
      }
      Map<String, Condition> eq = Map.of("pk", condition(ComparisonOperator.EQ, s("a")));
      Map<String, Condition> twoFilters = new LinkedHashMap<>();
      twoFilters.put("v", condition(ComparisonOperator.EQ, n(0)));
      twoFilters.put("tag", condition(ComparisonOperator.EQ, s("odd")));
      s.call("QueryFilter AND", () -> s.ddb().query(b -> b.tableName(t).keyConditions(eq).queryFilter(twoFilters)));
      s.call("QueryFilter OR", () -> s.ddb().query(b -> b.tableName(t).keyConditions(eq).queryFilter(twoFilters).conditionalOperator("OR")));
      s.call("QueryFilter on the sort key", () -> s.ddb().query(b -> b.tableName(t).keyConditions(eq)
          .queryFilter(Map.of("sk", condition(ComparisonOperator.GT, n(1))))));
      s.call("QueryFilter with a FilterExpression", () -> s.ddb().query(b -> b.tableName(t).keyConditions(eq)
          .queryFilter(twoFilters).filterExpression("v = :v").expressionAttributeValues(item(":v", n(0)))));
      s.call("KeyConditions with a KeyConditionExpression", () -> s.ddb().query(b -> b.tableName(t).keyConditions(eq)
          .keyConditionExpression("pk = :p").expressionAttributeValues(item(":p", s("a")))));
      s.call("ScanFilter", () -> s.ddb().scan(b -> b.tableName(t).scanFilter(twoFilters).conditionalOperator("OR")),
          r -> Canonical.unordered(r.items()));
      s.call("ScanFilter on the key", () -> s.ddb().scan(b -> b.tableName(t).scanFilter(Map.of("sk", condition(ComparisonOperator.LE, n(1))))),
          r -> Canonical.unordered(r.items()));
      s.call("ScanFilter NOT_NULL and AttributesToGet", () -> s.ddb().scan(b -> b.tableName(t)
          .scanFilter(Map.of("tag", condition(ComparisonOperator.NOT_NULL))).attributesToGet("sk")), r -> Canonical.unordered(r.items()));
      s.call("ScanFilter with Select COUNT", () -> s.ddb().scan(b -> b.tableName(t)
          .scanFilter(Map.of("v", condition(ComparisonOperator.IN, n(1), n(2)))).select("COUNT")));
      s.call("AttributesToGet with Select COUNT", () -> s.ddb().scan(b -> b.tableName(t).attributesToGet("sk").select("COUNT")));
    }));
    return all;
  }
}
