package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.compositeTable;
import static io.flywheel.compat.Fixtures.get;
import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.m;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.names;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Validation of expressions and their placeholder maps, data-driven: each row is one malformed
 * (or borderline) request; what is compared is the error type and message, and that nothing was
 * written.
 */
class ExpressionValidationScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  record UpdateRow(String label, Consumer<UpdateItemRequest.Builder> request) {}

  record GetRow(String label, Consumer<GetItemRequest.Builder> request) {}

  record QueryRow(String label, Consumer<QueryRequest.Builder> request) {}

  static UpdateRow update(String label, Consumer<UpdateItemRequest.Builder> request) {
    return new UpdateRow(label, request);
  }

  static Map<String, AttributeValue> values(Object... namesAndValues) {
    return item(namesAndValues);
  }

  /** Deeply nested map: {@code depth} levels of {@code {"d": ...}} around a number. */
  static AttributeValue nested(int depth) {
    AttributeValue v = n(1);
    for (int i = 0; i < depth; i++) {
      v = m("d", v);
    }
    return v;
  }

  static final List<UpdateRow> UPDATE_ROWS = List.of(
      update("an unused value", b -> b.updateExpression("SET a = :a").expressionAttributeValues(values(":a", n(1), ":unused", n(2)))),
      update("two unused values", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", n(1), ":x", n(2), ":y", n(3)))),
      update("an unused name", b -> b.updateExpression("SET a = :a").expressionAttributeValues(values(":a", n(1)))
          .expressionAttributeNames(names("#unused", "x"))),
      update("a name used only in the condition", b -> b.updateExpression("SET a = :a").conditionExpression("attribute_not_exists(#c)")
          .expressionAttributeValues(values(":a", n(1))).expressionAttributeNames(names("#c", "c"))),
      update("a missing value", b -> b.updateExpression("SET a = :missing")),
      update("a missing value with other values given", b -> b.updateExpression("SET a = :missing, b = :b")
          .expressionAttributeValues(values(":b", n(1)))),
      update("a missing name", b -> b.updateExpression("SET #missing = :a").expressionAttributeValues(values(":a", n(1)))),
      update("an empty values map", b -> b.updateExpression("SET a = b").expressionAttributeValues(Map.of())),
      update("an empty names map", b -> b.updateExpression("SET a = b").expressionAttributeNames(Map.of())),
      update("values without any expression", b -> b.expressionAttributeValues(values(":a", n(1)))),
      update("names without any expression", b -> b.expressionAttributeNames(names("#a", "a"))),
      update("a value placeholder without a colon", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", n(1), "b", n(2)))),
      update("a name placeholder without a hash", b -> b.updateExpression("SET a = :a").expressionAttributeValues(values(":a", n(1)))
          .expressionAttributeNames(names("a", "b"))),
      update("a name placeholder mapped to an empty name", b -> b.updateExpression("SET #a = :a")
          .expressionAttributeValues(values(":a", n(1))).expressionAttributeNames(names("#a", ""))),
      update("an empty attribute value", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", AttributeValue.builder().build()))),
      update("an attribute value with two types", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", AttributeValue.builder().s("x").n("1").build()))),
      update("an empty string set value", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", AttributeValue.fromSs(List.of())))),
      update("a string set with duplicates", b -> b.updateExpression("SET a = :a")
          .expressionAttributeValues(values(":a", ss("x", "x")))),
      update("a value nested 32 levels", b -> b.updateExpression("SET a = :a").expressionAttributeValues(values(":a", nested(31)))),
      update("a value nested 33 levels", b -> b.updateExpression("SET a = :a").expressionAttributeValues(values(":a", nested(33)))),
      update("a condition that is empty", b -> b.updateExpression("SET a = :a").conditionExpression("")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition with only a path", b -> b.updateExpression("SET a = :a").conditionExpression("a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition with a dangling AND", b -> b.updateExpression("SET a = :a").conditionExpression("a = :a AND")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition with ==", b -> b.updateExpression("SET a = :a").conditionExpression("a == :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition with an unclosed parenthesis", b -> b.updateExpression("SET a = :a").conditionExpression("(a = :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition with an extra parenthesis", b -> b.updateExpression("SET a = :a").conditionExpression("a = :a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition calling an unknown function", b -> b.updateExpression("SET a = :a").conditionExpression("nosuch(a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition calling size as a boolean", b -> b.updateExpression("SET a = :a").conditionExpression("size(a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition comparing a boolean function", b -> b.updateExpression("SET a = :a")
          .conditionExpression("attribute_exists(a) = :a").expressionAttributeValues(values(":a", n(1)))),
      update("attribute_exists with no argument", b -> b.updateExpression("SET a = :a").conditionExpression("attribute_exists()")
          .expressionAttributeValues(values(":a", n(1)))),
      update("attribute_exists of a value", b -> b.updateExpression("SET a = :a").conditionExpression("attribute_exists(:a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("begins_with with one argument", b -> b.updateExpression("SET a = :a").conditionExpression("begins_with(a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("begins_with with a number", b -> b.updateExpression("SET a = :a").conditionExpression("begins_with(a, :a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("attribute_type with an unknown type", b -> b.updateExpression("SET a = :a").conditionExpression("attribute_type(a, :t)")
          .expressionAttributeValues(values(":a", n(1), ":t", s("XX")))),
      update("attribute_type with a number as the type", b -> b.updateExpression("SET a = :a")
          .conditionExpression("attribute_type(a, :a)").expressionAttributeValues(values(":a", n(1)))),
      update("contains with three arguments", b -> b.updateExpression("SET a = :a").conditionExpression("contains(a, :a, :a)")
          .expressionAttributeValues(values(":a", n(1)))),
      update("BETWEEN without AND", b -> b.updateExpression("SET a = :a").conditionExpression("a BETWEEN :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("BETWEEN with bounds of different types", b -> b.updateExpression("SET a = :a").conditionExpression("a BETWEEN :a AND :s")
          .expressionAttributeValues(values(":a", n(1), ":s", s("x")))),
      update("BETWEEN with the lower bound above the upper", b -> b.updateExpression("SET a = :a")
          .conditionExpression("a BETWEEN :b AND :a").expressionAttributeValues(values(":a", n(1), ":b", n(2)))),
      update("IN with an empty list", b -> b.updateExpression("SET a = :a").conditionExpression("a IN ()")
          .expressionAttributeValues(values(":a", n(1)))),
      update("IN with 100 values", b -> inList(b, 100)),
      update("IN with 101 values", b -> inList(b, 101)),
      update("a comparison of two values", b -> b.updateExpression("SET a = :a").conditionExpression(":a = :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a comparison of a value with a function of a value", b -> b.updateExpression("SET a = :a")
          .conditionExpression("size(:s) = :a").expressionAttributeValues(values(":a", n(1), ":s", s("x")))),
      update("a reserved word in a condition", b -> b.updateExpression("SET a = :a").conditionExpression("status = :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a reserved word in mixed case", b -> b.updateExpression("SET a = :a").conditionExpression("StAtUs = :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a reserved word in a nested path", b -> b.updateExpression("SET a.name = :a").expressionAttributeValues(values(":a", n(1)))),
      update("NOT without an operand", b -> b.updateExpression("SET a = :a").conditionExpression("NOT")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a path with an empty segment", b -> b.updateExpression("SET a..b = :a").expressionAttributeValues(values(":a", n(1)))),
      update("a path with an unclosed index", b -> b.updateExpression("SET a[1 = :a").expressionAttributeValues(values(":a", n(1)))),
      update("a path with a non-numeric index", b -> b.updateExpression("SET a[x] = :a").expressionAttributeValues(values(":a", n(1)))),
      update("a path starting with a digit", b -> b.updateExpression("SET 1a = :a").expressionAttributeValues(values(":a", n(1)))),
      update("a path with a dash", b -> b.updateExpression("SET a-b = :a").expressionAttributeValues(values(":a", n(1)))),
      update("a placeholder that is only a colon", b -> b.updateExpression("SET a = :").expressionAttributeValues(values(":a", n(1)))),
      update("a placeholder that is only a hash", b -> b.updateExpression("SET # = :a").expressionAttributeValues(values(":a", n(1)))),
      update("an expression over 4 KB", b -> b.updateExpression("SET a = :a").conditionExpression(longCondition())
          .expressionAttributeValues(values(":a", n(1)))),
      update("a unicode attribute name", b -> b.updateExpression("SET #u = :a").expressionAttributeNames(names("#u", "naïve ☃"))
          .expressionAttributeValues(values(":a", n(1)))),
      update("a condition on the key and an update of another attribute", b -> b.updateExpression("SET a = :a")
          .conditionExpression("attribute_exists(pk) AND pk = :k").expressionAttributeValues(values(":a", n(1), ":k", s("k")))),
      update("a condition with deeply nested parentheses", b -> b.updateExpression("SET a = :a")
          .conditionExpression("(".repeat(20) + "a = :a" + ")".repeat(20)).expressionAttributeValues(values(":a", n(1)))),
      update("a list index in a condition on a map", b -> b.updateExpression("SET a = :a").conditionExpression("m[0] = :a")
          .expressionAttributeValues(values(":a", n(1)))),
      update("a function name used as a path", b -> b.updateExpression("SET a = :a").conditionExpression("contains = :a")
          .expressionAttributeValues(values(":a", n(1)))));

  static final List<GetRow> PROJECTION_ROWS = List.of(
      new GetRow("a projection repeating a name", b -> b.projectionExpression("a, a")),
      new GetRow("a projection with a path and its parent", b -> b.projectionExpression("m, m.x")),
      new GetRow("a projection repeating a name around another", b -> b.projectionExpression("a, m, a")),
      new GetRow("a projection with two overlapping list paths", b -> b.projectionExpression("l[0], l[0].x")),
      new GetRow("a projection with a reserved word", b -> b.projectionExpression("name")),
      new GetRow("a projection with a value placeholder", b -> b.projectionExpression(":a")),
      new GetRow("a projection with a trailing comma", b -> b.projectionExpression("a,")),
      new GetRow("an empty projection", b -> b.projectionExpression("")),
      new GetRow("a projection and AttributesToGet", b -> b.projectionExpression("a").attributesToGet("a")),
      new GetRow("a projection with an unused name", b -> b.projectionExpression("a").expressionAttributeNames(names("#x", "x"))),
      new GetRow("a projection with a function", b -> b.projectionExpression("size(a)")));

  static final List<QueryRow> QUERY_ROWS = List.of(
      new QueryRow("no key condition", b -> { }),
      new QueryRow("a key condition without the partition key", b -> b.keyConditionExpression("sk = :n")
          .expressionAttributeValues(values(":n", n(1)))),
      new QueryRow("a key condition on a non-key attribute", b -> b.keyConditionExpression("pk = :p AND other = :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("a key condition with OR", b -> b.keyConditionExpression("pk = :p OR sk = :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("a key condition with NOT", b -> b.keyConditionExpression("NOT pk = :p").expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("a range condition on the partition key", b -> b.keyConditionExpression("pk > :p")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("two conditions on the sort key", b -> b.keyConditionExpression("pk = :p AND sk > :n AND sk < :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("the partition key twice", b -> b.keyConditionExpression("pk = :p AND pk = :p")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("<> on the sort key", b -> b.keyConditionExpression("pk = :p AND sk <> :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("IN on the sort key", b -> b.keyConditionExpression("pk = :p AND sk IN (:n)")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("contains on the sort key", b -> b.keyConditionExpression("pk = :p AND contains(sk, :n)")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("begins_with on a number sort key", b -> b.keyConditionExpression("pk = :p AND begins_with(sk, :n)")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("attribute_exists in a key condition", b -> b.keyConditionExpression("pk = :p AND attribute_exists(sk)")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("the partition key with the wrong type", b -> b.keyConditionExpression("pk = :n")
          .expressionAttributeValues(values(":n", n(1)))),
      new QueryRow("the sort key with the wrong type", b -> b.keyConditionExpression("pk = :p AND sk = :s")
          .expressionAttributeValues(values(":p", s("p"), ":s", s("x")))),
      new QueryRow("key condition sides swapped", b -> b.keyConditionExpression(":p = pk").expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("sort key condition sides swapped", b -> b.keyConditionExpression("pk = :p AND :n < sk")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("BETWEEN with reversed bounds", b -> b.keyConditionExpression("pk = :p AND sk BETWEEN :hi AND :lo")
          .expressionAttributeValues(values(":p", s("p"), ":lo", n(1), ":hi", n(2)))),
      new QueryRow("a key condition in parentheses", b -> b.keyConditionExpression("(pk = :p) AND (sk > :n)")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("a filter on the partition key", b -> b.keyConditionExpression("pk = :p").filterExpression("pk = :p")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("a filter on the sort key", b -> b.keyConditionExpression("pk = :p").filterExpression("sk > :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("a filter with a syntax error", b -> b.keyConditionExpression("pk = :p").filterExpression("v = ")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an empty filter", b -> b.keyConditionExpression("pk = :p").filterExpression("")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("a value used only in the filter", b -> b.keyConditionExpression("pk = :p").filterExpression("v = :v")
          .expressionAttributeValues(values(":p", s("p"), ":v", n(1)))),
      new QueryRow("a reserved word in the key condition", b -> b.keyConditionExpression("pk = :p AND sk > :n").filterExpression("name = :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("a key condition using a placeholder name", b -> b.keyConditionExpression("#k = :p")
          .expressionAttributeNames(names("#k", "pk")).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("a filter with a nested path", b -> b.keyConditionExpression("pk = :p").filterExpression("m.x = :n")
          .expressionAttributeValues(values(":p", s("p"), ":n", n(1)))),
      new QueryRow("Limit 0", b -> b.keyConditionExpression("pk = :p").limit(0).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("a negative Limit", b -> b.keyConditionExpression("pk = :p").limit(-1).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("Select COUNT with a projection", b -> b.keyConditionExpression("pk = :p").select("COUNT").projectionExpression("v")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("Select ALL_ATTRIBUTES with a projection", b -> b.keyConditionExpression("pk = :p").select("ALL_ATTRIBUTES")
          .projectionExpression("v").expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("Select SPECIFIC_ATTRIBUTES without a projection", b -> b.keyConditionExpression("pk = :p")
          .select("SPECIFIC_ATTRIBUTES").expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("Select ALL_PROJECTED_ATTRIBUTES on the table", b -> b.keyConditionExpression("pk = :p")
          .select("ALL_PROJECTED_ATTRIBUTES").expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an unknown Select", b -> b.keyConditionExpression("pk = :p").select("SOME")
          .expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an ExclusiveStartKey missing the sort key", b -> b.keyConditionExpression("pk = :p")
          .exclusiveStartKey(item("pk", s("p"))).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an ExclusiveStartKey of another partition", b -> b.keyConditionExpression("pk = :p")
          .exclusiveStartKey(item("pk", s("other"), "sk", n(1))).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an ExclusiveStartKey with an extra attribute", b -> b.keyConditionExpression("pk = :p")
          .exclusiveStartKey(item("pk", s("p"), "sk", n(1), "v", n(1))).expressionAttributeValues(values(":p", s("p")))),
      new QueryRow("an ExclusiveStartKey outside the sort key range", b -> b.keyConditionExpression("pk = :p AND sk > :n")
          .exclusiveStartKey(item("pk", s("p"), "sk", n(0))).expressionAttributeValues(values(":p", s("p"), ":n", n(5)))),
      new QueryRow("an unknown index", b -> b.indexName("no-such-index").keyConditionExpression("pk = :p")
          .expressionAttributeValues(values(":p", s("p")))));

  /** Rows whose error DynamoDB Local words differently from the service (message deviations). */
  static final Map<String, Deviation> MESSAGE_DEVIATIONS = Map.ofEntries(
      Map.entry("a string set with duplicates", Deviation.SET_DUPLICATES_MESSAGE),
      Map.entry("a projection repeating a name around another", Deviation.OVERLAP_MESSAGE_PATHS),
      Map.entry("a key condition without the partition key", Deviation.QUERY_VALIDATION_MESSAGE),
      Map.entry("Limit 0", Deviation.CONSTRAINT_MESSAGE),
      Map.entry("a negative Limit", Deviation.CONSTRAINT_MESSAGE),
      Map.entry("an unknown Select", Deviation.CONSTRAINT_MESSAGE),
      Map.entry("Select COUNT with a projection", Deviation.QUERY_VALIDATION_MESSAGE),
      Map.entry("an ExclusiveStartKey missing the sort key", Deviation.QUERY_VALIDATION_MESSAGE),
      Map.entry("an ExclusiveStartKey of another partition", Deviation.QUERY_VALIDATION_MESSAGE),
      Map.entry("an ExclusiveStartKey with an extra attribute", Deviation.QUERY_VALIDATION_MESSAGE),
      Map.entry("an ExclusiveStartKey outside the sort key range", Deviation.QUERY_VALIDATION_MESSAGE));

  static Scenario marked(Scenario scenario, String rowLabel, String step) {
    Deviation d = MESSAGE_DEVIATIONS.get(rowLabel);
    return d == null ? scenario : scenario.deviates(d, step);
  }

  static void inList(UpdateItemRequest.Builder b, int count) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < count; i++) {
      values.put(":v" + i, n(i));
      list.append(i == 0 ? "" : ", ").append(":v").append(i);
    }
    values.put(":a", n(1));
    b.updateExpression("SET a = :a").conditionExpression("a IN (" + list + ") OR attribute_not_exists(a)").expressionAttributeValues(values);
  }

  static String longCondition() {
    StringBuilder condition = new StringBuilder("a = :a");
    while (condition.length() <= 4096) {
      condition.append(" OR attribute_not_exists(a_rather_long_attribute_name)");
    }
    return condition.toString();
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (UpdateRow row : UPDATE_ROWS) {
      all.add(marked(Scenario.of("update expression: " + row.label(), s -> {
        String t = hashTable(s);
        put(s, t, item("pk", s("k"), "m", m("x", n(1)), "l", l(m("x", n(1)))));
        s.call("update", () -> s.ddb().updateItem(b -> {
          b.tableName(t).key(item("pk", s("k")));
          row.request().accept(b);
        }));
        get(s, "read back", t, "k");
      }), row.label(), "update"));
    }
    for (GetRow row : PROJECTION_ROWS) {
      all.add(marked(Scenario.of("projection expression: " + row.label(), s -> {
        String t = hashTable(s);
        put(s, t, item("pk", s("k"), "a", n(1), "m", m("x", n(1)), "l", l(m("x", n(1)))));
        s.call("get", () -> s.ddb().getItem(b -> {
          b.tableName(t).key(item("pk", s("k"))).consistentRead(true);
          row.request().accept(b);
        }));
      }), row.label(), "get"));
    }
    for (QueryRow row : QUERY_ROWS) {
      all.add(marked(Scenario.of("query expression: " + row.label(), s -> {
        String t = compositeTable(s, ScalarAttributeType.N);
        put(s, t, item("pk", s("p"), "sk", n(1), "v", n(1), "m", m("x", n(1))));
        put(s, t, item("pk", s("p"), "sk", n(7), "v", n(2)));
        s.call("query", () -> s.ddb().query(b -> {
          b.tableName(t);
          row.request().accept(b);
        }));
      }), row.label(), "query"));
    }
    return all;
  }
}
