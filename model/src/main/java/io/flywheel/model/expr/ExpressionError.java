package io.flywheel.model.expr;

import io.flywheel.model.DynamoException;

/**
 * An error found while parsing or checking one expression, before the kind prefix ("Invalid
 * ConditionExpression: ") is added. Never leaves the package: {@link #toDynamo} turns it into the
 * ValidationException the client sees.
 */
final class ExpressionError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ExpressionError(String message) {
    super(message, null, false, false);
  }

  DynamoException toDynamo(ExpressionKind kind) {
    return DynamoException.validation(kind.errorPrefix() + getMessage());
  }
}
