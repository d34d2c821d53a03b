package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionContextTest {
  @Test
  void unusedNamesAreReportedInDynamoDbsOrder() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#n", "x", "#m", "y", "#o", "z"), null);
    ConditionParser.parse("attribute_exists(#n)", ExpressionKind.CONDITION, ctx);
    assertThatThrownBy(ctx::checkAllUsed)
        .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#m, #o}");
  }

  @Test
  void unusedValuesAreReportedInDynamoDbsOrder() {
    Map<String, io.flywheel.model.AttributeValue> values = new LinkedHashMap<>();
    values.put(":v", s("a"));
    values.put(":w", s("b"));
    values.put(":n", n("1"));
    values.put(":b", bool(true));
    ExpressionContext ctx = new ExpressionContext(null, values);
    ConditionParser.parse("a = :v", ExpressionKind.CONDITION, ctx);
    assertThatThrownBy(ctx::checkAllUsed)
        .hasMessage("Value provided in ExpressionAttributeValues unused in expressions: keys: {:n, :b, :w}");
  }

  @Test
  void namesAreReportedBeforeValues() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#a", "a"), Map.of(":v", s("a")));
    assertThatThrownBy(ctx::checkAllUsed)
        .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}");
  }

  @Test
  void usageIsSharedAcrossAllExpressionsOfARequest() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#c", "c", "#u", "u", "#p", "p", "#f", "f", "#k", "k"),
        Map.of(":c", s("1"), ":u", s("2"), ":f", s("3"), ":k", s("4")));
    ConditionParser.parse("#c = :c", ExpressionKind.CONDITION, ctx);
    UpdateExpression.parse("SET #u = :u", ctx);
    Projection.parse("#p", ctx);
    ConditionParser.parse("#f = :f", ExpressionKind.FILTER, ctx);
    KeyCondition.parse("#k = :k", ctx, new KeySchema(new KeyAttribute("k", ScalarType.S), null));
    assertThatCode(ctx::checkAllUsed).doesNotThrowAnyException();
  }

  @Test
  void placeholderKeysMustBeWellFormedAndMapsNonEmpty() {
    assertThatThrownBy(() -> new ExpressionContext(Map.of("n", "x"), null))
        .hasMessage("ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"");
    assertThatThrownBy(() -> new ExpressionContext(null, Map.of(":a-b", s("x"))))
        .hasMessage("ExpressionAttributeValues contains invalid key: Syntax error; key: \":a-b\"");
    assertThatThrownBy(() -> new ExpressionContext(Map.of(), null)).hasMessage("ExpressionAttributeNames must not be empty");
    assertThatThrownBy(() -> new ExpressionContext(null, Map.of())).hasMessage("ExpressionAttributeValues must not be empty");
  }

  @Test
  void aNamePlaceholderCannotStandForTheEmptyName() {
    assertThatThrownBy(() -> new ExpressionContext(Map.of("#a", ""), null))
        .hasMessage("ExpressionAttributeNames contains invalid value: Empty attribute name for key #a");
  }
}
