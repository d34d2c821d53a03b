package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.model.expr.LegacyConditions.AttributeUpdate;
import io.flywheel.model.expr.LegacyConditions.ExpectedAttribute;
import io.flywheel.model.expr.LegacyConditions.FilterCondition;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LegacyConditionsTest {
  private static final Map<String, AttributeValue> ITEM = map("s", s("abc"), "l", l(s("a")), "n", n("5"), "ss", ss("a", "b"));

  private static FilterCondition f(String op, AttributeValue... values) {
    return new FilterCondition(op, List.of(values));
  }

  private static boolean filter(String attribute, FilterCondition c) {
    return LegacyConditions.filter(Map.of(attribute, c), null).evaluate(ITEM);
  }

  static Stream<Arguments> filters() {
    return Stream.of(
        Arguments.of("zz", f("NOT_CONTAINS", s("a")), false),
        Arguments.of("s", f("NOT_CONTAINS", s("x")), true),
        Arguments.of("zz", f("NE", s("a")), true),
        Arguments.of("l", f("EQ", l(s("a"))), true),
        Arguments.of("l", f("CONTAINS", s("a")), true),
        Arguments.of("ss", f("CONTAINS", s("b")), true),
        Arguments.of("s", f("EQ", m()), false),
        Arguments.of("s", f("BEGINS_WITH", s("ab")), true),
        Arguments.of("n", f("BETWEEN", n("5"), n("6")), true),
        Arguments.of("n", f("IN", n("4"), n("5")), true),
        Arguments.of("n", f("GT", n("4")), true),
        Arguments.of("n", f("LT", s("4")), false),
        Arguments.of("zz", f("NULL"), true),
        Arguments.of("s", f("NOT_NULL"), true));
  }

  @ParameterizedTest
  @MethodSource("filters")
  void comparisonOperatorsEvaluateLikeDynamoDb(String attribute, FilterCondition condition, boolean expected) {
    assertThat(filter(attribute, condition)).isEqualTo(expected);
  }

  static Stream<Arguments> filterErrors() {
    return Stream.of(
        Arguments.of(f("EQ"), "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"),
        Arguments.of(f("NULL", s("b")),
            "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator"),
        Arguments.of(f("IN"), "One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator"),
        Arguments.of(f("GT", l()), "One or more parameter values were invalid: ComparisonOperator GT is not valid for L AttributeValue type"),
        Arguments.of(f("CONTAINS", ss("b")),
            "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for SS AttributeValue type"),
        Arguments.of(f("BEGINS_WITH", n("1")),
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
        Arguments.of(f("IN", s("abc"), n("1")),
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"),
        Arguments.of(f("BETWEEN", s("b"), s("a")),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"));
  }

  @ParameterizedTest
  @MethodSource("filterErrors")
  void invalidArgumentListsAreRejected(FilterCondition condition, String message) {
    assertThatThrownBy(() -> LegacyConditions.filter(Map.of("s", condition), "AND")).hasMessage(message);
  }

  @Test
  void expectedValueAndExistsFollowDynamoDbsRules() {
    ExpectedAttribute sIsAbc = new ExpectedAttribute(s("abc"), null, null, null);
    ExpectedAttribute zzAbsent = new ExpectedAttribute(null, false, null, null);
    assertThat(LegacyConditions.expected(Map.of("s", sIsAbc, "zz", zzAbsent), null).evaluate(ITEM)).isTrue();
    ExpectedAttribute sIsX = new ExpectedAttribute(s("x"), true, null, null);
    assertThat(LegacyConditions.expected(Map.of("s", sIsX), null).evaluate(ITEM)).isFalse();
    assertThat(LegacyConditions.expected(Map.of("s", sIsX, "zz", zzAbsent), "OR").evaluate(ITEM)).isTrue();
    ExpectedAttribute viaOperator = new ExpectedAttribute(s("ab"), null, "BEGINS_WITH", null);
    assertThat(LegacyConditions.expected(Map.of("s", viaOperator), null).evaluate(ITEM)).isTrue();
    assertThat(LegacyConditions.expected(Map.of(), null).evaluate(ITEM)).isTrue();
  }

  static Stream<Arguments> expectedErrors() {
    return Stream.of(
        Arguments.of(new ExpectedAttribute(null, true, null, null),
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: s"),
        Arguments.of(new ExpectedAttribute(null, null, null, null),
            "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: s"),
        Arguments.of(new ExpectedAttribute(s("abc"), false, null, null),
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: s"),
        Arguments.of(new ExpectedAttribute(null, null, "EQ", null),
            "One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: s"),
        Arguments.of(new ExpectedAttribute(s("a"), true, "EQ", null),
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: s"),
        Arguments.of(new ExpectedAttribute(s("a"), null, "EQ", List.of(s("a"))),
            "One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: s"),
        Arguments.of(new ExpectedAttribute(null, null, null, List.of(s("a"))),
            "One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: s"));
  }

  @ParameterizedTest
  @MethodSource("expectedErrors")
  void invalidExpectedEntriesAreRejected(ExpectedAttribute expected, String message) {
    assertThatThrownBy(() -> LegacyConditions.expected(Map.of("s", expected), null)).hasMessage(message);
  }

  @Test
  void keyConditionsAreCheckedAgainstTheSchema() {
    KeySchema schema = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
    KeyCondition kc = LegacyConditions.keyConditions(Map.of("pk", f("EQ", s("a")), "sk", f("GE", n("1"))), schema);
    assertThat(kc).isEqualTo(new KeyCondition("pk", s("a"),
        new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.GE, List.of(n("1")))));
    assertThatThrownBy(() -> LegacyConditions.keyConditions(Map.of("pk", f("EQ", s("a")), "sk", f("NE", n("1"))), schema))
        .hasMessage("Attempted conditional constraint is not an indexable operation");
    assertThatThrownBy(() -> LegacyConditions.keyConditions(Map.of("sk", f("EQ", n("1"))), schema))
        .hasMessage("Query condition missed key schema element: pk");
  }

  @Test
  void attributeUpdatesPutAddAndDelete() {
    Map<String, AttributeUpdate> updates = new java.util.LinkedHashMap<>();
    updates.put("s", new AttributeUpdate(null, s("new")));
    updates.put("n", new AttributeUpdate("ADD", n("2")));
    updates.put("l", new AttributeUpdate("ADD", l(s("b"))));
    updates.put("ss", new AttributeUpdate("DELETE", ss("a")));
    updates.put("zz", new AttributeUpdate("DELETE", null));
    assertThat(LegacyConditions.attributeUpdates(updates).apply(ITEM))
        .isEqualTo(map("s", s("new"), "l", l(s("a"), s("b")), "n", n("7"), "ss", ss("b")));
    assertThatThrownBy(() -> LegacyConditions.attributeUpdates(Map.of("s", new AttributeUpdate("ADD", n("1")))).apply(ITEM))
        .hasMessage("Type mismatch for attribute to update");
    assertThatThrownBy(() -> LegacyConditions.attributeUpdates(Map.of("s", new AttributeUpdate("ADD", s("x")))))
        .hasMessage("One or more parameter values were invalid: ADD action is not supported for the type S");
    assertThatThrownBy(() -> LegacyConditions.attributeUpdates(Map.of("s", new AttributeUpdate("DELETE", s("x")))))
        .hasMessage("One or more parameter values were invalid: DELETE action with value is not supported for the type S");
    assertThatThrownBy(() -> LegacyConditions.attributeUpdates(Map.of("s", new AttributeUpdate("PUT", null))))
        .hasMessage("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
  }
}
