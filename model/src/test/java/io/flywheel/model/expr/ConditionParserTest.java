package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionParserTest {
  private static Condition parse(String expression) {
    return ConditionParser.parse(expression, ExpressionKind.CONDITION, new ExpressionContext(null, values()));
  }

  private static boolean eval(String expression) {
    return parse(expression).evaluate(sample());
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("a = ", "Syntax error; token: \"<EOF>\", near: \"= \""),
        Arguments.of("a = = b", "Syntax error; token: \"=\", near: \"= = b\""),
        Arguments.of("a < b and and c > d", "Syntax error; token: \"and\", near: \"and and c\""),
        Arguments.of("a <", "Syntax error; token: \"<EOF>\", near: \"<\""),
        Arguments.of("a.b[1].c = b AND c.d = e OR f = g h", "Syntax error; token: \"h\", near: \"g h\""),
        Arguments.of(") a = b", "Syntax error; token: \")\", near: \") a\""),
        Arguments.of("a = b)", "Syntax error; token: \")\", near: \"b)\""),
        Arguments.of("  a   =   b   c   d  ", "Syntax error; token: \"c\", near: \"b   c   d\""),
        Arguments.of("a = b AND   ", "Syntax error; token: \"<EOF>\", near: \"AND   \""),
        Arguments.of("a BETWEEN b", "Syntax error; token: \"<EOF>\", near: \"b\""),
        Arguments.of("a IN ()", "Syntax error; token: \")\", near: \"()\""),
        Arguments.of("a = 'x'", "Syntax error; token: \"'\", near: \"= 'x\""),
        Arguments.of("a = 5", "Syntax error; token: \"5\", near: \"= 5\""),
        Arguments.of("a.5 = b", "Syntax error; token: \"5\", near: \".5 =\""),
        Arguments.of("a[x] = b", "Syntax error; token: \"x\", near: \"[x]\""),
        Arguments.of("a[-1] = b", "Syntax error; token: \"-\", near: \"[-1\""),
        Arguments.of("a[1.5] = b", "Syntax error; token: \".\", near: \"1.5\""),
        Arguments.of("a@b = c", "Syntax error; token: \"@\", near: \"a@b\""),
        Arguments.of("NOT a", "Syntax error; token: \"<EOF>\", near: \"a\""),
        Arguments.of("a = b = c", "Syntax error; token: \"=\", near: \"b = c\""),
        Arguments.of("a = b AND (c = d", "Syntax error; token: \"<EOF>\", near: \"d\""),
        Arguments.of("a.b. = c", "Syntax error; token: \"=\", near: \". = c\""),
        Arguments.of("attribute_exists a", "Syntax error; token: \"a\", near: \"attribute_exists a\""),
        Arguments.of("a IN b", "Syntax error; token: \"b\", near: \"IN b\""),
        Arguments.of("(a)", "Syntax error; token: \"<EOF>\", near: \")\""),
        Arguments.of("a AND b", "Syntax error; token: \"AND\", near: \"a AND b\""),
        Arguments.of("attribute_exists()", "Syntax error; token: \")\", near: \"()\""),
        Arguments.of("and = b", "Syntax error; token: \"and\", near: \"and =\""),
        Arguments.of("a_1 = _b", "Syntax error; token: \"_\", near: \"= _b\""),
        Arguments.of("abc:d = e", "Syntax error; token: \":d\", near: \"abc:d =\""),
        Arguments.of(":v1: = a", "Syntax error; token: \":\", near: \":v1: =\""),
        Arguments.of("   ", "Syntax error; token: \"<EOF>\", near: \"   \""));
  }

  @ParameterizedTest
  @MethodSource("syntaxErrors")
  void syntaxErrorsNameTheTokenAndTheTextAroundItAsDynamoDbDoes(String expression, String message) {
    assertThatThrownBy(() -> parse(expression))
        .isInstanceOf(DynamoException.class)
        .hasMessage("Invalid ConditionExpression: " + message)
        .extracting(e -> ((DynamoException) e).code())
        .isEqualTo(ErrorCode.VALIDATION);
  }

  static Stream<Arguments> semanticErrors() {
    return Stream.of(
        Arguments.of("", "The expression can not be empty;"),
        Arguments.of("foo(a)", "Invalid function name; function: foo"),
        Arguments.of("Size(a) = :n", "Invalid function name; function: Size"),
        Arguments.of("begins_with(a)",
            "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"),
        Arguments.of("size(a, b) = :n",
            "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2"),
        Arguments.of("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
        Arguments.of("attribute_exists(a) = b",
            "The function is not allowed to be used this way in an expression; function: attribute_exists"),
        Arguments.of("if_not_exists(a, :v) = :v",
            "The function is not allowed in a condition expression; function: if_not_exists"),
        Arguments.of("((a = b))", "The expression has redundant parentheses;"),
        Arguments.of("a = ((b))", "The expression has redundant parentheses;"),
        Arguments.of("((a = :v)) AND foo(b)", "The expression has redundant parentheses;"),
        Arguments.of("size(a) = :zz AND foo(b)", "Invalid function name; function: foo"),
        Arguments.of("size(a) AND name = :v", "The function is not allowed to be used this way in an expression; function: size"),
        Arguments.of("contains(a, a)",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"),
        Arguments.of("a[1] = a[1]",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, [1]]"),
        Arguments.of("a IN (b, a)",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a]"),
        Arguments.of("a = a AND :zz = b",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"),
        Arguments.of("attribute_exists(:v)",
            "Operator or function requires a document path; operator or function: attribute_exists"),
        Arguments.of("attribute_type(a, :n)",
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
        Arguments.of("attribute_type(a, :v)", "Invalid attribute type name found; type: a, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"),
        Arguments.of("size(:n) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: N"),
        Arguments.of("size(:b) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL"),
        Arguments.of("size(size(a)) = b", "Incorrect operand type for operator or function; operator or function: size, operand type: N"),
        Arguments.of("begins_with(a, size(b))",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
        Arguments.of("begins_with(a, :ss)",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: SS"),
        Arguments.of("a < :b", "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"),
        Arguments.of("a >= :l", "Incorrect operand type for operator or function; operator or function: >=, operand type: L"),
        Arguments.of("a BETWEEN :l AND :l",
            "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L"),
        Arguments.of("a BETWEEN :w AND :v",
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}"),
        Arguments.of("a BETWEEN :n AND :v",
            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"),
        Arguments.of("#n = :v", "An expression attribute name used in the document path is not defined; attribute name: #n"),
        Arguments.of("a.#n = :v", "An expression attribute name used in the document path is not defined; attribute name: #n"),
        Arguments.of("a = :zz", "An expression attribute value used in expression is not defined; attribute value: :zz"),
        Arguments.of("count = :v", "Attribute name is a reserved keyword; reserved keyword: count"),
        Arguments.of("SIZE = :v", "Attribute name is a reserved keyword; reserved keyword: SIZE"),
        Arguments.of("a.name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        Arguments.of("a = :zz AND name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        Arguments.of("a[4294967296] = :v", "List index is not within the allowable range; index: [4294967296]"),
        Arguments.of("attribute_exists(" + "a.".repeat(32) + "a)",
            "The document path has too many nesting levels; nesting levels: 33"),
        Arguments.of("attribute_exists(a" + "[0]".repeat(32) + ")",
            "The document path has too many nesting levels; nesting levels: 33"),
        Arguments.of("a = a OR ".repeat(500) + "b = c",
            "Expression size has exceeded the maximum allowed size; expression size: 4505"),
        Arguments.of("NOT ".repeat(400) + "a = b", "The expression contains too many operators; operator count: 301"),
        Arguments.of("(a = b AND ".repeat(200) + "c = d" + ")".repeat(200),
            "The expression contains too many operators; operator count: 301"),
        Arguments.of("(".repeat(1000) + "a = b" + ")".repeat(1000), "The expression has redundant parentheses;"),
        Arguments.of("a IN (" + "b, ".repeat(100) + "c)",
            "The IN operator is provided with too many operands; number of operands: 101"));
  }

  @ParameterizedTest
  @MethodSource("semanticErrors")
  void semanticErrorsAreReportedWithDynamoDbsMessagesAndPrecedence(String expression, String message) {
    assertThatThrownBy(() -> parse(expression))
        .isInstanceOf(DynamoException.class)
        .hasMessage("Invalid ConditionExpression: " + message);
  }

  @Test
  void filterExpressionsNameThemselvesInErrors() {
    assertThatThrownBy(() -> ConditionParser.parse("a =", ExpressionKind.FILTER, ExpressionContext.empty()))
        .hasMessage("Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  }

  static Stream<Arguments> evaluations() {
    return Stream.of(
        Arguments.of("zz <> :v", true),
        Arguments.of("NOT zz = :v", true),
        Arguments.of("zz = :v", false),
        Arguments.of("zz < :v", false),
        Arguments.of("zz <> yy", true),
        Arguments.of("zz = yy", false),
        Arguments.of("s < :n", false),
        Arguments.of("s <> :n", true),
        Arguments.of("s = :s", true),
        Arguments.of("n = :n5", true),
        Arguments.of("l = :labc", true),
        Arguments.of("ss = :ssba", true),
        Arguments.of("m = :mxy", true),
        Arguments.of("nul = :nu", true),
        Arguments.of("t = :t", true),
        Arguments.of("t <> :t", false),
        Arguments.of("b > :b1", true),
        Arguments.of("begins_with(b, :b1)", true),
        Arguments.of("begins_with(s, :st)", true),
        Arguments.of("contains(s, :st)", true),
        Arguments.of("contains(l, :v)", true),
        Arguments.of("contains(ss, :v)", true),
        Arguments.of("contains(ss, :ss)", false),
        Arguments.of("contains(l, :labc)", false),
        Arguments.of("contains(ns, :n)", true),
        Arguments.of("contains(b, :b1)", true),
        Arguments.of("contains(m, :v)", false),
        Arguments.of("size(s) = :n3", true),
        Arguments.of("size(l) = :n3", true),
        Arguments.of("size(m) = :n2", true),
        Arguments.of("size(b) = :n2", true),
        Arguments.of("size(ss) = :n2", true),
        Arguments.of("size(n) = :n", false),
        Arguments.of("size(zz) = :n", false),
        Arguments.of("NOT size(zz) = :n", true),
        Arguments.of("size(zz) <> :n", true),
        Arguments.of("size(l) = size(s)", true),
        Arguments.of("n BETWEEN :n AND :n5", true),
        Arguments.of("s BETWEEN :n AND :n5", false),
        Arguments.of("n IN (:v, :n5)", true),
        Arguments.of("zz IN (:v)", false),
        Arguments.of("m.y[0] = :n", true),
        Arguments.of("m.y[1].q = :n2", true),
        Arguments.of("l[5] = :v", false),
        Arguments.of("l.x = :v", false),
        Arguments.of("s.x = :v", false),
        Arguments.of("attribute_exists(l[2])", true),
        Arguments.of("attribute_exists(l[3])", false),
        Arguments.of("attribute_not_exists(s.x)", true),
        Arguments.of("s = :s OR n = :n AND t = :nu", true),
        Arguments.of("(s = :s OR n = :n) AND t = :nu", false),
        Arguments.of("NOT s = :s OR n = :n5", true),
        Arguments.of("NOT (s = :s OR n = :n5)", false),
        Arguments.of("NOT NOT s = :s", true),
        Arguments.of("(s) = :s", true),
        Arguments.of("(size(s)) = :n3", true),
        Arguments.of("s BETWEEN (:st) AND (:s)", true),
        Arguments.of("a = b and c = d or s = :s", true));
  }

  @ParameterizedTest
  @MethodSource("evaluations")
  void conditionsEvaluateWithDynamoDbsSemantics(String expression, boolean expected) {
    assertThat(eval(expression)).as(expression).isEqualTo(expected);
  }

  @Test
  void namePlaceholdersResolveAnywhereInAPath() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#a", "m", "#b", "y", "#c", "q"), Map.of(":v", n("2")));
    Condition c = ConditionParser.parse("#a.#b[1].#c = :v", ExpressionKind.CONDITION, ctx);
    assertThat(c.evaluate(sample())).isTrue();
    ctx.checkAllUsed();
  }

  @Test
  void placeholdersNameAttributesThatNeedThem() {
    Map<String, io.flywheel.model.AttributeValue> item = map("a.b", s("dotted"), "name", s("reserved"), "x-y", s("dash"));
    ExpressionContext ctx = new ExpressionContext(Map.of("#d", "a.b", "#n", "name", "#x", "x-y"),
        Map.of(":d", s("dotted"), ":n", s("reserved"), ":x", s("dash")));
    assertThat(ConditionParser.parse("#d = :d AND #n = :n AND #x = :x", ExpressionKind.CONDITION, ctx).evaluate(item)).isTrue();
  }

  @Test
  void keywordsAreCaseInsensitiveButFunctionNamesAreNot() {
    assertThat(eval("s = :s and NoT n = :n oR t = :nu")).isTrue();
    assertThat(eval("s bEtWeEn :st AnD :s")).isTrue();
    assertThat(eval("s iN (:s)")).isTrue();
    assertThatThrownBy(() -> parse("ATTRIBUTE_EXISTS(a)")).hasMessage(
        "Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS");
  }

  @Test
  void stringsOrderByCodePointLikeTheirUtf8Bytes() {
    // U+FF5E is above U+D83D (a high surrogate) in UTF-16 but below U+1F600 in code points / UTF-8
    Map<String, io.flywheel.model.AttributeValue> item = map("a", s("\uFF5E"));
    ExpressionContext ctx = new ExpressionContext(null, Map.of(":v", s("\uD83D\uDE00")));
    assertThat(ConditionParser.parse("a < :v", ExpressionKind.CONDITION, ctx).evaluate(item)).isTrue();
  }

  @Test
  void sizeOfAStringCountsUtf16CodeUnitsLikeDynamoDb() {
    Map<String, io.flywheel.model.AttributeValue> item = map("a", s("é\uD83D\uDE00"));
    ExpressionContext ctx = new ExpressionContext(null, Map.of(":v", n("3")));
    assertThat(ConditionParser.parse("size(a) = :v", ExpressionKind.CONDITION, ctx).evaluate(item)).isTrue();
  }

  @Test
  void attributeTypeMatchesTheTypeDescriptor() {
    ExpressionContext ctx = new ExpressionContext(null, Map.of(":ss", s("SS"), ":n", s("N"), ":m", s("M")));
    Condition c = ConditionParser.parse(
        "attribute_type(ss, :ss) AND attribute_type(n, :n) AND NOT attribute_type(l, :m)", ExpressionKind.CONDITION, ctx);
    assertThat(c.evaluate(sample())).isTrue();
  }

  @Test
  void theReservedWordListIsTheDevelopersGuideList() {
    assertThat(ReservedWords.count()).isEqualTo(573);
    assertThat(ReservedWords.isReserved("abort")).isTrue();
    assertThat(ReservedWords.isReserved("Zone")).isTrue();
    assertThat(ReservedWords.isReserved("pk")).isFalse();
  }
}
