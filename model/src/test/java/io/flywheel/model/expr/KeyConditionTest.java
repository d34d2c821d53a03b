package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.DynamoException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyConditionTest {
  static final KeySchema HASH_RANGE = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
  static final KeySchema HASH_ONLY = new KeySchema(new KeyAttribute("pk", ScalarType.S), null);

  private static KeyCondition parse(String expression, KeySchema schema) {
    return KeyCondition.parse(expression, new ExpressionContext(null, map(
        ":v", s("a"), ":w", s("b"), ":n", n("1"), ":n2", n("2"), ":b", bool(true))), schema);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("pk = :v", new KeyCondition("pk", s("a"), null)),
        Arguments.of("pk = :v AND sk = :n",
            new KeyCondition("pk", s("a"), new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.EQ, List.of(n("1"))))),
        Arguments.of("sk = :n AND pk = :v",
            new KeyCondition("pk", s("a"), new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.EQ, List.of(n("1"))))),
        Arguments.of(":v = pk", new KeyCondition("pk", s("a"), null)),
        Arguments.of("pk = :v AND :n < sk",
            new KeyCondition("pk", s("a"), new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.GT, List.of(n("1"))))),
        Arguments.of("pk = :v AND sk BETWEEN :n AND :n2",
            new KeyCondition("pk", s("a"), new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.BETWEEN, List.of(n("1"), n("2"))))),
        Arguments.of("(pk = :v) AND (sk <= :n)",
            new KeyCondition("pk", s("a"), new KeyCondition.SortKeyCondition("sk", KeyCondition.SortOperator.LE, List.of(n("1"))))));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void keyConditionsNameTheKeysAndTheirOperands(String expression, KeyCondition expected) {
    assertThat(parse(expression, HASH_RANGE)).isEqualTo(expected);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("sk = :n", "Query condition missed key schema element: pk"),
        Arguments.of("x = :v", "Query condition missed key schema element: pk"),
        Arguments.of("pk = :v AND x = :n", "Query condition missed key schema element: sk"),
        Arguments.of("pk = :v AND sk > :n AND sk < :n2", "KeyConditionExpressions must only contain one condition per key"),
        Arguments.of("pk = :v AND pk = :w", "KeyConditionExpressions must only contain one condition per key"),
        Arguments.of("pk < :v", "Query key condition not supported"),
        Arguments.of("pk = :v OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"),
        Arguments.of("NOT pk = :v", "Invalid operator used in KeyConditionExpression: NOT"),
        Arguments.of("pk = :v AND sk <> :n", "Invalid operator used in KeyConditionExpression: <>"),
        Arguments.of("pk = :v AND sk IN (:n)", "Invalid operator used in KeyConditionExpression: IN"),
        Arguments.of("pk = :v AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
        Arguments.of("pk = :v AND contains(sk, :n)", "Invalid operator used in KeyConditionExpression: contains"),
        Arguments.of("pk = :v AND size(sk) = :n", "KeyConditionExpressions cannot contain nested operations"),
        Arguments.of("pk = :v AND begins_with(sk, :n)",
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
        Arguments.of("pk = :v AND begins_with(sk, :v)",
            "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        Arguments.of("pk = :n", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        Arguments.of("pk = :v AND sk = :b", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        Arguments.of("pk = :v AND sk = pk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
        Arguments.of("pk.a = :v",
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"),
        Arguments.of("pk = :v AND sk BETWEEN :n2 AND :n",
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"),
        Arguments.of("pk = :v AND begins_with(:v, sk)",
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"),
        Arguments.of("pk = :v AND :n BETWEEN sk AND :n2",
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"),
        Arguments.of("pk = :v AND sk = :n AND x = :n", "Conditions can be of length 1 or 2 only"),
        Arguments.of("status = :v", "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
        Arguments.of("pk = ", "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \""));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void keyConditionsThatDoNotFitTheSchemaFailWithDynamoDbsMessages(String expression, String message) {
    assertThatThrownBy(() -> parse(expression, HASH_RANGE)).isInstanceOf(DynamoException.class).hasMessage(message);
  }

  @Test
  void aHashOnlyTableAcceptsOnlyThePartitionKey() {
    assertThat(parse("pk = :v", HASH_ONLY)).isEqualTo(new KeyCondition("pk", s("a"), null));
    assertThatThrownBy(() -> parse("pk = :v AND sk = :n", HASH_ONLY)).hasMessage("Query key condition not supported");
  }

  @Test
  void aKeyConditionMatchesItems() {
    KeyCondition kc = parse("pk = :v AND sk BETWEEN :n AND :n2", HASH_RANGE);
    assertThat(kc.matches(map("pk", s("a"), "sk", n("1.5")))).isTrue();
    assertThat(kc.matches(map("pk", s("a"), "sk", n("3")))).isFalse();
    assertThat(kc.matches(map("pk", s("b"), "sk", n("1")))).isFalse();
    KeyCondition prefix = KeyCondition.parse("pk = :v AND begins_with(sk, :p)",
        new ExpressionContext(null, Map.of(":v", s("a"), ":p", s("ab"))),
        new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.S)));
    assertThat(prefix.matches(map("pk", s("a"), "sk", s("abc")))).isTrue();
    assertThat(prefix.matches(map("pk", s("a"), "sk", s("b")))).isFalse();
  }
}
