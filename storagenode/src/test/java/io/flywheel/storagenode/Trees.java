package io.flywheel.storagenode;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.ConditionParser;
import io.flywheel.model.expr.ExpressionContext;
import io.flywheel.model.expr.ExpressionKind;
import io.flywheel.model.expr.LegacyConditions;
import io.flywheel.model.expr.UpdateExpression;
import java.util.LinkedHashMap;
import java.util.Map;

/** Expression trees for tests, parsed as the router parses them. */
final class Trees {
  private Trees() {}

  /** Alternating {@code :placeholder, value} pairs. */
  static ExpressionContext values(Object... pairs) {
    if (pairs.length == 0) {
      return ExpressionContext.empty();
    }
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
    }
    return new ExpressionContext(null, values);
  }

  static Condition condition(String expression, Object... values) {
    return ConditionParser.parse(expression, ExpressionKind.CONDITION, values(values));
  }

  static UpdateExpression update(String expression, Object... values) {
    return UpdateExpression.parse(expression, values(values));
  }

  /** Sets each named top-level attribute to its value, or removes it when the value is null. */
  static UpdateExpression setOrRemove(Map<String, AttributeValue> changes) {
    Map<String, LegacyConditions.AttributeUpdate> updates = new LinkedHashMap<>();
    changes.forEach((name, value) ->
        updates.put(name, new LegacyConditions.AttributeUpdate(value == null ? "DELETE" : "PUT", value)));
    return LegacyConditions.attributeUpdates(updates);
  }
}
