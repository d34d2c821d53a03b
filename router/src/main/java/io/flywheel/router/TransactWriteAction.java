package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.Map;
import java.util.Objects;

/**
 * One action of a TransactWriteItems request, after JSON decoding and constraint checks.
 *
 * @param item the Put action's item, else null
 * @param key the key of a ConditionCheck, Delete or Update, else null
 * @param expressions ConditionExpression (and UpdateExpression) with their names and values
 * @param returnOldOnConditionFailure {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}
 */
public record TransactWriteAction(
    Kind kind,
    String tableName,
    Map<String, AttributeValue> item,
    Map<String, AttributeValue> key,
    ExpressionInput expressions,
    boolean returnOldOnConditionFailure) {

  public TransactWriteAction {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(tableName);
    Objects.requireNonNull(kind == Kind.PUT ? item : key);
  }

  /** The four kinds of action, named as in the request. */
  public enum Kind {
    CONDITION_CHECK,
    PUT,
    DELETE,
    UPDATE
  }
}
