package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProjectionTest {
  private static Map<String, AttributeValue> project(String expression) {
    return Projection.parse(expression, ExpressionContext.empty()).apply(sample());
  }

  static Stream<Arguments> projections() {
    return Stream.of(
        Arguments.of("s, n", map("s", s("str"), "n", n("5"))),
        Arguments.of("l[0], l[2], l[9]", map("l", l(s("a"), s("c")))),
        Arguments.of("l[2], l[0]", map("l", l(s("a"), s("c")))),
        Arguments.of("m.y[1].q, m.x", map("m", m("x", n("1"), "y", l(m("q", n("2")))))),
        Arguments.of("m.zz", map()),
        Arguments.of("m.y[5]", map()),
        Arguments.of("m.y[1].zz, m.x", map("m", m("x", n("1")))),
        Arguments.of("s.x", map()),
        Arguments.of("l[0][1]", map()),
        Arguments.of("zz, s", map("s", s("str"))));
  }

  @ParameterizedTest
  @MethodSource("projections")
  void projectionKeepsTheSelectedPartsAndCompactsListElements(String expression, Map<String, AttributeValue> expected) {
    assertThat(project(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("a, a",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        Arguments.of("a.b, a",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"),
        Arguments.of("l[1], l.a",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [1]], path two: [l, a]"),
        Arguments.of("l[1].a, l[1][0]",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [1], a], path two: [l, [1], [0]]"),
        Arguments.of("a, :v", "Syntax error; token: \":v\", near: \", :v\""),
        Arguments.of("size(a)", "Syntax error; token: \"(\", near: \"size(a\""),
        Arguments.of("a,", "Syntax error; token: \"<EOF>\", near: \",\""),
        Arguments.of(",a", "Syntax error; token: \",\", near: \",a\""),
        Arguments.of("name", "Attribute name is a reserved keyword; reserved keyword: name"),
        Arguments.of("#n", "An expression attribute name used in the document path is not defined; attribute name: #n"),
        Arguments.of("", "The expression can not be empty;"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void invalidProjectionsFailWithDynamoDbsMessages(String expression, String message) {
    assertThatThrownBy(() -> Projection.parse(expression, ExpressionContext.empty()))
        .isInstanceOf(DynamoException.class)
        .hasMessage("Invalid ProjectionExpression: " + message);
  }

  @Test
  void placeholdersSelectReservedAndOddNames() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#n", "name", "#d", "a.b"), null);
    Projection p = Projection.parse("#n, #d", ctx);
    assertThat(p.apply(map("name", s("x"), "a.b", s("y"), "a", m("b", s("z"))))).isEqualTo(map("name", s("x"), "a.b", s("y")));
    ctx.checkAllUsed();
  }

  @Test
  void attributesToGetSelectsTopLevelNamesLiterally() {
    Projection p = Projection.ofAttributes(List.of("name", "a.b"));
    assertThat(p.apply(map("name", s("x"), "a.b", s("y"), "c", s("z")))).isEqualTo(map("name", s("x"), "a.b", s("y")));
    assertThatThrownBy(() -> Projection.ofAttributes(List.of("a", "a")))
        .hasMessage("One or more parameter values were invalid: Duplicate value in attribute name: a");
  }
}
