package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.get;
import static io.flywheel.compat.Fixtures.hashTable;
import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.ItemScenariosTest.used;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * UpdateExpression edge cases, data-driven: each row applies one update expression to the same
 * starting item and records what UpdateItem returned (ALL_NEW) and the item afterwards.
 */
class UpdateScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  /** The item every row starts from. */
  static final Map<String, AttributeValue> START = item(
      "pk", s("k"), "n", n(5), "s", s("str"), "ss", ss("a", "b"), "ns", ns("1", "2"), "bs", bs(b(1), b(2)),
      "l", l(s("l0"), s("l1"), s("l2")), "m", m("a", n(1), "b", m("c", s("deep"))), "lm", l(m("x", n(1))),
      "bool", bool(true), "nul", nul());

  /** Placeholders a row may use; each row sends only those its expression mentions. */
  static final Map<String, AttributeValue> VALUES = item(
      ":one", n(1), ":two", n(2), ":neg", n("-1.5"), ":s", s("v"), ":empty", s(""), ":l", l(s("new")),
      ":ss", ss("c"), ":ssa", ss("a"), ":ssab", ss("a", "b"), ":ns", ns("3"), ":bs", bs(b(3)), ":m", m("z", n(26)),
      ":nul", nul(), ":bool", bool(false), ":b", b(9), ":big", n("9.9999999999999999999999999999999999999E+125"),
      ":tiny", n("1E-130"), ":precise", n("0.00000000000000000000000000000000000001"),
      ":long", n("12345678901234567890123456789012345678"));

  static final Map<String, String> NAMES = names("#n", "n", "#dot", "dotted.name", "#m", "m", "#a", "a", "#sz", "size");

  /** Rows: a label and an update expression against {@link #START}. */
  static final String[][] ROWS = {
      // SET: top level, nested, list elements
      {"SET overwrites a number", "SET n = :one"},
      {"SET adds an attribute", "SET fresh = :s"},
      {"SET with several actions", "SET a = :one, b = :two, c = :s"},
      {"SET an empty string", "SET fresh = :empty"},
      {"SET NULL and BOOL", "SET fresh = :nul, other = :bool"},
      {"SET replaces a set", "SET ss = :ss"},
      {"SET a name with a dot through a placeholder", "SET #dot = :s"},
      {"SET a reserved word through a placeholder", "SET #sz = :one"},
      {"SET an existing nested key", "SET m.a = :two"},
      {"SET a new nested key", "SET m.fresh = :s"},
      {"SET a deep nested key", "SET m.b.c = :s"},
      {"SET through a missing map is invalid", "SET m.missing.x = :s"},
      {"SET under a missing attribute is invalid", "SET nothing.x = :s"},
      {"SET into a scalar is invalid", "SET n.x = :s"},
      {"SET a list element", "SET l[0] = :s"},
      {"SET past the end of a list appends", "SET l[10] = :s"},
      {"SET two positions past the end", "SET l[10] = :s, l[11] = :one"},
      {"SET a map inside a list", "SET lm[0].x = :two"},
      {"SET a key in a list element that is a string is invalid", "SET l[1].x = :s"},
      {"SET an index into a string is invalid", "SET s[0] = :s"},
      {"SET an index into a map is invalid", "SET m[0] = :s"},
      {"SET copies a nested value", "SET m.a = m.b"},
      {"SET an attribute to itself", "SET n = n"},
      {"SET from a missing attribute is invalid", "SET fresh = nothing"},
      // arithmetic
      {"SET addition", "SET n = n + :one"},
      {"SET subtraction to a negative", "SET n = :one - n"},
      {"SET decimal arithmetic", "SET n = n + :neg"},
      {"SET addition of two values", "SET fresh = :one + :two"},
      {"SET addition with a string is invalid", "SET n = s + :one"},
      {"SET addition with a missing attribute is invalid", "SET n = nothing + :one"},
      {"SET addition that overflows", "SET n = :big + :big"},
      {"SET subtraction that loses precision", "SET n = :long - :precise"},
      {"SET addition at the smallest magnitude", "SET n = :tiny + :tiny"},
      // functions
      {"list_append at the end", "SET l = list_append(l, :l)"},
      {"list_append at the front", "SET l = list_append(:l, l)"},
      {"list_append of two values", "SET fresh = list_append(:l, :l)"},
      {"list_append with a string is invalid", "SET l = list_append(l, :s)"},
      {"list_append with a missing list is invalid", "SET l = list_append(nothing, :l)"},
      {"list_append with one argument is invalid", "SET l = list_append(l)"},
      {"if_not_exists keeps an existing value", "SET n = if_not_exists(n, :two)"},
      {"if_not_exists sets a missing value", "SET fresh = if_not_exists(fresh, :two)"},
      {"if_not_exists in arithmetic", "SET fresh = if_not_exists(fresh, :one) + :two"},
      {"if_not_exists on a nested path", "SET m.fresh = if_not_exists(m.fresh, :s)"},
      {"if_not_exists with a value first is invalid", "SET n = if_not_exists(:one, :two)"},
      {"size is not an update function", "SET n = size(s)"},
      {"an unknown function", "SET n = nosuch(s)"},
      {"nested functions", "SET l = list_append(if_not_exists(l, :l), :l)"},
      // REMOVE
      {"REMOVE an attribute", "REMOVE s"},
      {"REMOVE a missing attribute", "REMOVE nothing"},
      {"REMOVE a nested key", "REMOVE m.a"},
      {"REMOVE under a missing map", "REMOVE m.missing.x"},
      {"REMOVE a list element shifts the rest", "REMOVE l[1]"},
      {"REMOVE two list elements", "REMOVE l[0], l[2]"},
      {"REMOVE past the end of a list", "REMOVE l[9]"},
      {"REMOVE an index of a non-list", "REMOVE s[0]"},
      {"REMOVE everything but the key", "REMOVE n, s, ss, ns, bs, l, m, lm, bool, nul"},
      // ADD
      {"ADD to a number", "ADD n :one"},
      {"ADD a negative decimal", "ADD n :neg"},
      {"ADD creates a number", "ADD fresh :one"},
      {"ADD to a string set", "ADD ss :ss"},
      {"ADD members already present", "ADD ss :ssab"},
      {"ADD creates a set", "ADD fresh :ss"},
      {"ADD to a number set", "ADD ns :ns"},
      {"ADD to a binary set", "ADD bs :bs"},
      {"ADD a number to a string is invalid", "ADD s :one"},
      {"ADD a list is invalid", "ADD l :l"},
      {"ADD a string is invalid", "ADD n :s"},
      {"ADD a number set to a string set is invalid", "ADD ss :ns"},
      {"ADD to a nested number", "ADD m.a :one"},
      {"ADD that overflows", "ADD n :big"},
      // DELETE
      {"DELETE a member", "DELETE ss :ssa"},
      {"DELETE a member that is absent", "DELETE ss :ss"},
      {"DELETE every member removes the attribute", "DELETE ss :ssab"},
      {"DELETE from a missing attribute", "DELETE nothing :ss"},
      {"DELETE from a number is invalid", "DELETE n :ss"},
      {"DELETE a number is invalid", "DELETE ss :one"},
      {"DELETE from a number set", "DELETE ns :ns"},
      {"DELETE with a set of another type is invalid", "DELETE ss :ns"},
      {"DELETE a list is invalid", "DELETE l :l"},
      // sections, overlaps and syntax
      {"every section at once", "SET a = :one REMOVE s ADD fresh :one DELETE ss :ssa"},
      {"sections in another order", "DELETE ss :ssa ADD fresh :one REMOVE s SET a = :one"},
      {"lower-case keywords", "set a = :one remove s"},
      {"SET twice is a syntax error", "SET a = :one SET b = :two"},
      {"REMOVE twice is a syntax error", "REMOVE a REMOVE b"},
      {"the same attribute twice overlaps", "SET n = :one, n = :two"},
      {"the same attribute twice with another between", "SET a = :one, t = :one, a = :two"},
      {"SET and REMOVE of one attribute overlap", "SET n = :one REMOVE n"},
      {"a path and its parent overlap", "SET m.a = :one, m = :m"},
      {"ADD and DELETE of one attribute overlap", "ADD ss :ss DELETE ss :ssa"},
      {"two elements of one list do not overlap", "SET l[0] = :s, l[1] = :s"},
      {"the same list element twice overlaps", "REMOVE l[0], l[0]"},
      {"SET and REMOVE of one list element overlap", "SET l[0] = :s REMOVE l[0]"},
      {"placeholders naming the same attribute overlap", "SET #n = :one, n = :two"},
      {"an empty expression", ""},
      {"only a keyword", "SET"},
      {"a missing equals sign", "SET n :one"},
      {"a trailing comma", "SET n = :one,"},
      {"ADD with an equals sign", "ADD n = :one"},
      {"DELETE without a value", "DELETE ss"},
      {"an unknown keyword", "UPSERT n = :one"},
      {"a reserved word as a name", "SET size = :one"},
      {"an undefined placeholder", "SET n = :undefined"},
      {"an undefined name placeholder", "SET #undefined = :one"},
      {"a negative list index", "SET l[-1] = :s"},
      {"a huge list index", "SET l[99999999999] = :s"},
  };

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (String[] row : ROWS) {
      Scenario scenario = Scenario.of("update: " + row[0] + " (" + row[1] + ")", s -> applyUpdate(s, row[1], ReturnValue.ALL_NEW));
      if (row[1].equals("SET size = :one")) {
        scenario = scenario.deviates(Deviation.RESERVED_WORD_SIZE, Expectation.failure("ValidationException",
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size"), "update")
            .deviates(Deviation.RESERVED_WORD_SIZE, Expectation.returnedWithout("size: "), "read back");
      } else if (List.of("SET n = :big + :big", "SET n = :long - :precise", "ADD n :big").contains(row[1])) {
        scenario = scenario.deviates(Deviation.ARITHMETIC_PRECISION_MESSAGE, "update");
      } else if (row[1].equals("SET a = :one, t = :one, a = :two")) {
        scenario = scenario.deviates(Deviation.OVERLAP_MESSAGE_PATHS, "update");
      }
      all.add(scenario);
    }
    // ReturnValues on nested and set updates: which attributes come back.
    String[] returned = {"SET m.a = :two", "SET m.fresh = :s", "REMOVE m.a", "SET l[0] = :s", "REMOVE l[1]", "ADD ss :ss",
        "DELETE ss :ssa", "SET n = n + :one REMOVE nothing", "SET m.b.c = :s, n = :two", "ADD fresh :one", "SET n = n"};
    for (String expression : returned) {
      for (ReturnValue rv : List.of(ReturnValue.UPDATED_OLD, ReturnValue.UPDATED_NEW)) {
        Scenario scenario = Scenario.of("update returns " + rv + ": " + expression, s -> applyUpdate(s, expression, rv));
        String serviceAnswer = NESTED_RETURNS.get(rv + " " + expression);
        if (serviceAnswer != null) {
          scenario = scenario.deviates(Deviation.UPDATED_VALUES_NESTED_PATHS, Expectation.returned(serviceAnswer), "update");
        }
        all.add(scenario);
      }
    }
    return all;
  }

  /**
   * What the service returns where DynamoDB Local returns whole top-level attributes: only the
   * updated paths, within their hierarchy (a removed list element's path shows the element shifted
   * into it). See {@link Deviation#UPDATED_VALUES_NESTED_PATHS}.
   */
  static final Map<String, String> NESTED_RETURNS = Map.of(
      "UPDATED_OLD SET m.a = :two", "{Attributes: {m: {M: {a: {N: 1}}}}}",
      "UPDATED_NEW SET m.a = :two", "{Attributes: {m: {M: {a: {N: 2}}}}}",
      "UPDATED_NEW SET m.fresh = :s", "{Attributes: {m: {M: {fresh: {S: \"v\"}}}}}",
      "UPDATED_OLD REMOVE m.a", "{Attributes: {m: {M: {a: {N: 1}}}}}",
      "UPDATED_OLD SET l[0] = :s", "{Attributes: {l: {L: [{S: \"l0\"}]}}}",
      "UPDATED_NEW SET l[0] = :s", "{Attributes: {l: {L: [{S: \"v\"}]}}}",
      "UPDATED_OLD REMOVE l[1]", "{Attributes: {l: {L: [{S: \"l1\"}]}}}",
      "UPDATED_NEW REMOVE l[1]", "{Attributes: {l: {L: [{S: \"l2\"}]}}}",
      "UPDATED_OLD SET m.b.c = :s, n = :two", "{Attributes: {m: {M: {b: {M: {c: {S: \"deep\"}}}}}, n: {N: 5}}}",
      "UPDATED_NEW SET m.b.c = :s, n = :two", "{Attributes: {m: {M: {b: {M: {c: {S: \"v\"}}}}}, n: {N: 2}}}");

  static void applyUpdate(Session s, String expression, ReturnValue returnValues) {
    String t = hashTable(s);
    put(s, t, START);
    Map<String, AttributeValue> values = used(VALUES, expression);
    Map<String, String> usedNames = used(NAMES, expression);
    s.call("update", () -> s.ddb().updateItem(b -> {
      b.tableName(t).key(item("pk", s("k"))).updateExpression(expression).returnValues(returnValues);
      if (!values.isEmpty()) {
        b.expressionAttributeValues(values);
      }
      if (!usedNames.isEmpty()) {
        b.expressionAttributeNames(usedNames);
      }
    }));
    get(s, "read back", t, "k");
  }
}
