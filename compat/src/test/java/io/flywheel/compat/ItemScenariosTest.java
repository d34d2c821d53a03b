package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.get;
import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.b;
import static io.flywheel.compat.Values.bool;
import static io.flywheel.compat.Values.bs;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.m;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.names;
import static io.flywheel.compat.Values.ns;
import static io.flywheel.compat.Values.nul;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** PutItem, GetItem, UpdateItem and DeleteItem: conditions, every ReturnValues, projections. */
class ItemScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  static final Map<String, AttributeValue> EVERY_TYPE = item(
      "pk", s("every-type"), "s", s("héllo ☃"), "n", n("-12.50"), "big", n("12345678901234567890123456789012345678"),
      "tiny", n("1E-130"), "b", b(0, 1, 255), "bool", bool(true), "null", nul(),
      "l", l(s("x"), n("2"), l(), m()), "m", m("inner", m("deep", bool(false))),
      "ss", ss("b", "a"), "ns", ns("2.50", "1", "-0"), "bs", bs(b(2), b(1)), "empty-s", s(""), "empty-b", b());

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    all.add(Scenario.of("put then get returns every attribute type in canonical form", s -> {
      String t = hashTable(s);
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(EVERY_TYPE)));
      get(s, "strong read", t, "every-type");
      s.call("eventual read", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("every-type")))));
    }));
    all.add(Scenario.of("get of a missing item has no Item", s -> {
      String t = hashTable(s);
      get(s, "read", t, "nothing-here");
    }));
    all.add(Scenario.of("put replaces the whole item and ALL_OLD returns the old one", s -> {
      String t = hashTable(s);
      s.call("first put ALL_OLD", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "a", n(1)))
          .returnValues(ReturnValue.ALL_OLD)));
      s.call("second put ALL_OLD", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "b", n(2)))
          .returnValues(ReturnValue.ALL_OLD)));
      s.call("third put NONE", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "c", n(3)))
          .returnValues(ReturnValue.NONE)));
      get(s, "read", t, "k");
    }));
    for (ReturnValue rv : List.of(ReturnValue.ALL_NEW, ReturnValue.UPDATED_OLD, ReturnValue.UPDATED_NEW)) {
      all.add(Scenario.of("put rejects ReturnValues " + rv, s -> {
        String t = hashTable(s);
        s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"))).returnValues(rv)));
        get(s, "nothing written", t, "k");
      }).deviates(Deviation.RETURN_VALUES_MESSAGE, "put"));
      all.add(Scenario.of("delete rejects ReturnValues " + rv, s -> {
        String t = hashTable(s);
        put(s, t, item("pk", s("k")));
        s.call("delete", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).returnValues(rv)));
        get(s, "still there", t, "k");
      }).deviates(Deviation.RETURN_VALUES_MESSAGE, "delete"));
    }
    all.add(Scenario.of("put rejects an unknown ReturnValues string", s -> {
      String t = hashTable(s);
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"))).returnValues("EVERYTHING")));
    }).deviates(Deviation.CONSTRAINT_MESSAGE, "put"));
    all.add(Scenario.of("delete returns the deleted item with ALL_OLD, nothing the second time", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("k"), "v", n(7), "ss", ss("x")));
      s.call("delete ALL_OLD", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).returnValues(ReturnValue.ALL_OLD)));
      s.call("delete again ALL_OLD", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k"))).returnValues(ReturnValue.ALL_OLD)));
      get(s, "gone", t, "k");
    }).deviates(Deviation.UNREQUESTED_CONSUMED_CAPACITY, Expectation.returned("{}"), "delete again ALL_OLD"));

    // Conditions on writes.
    all.add(Scenario.of("attribute_not_exists on the key guards creation", s -> {
      String t = hashTable(s);
      s.call("create", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", n(1)))
          .conditionExpression("attribute_not_exists(pk)")));
      s.call("create again", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", n(2)))
          .conditionExpression("attribute_not_exists(pk)")));
      s.call("create again returning the old item", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k"), "v", n(3)))
          .conditionExpression("attribute_not_exists(pk)")
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
      get(s, "first value kept", t, "k");
    }));
    all.add(Scenario.of("attribute_exists fails on a missing item and returns no item", s -> {
      String t = hashTable(s);
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k")))
          .conditionExpression("attribute_exists(pk)")
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
      s.call("delete", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .conditionExpression("attribute_exists(pk)")));
      s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .updateExpression("SET v = :v").expressionAttributeValues(item(":v", n(1)))
          .conditionExpression("attribute_exists(pk)")
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
      get(s, "nothing created", t, "k");
    }));
    all.add(Scenario.of("conditional delete with a comparison", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("k"), "version", n(3)));
      s.call("wrong version", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .conditionExpression("version = :v").expressionAttributeValues(item(":v", n(2)))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
      s.call("right version", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .conditionExpression("version = :v").expressionAttributeValues(item(":v", n("3.0")))
          .returnValues(ReturnValue.ALL_OLD)));
      get(s, "gone", t, "k");
    }));

    // Condition functions and operators, data-driven: each row is a condition against one item.
    Map<String, AttributeValue> subject = item("pk", s("k"), "name", s("flywheel"), "count", n(5), "tags", ss("a", "b"),
        "nums", ns("1", "2"), "list", l(s("x"), n(1)), "map", m("inner", s("v"), "n", n(2)), "flag", bool(false),
        "nothing", nul(), "bin", b(1, 2, 3), "empty", s(""));
    String[][] conditions = {
        {"begins_with on a string", "begins_with(#name, :prefix)"},
        {"begins_with that does not match", "begins_with(#name, :other)"},
        {"begins_with on a binary", "begins_with(bin, :binprefix)"},
        {"contains on a string", "contains(#name, :sub)"},
        {"contains on a string set", "contains(tags, :a)"},
        {"contains on a number set with a number", "contains(nums, :one)"},
        {"contains on a list", "contains(#list, :x)"},
        {"contains with a type that cannot match", "contains(tags, :one)"},
        {"size of a string", "size(#name) = :eight"},
        {"size of a set", "size(tags) = :two"},
        {"size of a list", "size(#list) = :two"},
        {"size of a map", "size(#map) = :two"},
        {"size of a binary", "size(bin) = :three"},
        {"size of a number is false", "size(#count) = :one"},
        {"size of a missing attribute is false", "size(missing) >= :zero"},
        {"attribute_type S", "attribute_type(#name, :typeS)"},
        {"attribute_type NULL", "attribute_type(nothing, :typeNULL)"},
        {"attribute_type mismatch", "attribute_type(#count, :typeS)"},
        {"nested path equality", "#map.inner = :v"},
        {"list index", "#list[0] = :x"},
        {"list index past the end", "attribute_not_exists(#list[5])"},
        {"BETWEEN", "#count BETWEEN :one AND :eight"},
        {"BETWEEN with bounds reversed", "#count BETWEEN :eight AND :one"},
        {"IN", "#count IN (:one, :two, :five)"},
        {"IN that does not match", "#count IN (:one, :two)"},
        {"NOT and OR precedence", "NOT #count = :one OR #count = :two AND flag = :true"},
        {"parentheses change precedence", "(NOT #count = :one OR #count = :two) AND flag = :true"},
        {"comparison across types is false", "#count < :x"},
        {"not equal across types is true", "#count <> :x"},
        {"comparison with a missing attribute is false", "missing < :one"},
        {"not equal with a missing attribute is true", "missing <> :one"},
        {"string ordering is by code point", "#name > :upper"},
        {"number equality ignores representation", "#count = :fiveWithZeros"},
        {"set equality ignores order", "tags = :ba"},
        {"map equality", "#map = :mapValue"},
        {"boolean equality", "flag = :false"},
        {"NULL equality", "nothing = :null"},
        {"empty string equality", "empty = :empty"},
        {"comparison of two paths", "#count > size(#name)"},
        {"a key attribute in a condition", "pk = :k AND attribute_exists(pk)"},
        {"size in a comparison on the right", ":two < size(#name)"},
    };
    Map<String, String> conditionNames = names("#name", "name", "#count", "count", "#list", "list", "#map", "map");
    Map<String, AttributeValue> conditionValues = item(":prefix", s("fly"), ":other", s("wheel"), ":binprefix", b(1, 2),
        ":sub", s("wheel"), ":a", s("a"), ":one", n(1), ":x", s("x"), ":two", n(2), ":three", n(3), ":eight", n(8),
        ":zero", n(0), ":typeS", s("S"), ":typeNULL", s("NULL"), ":v", s("v"), ":five", n(5), ":true", bool(true),
        ":false", bool(false), ":upper", s("Flywheel"), ":fiveWithZeros", n("5.000"), ":ba", ss("b", "a"),
        ":mapValue", m("n", n("2.0"), "inner", s("v")), ":null", nul(), ":empty", s(""), ":k", s("k"));
    for (String[] row : conditions) {
      String label = row[0];
      String condition = row[1];
      all.add(Scenario.of("condition: " + label, s -> {
        String t = hashTable(s);
        put(s, t, subject);
        Map<String, String> usedNames = used(conditionNames, condition);
        Map<String, AttributeValue> usedValues = used(conditionValues, condition);
        s.call("conditional update", () -> s.ddb().updateItem(b -> {
          b.tableName(t).key(item("pk", s("k"))).updateExpression("SET checked = :checked")
              .conditionExpression(condition).returnValues(ReturnValue.UPDATED_NEW);
          Map<String, AttributeValue> values = new java.util.LinkedHashMap<>(usedValues);
          values.put(":checked", bool(true));
          b.expressionAttributeValues(values);
          if (!usedNames.isEmpty()) {
            b.expressionAttributeNames(usedNames);
          }
        }));
      }));
    }

    // UpdateItem and ReturnValues.
    all.add(Scenario.of("update creates a missing item", s -> {
      String t = hashTable(s);
      s.call("update ALL_NEW", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .updateExpression("SET #c = :one, tags = :tags").expressionAttributeNames(names("#c", "count"))
          .expressionAttributeValues(item(":one", n(1), ":tags", l())).returnValues(ReturnValue.ALL_NEW)));
      get(s, "read", t, "k");
    }));
    all.add(Scenario.of("update without an update expression creates the bare key", s -> {
      String t = hashTable(s);
      s.call("update ALL_NEW", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).returnValues(ReturnValue.ALL_NEW)));
      get(s, "read", t, "k");
    }));
    for (ReturnValue rv : List.of(ReturnValue.NONE, ReturnValue.ALL_OLD, ReturnValue.ALL_NEW, ReturnValue.UPDATED_OLD, ReturnValue.UPDATED_NEW)) {
      all.add(Scenario.of("update returns " + rv + " for top-level changes", s -> {
        String t = hashTable(s);
        put(s, t, item("pk", s("k"), "a", n(1), "b", s("same"), "c", s("removed"), "keep", s("untouched")));
        s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
            .updateExpression("SET a = a + :one, b = :same, d = :new REMOVE c, never")
            .expressionAttributeValues(item(":one", n(1), ":same", s("same"), ":new", s("d")))
            .returnValues(rv)));
        get(s, "read", t, "k");
      }));
      all.add(Scenario.of("update returns " + rv + " when it creates the item", s -> {
        String t = hashTable(s);
        s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("new")))
            .updateExpression("SET a = :one").expressionAttributeValues(item(":one", n(1))).returnValues(rv)));
      }));
    }
    all.add(Scenario.of("update of a key attribute is rejected", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("k")));
      s.call("SET the key", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .updateExpression("SET pk = :v").expressionAttributeValues(item(":v", s("other")))));
      s.call("REMOVE the key", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).updateExpression("REMOVE pk")));
      s.call("SET the key to itself", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .updateExpression("SET pk = :v").expressionAttributeValues(item(":v", s("k")))));
    }));
    all.add(Scenario.of("failed conditional update returns ALL_OLD in the error and changes nothing", s -> {
      String t = hashTable(s);
      put(s, t, item("pk", s("k"), "v", n(1), "m", m("x", n(1))));
      s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k")))
          .updateExpression("SET v = :two").conditionExpression("v = :two").expressionAttributeValues(item(":two", n(2)))
          .returnValues(ReturnValue.ALL_NEW).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
      get(s, "unchanged", t, "k");
    }));

    // Projections on GetItem.
    String[][] projections = {
        {"top-level names", "a, c"},
        {"a nested map path", "m.x.y"},
        {"a list index", "l[1]"},
        {"list indexes out of range", "l[7]"},
        {"paths into the same map", "m.x.y, m.z"},
        {"paths into the same list", "l[2], l[0]"},
        {"a name that is missing", "zzz"},
        {"a path through a scalar", "a.b"},
        {"names with placeholders", "#a, #dot"},
        {"the key", "pk"},
    };
    for (String[] row : projections) {
      all.add(Scenario.of("projection: " + row[0], s -> {
        String t = hashTable(s);
        put(s, t, item("pk", s("k"), "a", n(1), "c", s("c"), "m", m("x", m("y", n(1), "w", n(2)), "z", s("z")),
            "l", l(s("l0"), s("l1"), m("deep", s("d"))), "dot.name", s("dotted")));
        Map<String, String> usedNames = used(names("#a", "a", "#dot", "dot.name"), row[1]);
        s.call("get", () -> s.ddb().getItem(b -> {
          b.tableName(t).key(item("pk", s("k"))).projectionExpression(row[1]).consistentRead(true);
          if (!usedNames.isEmpty()) {
            b.expressionAttributeNames(usedNames);
          }
        }));
      }));
    }

    // Consumed capacity.
    all.add(Scenario.of("consumed capacity of item operations", s -> {
      String t = hashTable(s);
      Map<String, AttributeValue> big = item("pk", s("k"), "blob", s("x".repeat(5000)));
      s.call("put 5 KB", () -> s.ddb().putItem(b -> b.tableName(t).item(big).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
      s.call("strong get", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k"))).consistentRead(true)
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
      s.call("eventual get", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k")))
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
      s.call("get missing", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("none")))
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
      s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).updateExpression("REMOVE blob")
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
      s.call("delete", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))
          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)));
      s.call("put NONE", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k2"))).returnConsumedCapacity(ReturnConsumedCapacity.NONE)));
    }));
    all.add(Scenario.of("requests against a missing table", s -> {
      String t = s.table("never-created");
      s.call("get", () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s("k")))));
      s.call("put", () -> s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("k")))));
      s.call("update", () -> s.ddb().updateItem(b -> b.tableName(t).key(item("pk", s("k"))).updateExpression("SET a = :a")
          .expressionAttributeValues(item(":a", n(1)))));
      s.call("delete", () -> s.ddb().deleteItem(b -> b.tableName(t).key(item("pk", s("k")))));
    }).deviates(Deviation.MISSING_TABLE_MESSAGE, "get", "put", "update", "delete"));
    return all;
  }

  /** The entries of {@code all} whose placeholder occurs in {@code expression}. */
  static <V> Map<String, V> used(Map<String, V> all, String expression) {
    Map<String, V> used = new java.util.LinkedHashMap<>();
    all.forEach((placeholder, value) -> {
      if (java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(placeholder) + "(?![A-Za-z0-9_])").matcher(expression).find()) {
        used.put(placeholder, value);
      }
    });
    return used;
  }
}
