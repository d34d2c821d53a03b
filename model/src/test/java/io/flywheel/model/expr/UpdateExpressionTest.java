package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpdateExpressionTest {
  private static UpdateExpression parse(String expression) {
    return UpdateExpression.parse(expression, new ExpressionContext(null, values()));
  }

  private static Map<String, AttributeValue> apply(String expression) {
    return parse(expression).apply(sample());
  }

  /** The sample item with some attributes replaced (null removes). */
  private static Map<String, AttributeValue> sampleWith(Object... keysAndValues) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(sample());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] == null) {
        item.remove((String) keysAndValues[i]);
      } else {
        item.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
      }
    }
    return item;
  }

  static Stream<Arguments> parseErrors() {
    return Stream.of(
        Arguments.of("SET", "Syntax error; token: \"<EOF>\", near: \"SET\""),
        Arguments.of("SET a", "Syntax error; token: \"<EOF>\", near: \"a\""),
        Arguments.of("SET a = :v,", "Syntax error; token: \"<EOF>\", near: \",\""),
        Arguments.of("SET a = :n + :n + :n", "Syntax error; token: \"+\", near: \":n + :n\""),
        Arguments.of("SET a = (:n + :n) + :n", "Syntax error; token: \"+\", near: \") + :n\""),
        Arguments.of("SET a = :n, REMOVE b", "Syntax error; token: \"REMOVE\", near: \", REMOVE b\""),
        Arguments.of("SET a = :n REMOVE", "Syntax error; token: \"<EOF>\", near: \"REMOVE\""),
        Arguments.of("SET a = :v SET c = :v", "The \"SET\" section can only be used once in an update expression;"),
        Arguments.of("REMOVE a ADD b :n REMOVE c", "The \"REMOVE\" section can only be used once in an update expression;"),
        Arguments.of("DELETE a :ss DELETE b :ss", "The \"DELETE\" section can only be used once in an update expression;"),
        Arguments.of("ADD a :v",
            "Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
        Arguments.of("ADD a :l",
            "Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"),
        Arguments.of("DELETE a :n",
            "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
        Arguments.of("SET a = :v, a.b = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        Arguments.of("DELETE a :n, a :ss",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        Arguments.of("SET a = :undefined, a = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        Arguments.of("SET a = :v + :n, a = :n",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        Arguments.of("SET a.b = :v, a = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"),
        Arguments.of("SET a[1] = :v, a.b = :v",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]"),
        Arguments.of("SET a.b = :v REMOVE a.b",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, b]"),
        Arguments.of("REMOVE a[1], a[1]",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, [1]]"),
        Arguments.of("SET a = :v ADD a :n",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        Arguments.of("SET a = :v + :n", "Incorrect operand type for operator or function; operator or function: +, operand type: S"),
        Arguments.of("SET a = :n - :v", "Incorrect operand type for operator or function; operator or function: -, operand type: S"),
        Arguments.of("SET a = list_append(:n, :l)",
            "Incorrect operand type for operator or function; operator or function: list_append, operand type: N"),
        Arguments.of("SET a = list_append(:l)",
            "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"),
        Arguments.of("SET a = if_not_exists(:v, :n)",
            "Operator or function requires a document path; operator or function: if_not_exists"),
        Arguments.of("SET a = if_not_exists(b)",
            "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"),
        Arguments.of("SET a = ((:n))", "The expression has redundant parentheses;"),
        Arguments.of("SET a = size(b)", "The function is not allowed in an update expression; function: size"),
        Arguments.of("SET a = attribute_exists(b)", "The function is not allowed in an update expression; function: attribute_exists"),
        Arguments.of("SET a = foo(b)", "Invalid function name; function: foo"),
        Arguments.of("SET a = :zz", "An expression attribute value used in expression is not defined; attribute value: :zz"),
        Arguments.of("SET #n = :v", "An expression attribute name used in the document path is not defined; attribute name: #n"),
        Arguments.of("SET name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        Arguments.of("", "The expression can not be empty;"));
  }

  @ParameterizedTest
  @MethodSource("parseErrors")
  void invalidUpdateExpressionsFailWithDynamoDbsMessages(String expression, String message) {
    assertThatThrownBy(() -> parse(expression))
        .isInstanceOf(DynamoException.class)
        .hasMessage("Invalid UpdateExpression: " + message);
  }

  static Stream<Arguments> applyErrors() {
    return Stream.of(
        Arguments.of("SET z.b = :v", UpdateExpression.INVALID_PATH),
        Arguments.of("SET s.b = :v", UpdateExpression.INVALID_PATH),
        Arguments.of("SET m.y[0].q = :v", UpdateExpression.INVALID_PATH),
        Arguments.of("SET l[0][0] = :v", UpdateExpression.INVALID_PATH),
        Arguments.of("SET z[0] = :v", UpdateExpression.INVALID_PATH),
        Arguments.of("REMOVE z.b", UpdateExpression.INVALID_PATH),
        Arguments.of("REMOVE s.b", UpdateExpression.INVALID_PATH),
        Arguments.of("REMOVE s[0]", UpdateExpression.INVALID_PATH),
        Arguments.of("ADD q.zz :n", UpdateExpression.INVALID_PATH),
        Arguments.of("SET a.b.c = if_not_exists(a, :v)", UpdateExpression.INVALID_PATH),
        Arguments.of("ADD s :n", UpdateExpression.WRONG_TYPE),
        Arguments.of("ADD ss :ns", UpdateExpression.WRONG_TYPE),
        Arguments.of("ADD m :n", UpdateExpression.WRONG_TYPE),
        Arguments.of("ADD l[0] :n", UpdateExpression.WRONG_TYPE),
        Arguments.of("DELETE ss :ns", UpdateExpression.WRONG_TYPE),
        Arguments.of("DELETE s :ss", UpdateExpression.WRONG_TYPE),
        Arguments.of("SET a = :n + s", UpdateExpression.WRONG_TYPE),
        Arguments.of("SET a = list_append(l, s)", UpdateExpression.WRONG_TYPE),
        Arguments.of("SET a = zz", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET a = m.q", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET a = :n + zz", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET a = list_append(zz, :l)", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET a = :v, b = a", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET m.y[0] = m.y[3]", UpdateExpression.MISSING_ATTRIBUTE),
        // Operands are checked left to right: the first one's problem is reported.
        Arguments.of("SET a = l[1] + l[9]", UpdateExpression.WRONG_TYPE),
        Arguments.of("SET a = l[9] + s", UpdateExpression.MISSING_ATTRIBUTE),
        Arguments.of("SET a = list_append(s, zz)", UpdateExpression.WRONG_TYPE),
        Arguments.of("SET a = list_append(zz, s)", UpdateExpression.MISSING_ATTRIBUTE),
        // A SET's target is checked before its value.
        Arguments.of("SET zz.x = zz + :n", UpdateExpression.INVALID_PATH),
        Arguments.of("SET s.x = s + :n", UpdateExpression.INVALID_PATH));
  }

  @ParameterizedTest
  @MethodSource("applyErrors")
  void updatesThatDoNotFitTheItemFailWithoutAnExpressionPrefix(String expression, String message) {
    UpdateExpression update = parse(expression);
    assertThatThrownBy(() -> update.apply(sample())).isInstanceOf(DynamoException.class).hasMessage(message);
  }

  static Stream<Arguments> applications() {
    return Stream.of(
        Arguments.of("SET l[10] = :v", sampleWith("l", l(s("a"), s("b"), s("c"), s("a")))),
        Arguments.of("SET l[1] = :v", sampleWith("l", l(s("a"), s("a"), s("c")))),
        Arguments.of("REMOVE l[10]", sample()),
        Arguments.of("REMOVE zz, m.zz", sample()),
        Arguments.of("ADD ss :ss", sample()),
        Arguments.of("ADD ss :sse, ns :ns", sampleWith("ns", ns("1", "2", "3"))),
        Arguments.of("ADD zz :ss", sampleWith("zz", ss("a"))),
        Arguments.of("ADD zz :n", sampleWith("zz", n("1"))),
        Arguments.of("ADD n :n", sampleWith("n", n("6"))),
        Arguments.of("ADD m.zz :n", sampleWith("m", m("x", n("1"), "y", l(n("1"), m("p", n("1"), "q", n("2"))), "zz", n("1")))),
        Arguments.of("ADD l[7] :n", sampleWith("l", l(s("a"), s("b"), s("c"), n("1")))),
        Arguments.of("DELETE ss :sse", sampleWith("ss", null)),
        Arguments.of("DELETE ss :ss", sampleWith("ss", ss("b"))),
        Arguments.of("DELETE zz :ss, l[7] :ss", sample()),
        Arguments.of("SET a = list_append(:l, l)", sampleWith("a", l(s("x"), s("a"), s("b"), s("c")))),
        Arguments.of("SET a = list_append(l, :l)", sampleWith("a", l(s("a"), s("b"), s("c"), s("x")))),
        Arguments.of("SET a = if_not_exists(s.b, :v)", sampleWith("a", s("a"))),
        Arguments.of("SET a = if_not_exists(s, :v)", sampleWith("a", s("str"))),
        Arguments.of("SET a = if_not_exists(zz, :n) + :n", sampleWith("a", n("2"))),
        Arguments.of("REMOVE l[0], l[2]", sampleWith("l", l(s("b")))),
        Arguments.of("REMOVE l[1], l[0]", sampleWith("l", l(s("c")))),
        Arguments.of("SET l[0] = :v, l[1] = :l", sampleWith("l", l(s("a"), l(s("x")), s("c")))),
        Arguments.of("SET m.y[5] = :v", sampleWith("m", m("x", n("1"), "y", l(n("1"), m("p", n("1"), "q", n("2")), s("a"))))),
        Arguments.of("REMOVE m.y[0], m.x", sampleWith("m", m("y", l(m("p", n("1"), "q", n("2")))))),
        Arguments.of("SET a = n - :n", sampleWith("a", n("4"))),
        Arguments.of("SET l[1] = :v REMOVE l[0]", sampleWith("l", l(s("a"), s("c")))),
        Arguments.of("SET l[5] = :v, l[4] = :n", sampleWith("l", l(s("a"), s("b"), s("c"), n("1"), s("a")))),
        Arguments.of("SET a = s, s = :v", sampleWith("a", s("str"), "s", s("a"))),
        Arguments.of("SET a = (:n) + (:n)", sampleWith("a", n("2"))),
        Arguments.of("SET a = (:n + :n)", sampleWith("a", n("2"))),
        Arguments.of("SET a = list_append((l), :l)", sampleWith("a", l(s("a"), s("b"), s("c"), s("x")))),
        Arguments.of("set a = :v remove n add zz :n delete ss :ss",
            sampleWith("a", s("a"), "n", null, "zz", n("1"), "ss", ss("b"))),
        Arguments.of("DELETE ss :ss ADD zz :n REMOVE n SET a = :v",
            sampleWith("a", s("a"), "n", null, "zz", n("1"), "ss", ss("b"))));
  }

  @ParameterizedTest
  @MethodSource("applications")
  void updatesApplyWithDynamoDbsSemantics(String expression, Map<String, AttributeValue> expected) {
    assertThat(apply(expression)).isEqualTo(expected);
  }

  @Test
  void updatingAMissingItemStartsFromNothing() {
    assertThat(parse("SET a = :v ADD c :n, d :ss").apply(Map.of())).isEqualTo(map("a", s("a"), "c", n("1"), "d", ss("a")));
    assertThatThrownBy(() -> parse("SET a.b = :v").apply(Map.of())).hasMessage(UpdateExpression.INVALID_PATH);
  }

  @Test
  void theOldItemIsNotModified() {
    Map<String, AttributeValue> old = sample();
    parse("SET m.y[1].q = :v REMOVE l[0] ADD ss :sse").apply(old);
    assertThat(old).isEqualTo(sample());
  }

  @Test
  void numberOverflowInArithmeticIsDynamoDbsError() {
    ExpressionContext ctx = new ExpressionContext(null, Map.of(":big", n("9.9999999999999999999999999999999999999E+125")));
    UpdateExpression update = UpdateExpression.parse("SET a = :big + :big", ctx);
    assertThatThrownBy(() -> update.apply(Map.of()))
        .hasMessage("Number overflow. Attempting to store a number with magnitude larger than supported range");
  }

  @Test
  void itReportsTheTopLevelAttributesItTouches() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#k", "pk"), values());
    UpdateExpression update = UpdateExpression.parse("SET a.b = :v, #k = :v REMOVE c[1] ADD d :n DELETE e :ss", ctx);
    assertThat(update.topLevelAttributesTouched()).containsExactly("a", "pk", "c", "d", "e");
  }
}
