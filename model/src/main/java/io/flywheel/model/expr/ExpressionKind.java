package io.flywheel.model.expr;

/** The request parameters that carry an expression; each names itself in error messages. */
public enum ExpressionKind {
  CONDITION("ConditionExpression"),
  FILTER("FilterExpression"),
  KEY_CONDITION("KeyConditionExpression"),
  UPDATE("UpdateExpression"),
  PROJECTION("ProjectionExpression");

  private final String parameterName;

  ExpressionKind(String parameterName) {
    this.parameterName = parameterName;
  }

  /** The request parameter, e.g. {@code ConditionExpression}. */
  public String parameterName() {
    return parameterName;
  }

  /** DynamoDB's prefix for errors in this expression, e.g. {@code "Invalid ConditionExpression: "}. */
  String errorPrefix() {
    return "Invalid " + parameterName + ": ";
  }
}
