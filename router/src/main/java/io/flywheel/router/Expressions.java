package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * The expression parameters a request carries; any may be null.
 *
 * @param condition ConditionExpression
 * @param update UpdateExpression
 * @param projection ProjectionExpression
 */
public record Expressions(
    String condition, String update, String projection, Map<String, String> names, Map<String, AttributeValue> values) {
  public static final Expressions NONE = new Expressions(null, null, null, null, null);
}
