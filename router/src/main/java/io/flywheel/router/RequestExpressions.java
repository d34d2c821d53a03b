package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.model.KeySchema;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.ConditionParser;
import io.flywheel.model.expr.ExpressionContext;
import io.flywheel.model.expr.ExpressionKind;
import io.flywheel.model.expr.KeyCondition;
import io.flywheel.model.expr.LegacyConditions;
import io.flywheel.model.expr.Projection;
import io.flywheel.model.expr.UpdateExpression;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates and compiles the expressions of one request, in DynamoDB's order: which parameters
 * may be combined, then the legacy parameters, then each expression parsed once into a typed tree
 * (update, condition, key condition, filter, projection), then names and values left unused.
 */
final class RequestExpressions {
  private RequestExpressions() {}

  /** Which expression and legacy parameters an operation takes, in DynamoDB's message order. */
  enum Operation {
    PUT(List.of("ConditionExpression"), List.of("Expected")),
    UPDATE(List.of("UpdateExpression", "ConditionExpression"), List.of("AttributeUpdates", "Expected")),
    DELETE(List.of("ConditionExpression"), List.of("Expected")),
    /** A TransactWriteItems ConditionCheck: a condition only, no legacy parameters. */
    CONDITION_CHECK(List.of("ConditionExpression"), List.of()),
    GET(List.of("ProjectionExpression"), List.of("AttributesToGet")),
    QUERY(List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
        List.of("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions")),
    SCAN(List.of("ProjectionExpression", "FilterExpression"), List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));

    final List<String> expressions;
    final List<String> legacy;

    Operation(List<String> expressions, List<String> legacy) {
      this.expressions = expressions;
      this.legacy = legacy;
    }
  }

  /**
   * The compiled forms; absent ones are null.
   *
   * @param condition ConditionExpression or Expected
   * @param update UpdateExpression or AttributeUpdates
   * @param projection ProjectionExpression or AttributesToGet
   * @param filter FilterExpression or QueryFilter/ScanFilter
   * @param filterAttributes the top-level attributes the filter reads (empty without a filter)
   * @param filterParameter "Filter Expression" or the legacy parameter's name, as errors name it
   * @param keyCondition KeyConditionExpression or KeyConditions
   */
  record Compiled(Condition condition, UpdateExpression update, Projection projection, Condition filter,
      Set<String> filterAttributes, String filterParameter, KeyCondition keyCondition) {
    static final Compiled NONE = new Compiled(null, null, null, null, Set.of(), null, null);
  }

  private static boolean present(ExpressionInput in, String parameter) {
    return switch (parameter) {
      case "ConditionExpression" -> in.conditionExpression() != null;
      case "UpdateExpression" -> in.updateExpression() != null;
      case "ProjectionExpression" -> in.projectionExpression() != null;
      case "FilterExpression" -> in.filterExpression() != null;
      case "KeyConditionExpression" -> in.keyConditionExpression() != null;
      case "Expected" -> in.expected() != null;
      case "AttributeUpdates" -> in.attributeUpdates() != null;
      case "AttributesToGet" -> in.attributesToGet() != null;
      case "QueryFilter", "ScanFilter" -> in.filter() != null;
      case "KeyConditions" -> in.keyConditions() != null;
      case "ConditionalOperator" -> in.conditionalOperator() != null;
      default -> throw new IllegalArgumentException(parameter);
    };
  }

  /**
   * @param keys the schema key conditions are checked against (Query: the table's or the index's)
   */
  static Compiled compile(ExpressionInput in, Operation op, KeySchema keys) {
    if (in == null) {
      in = ExpressionInput.NONE;
    }
    checkCombinations(in, op);
    if (in.conditionalOperator() != null) {
      int conditions = in.expected() != null ? in.expected().size() : in.filter() != null ? in.filter().size() : -1;
      if (conditions < 0) {
        throw DynamoException.validation("ConditionalOperator cannot be used without Filter or Expected");
      }
      if (conditions < 2) {
        throw DynamoException.validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
      }
    }
    if (in.attributesToGet() != null) {
      Set<String> seen = new HashSet<>();
      for (String name : in.attributesToGet()) {
        if (!seen.add(name)) {
          throw DynamoException.invalidParameter("Duplicate value in attribute name: " + name);
        }
      }
    }
    if (op == Operation.QUERY && in.keyConditions() == null && in.keyConditionExpression() == null) {
      throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }
    ExpressionContext ctx = new ExpressionContext(in.names(), in.values());
    UpdateExpression update = in.updateExpression() != null ? UpdateExpression.parse(in.updateExpression(), ctx)
        : in.attributeUpdates() != null ? LegacyConditions.attributeUpdates(in.attributeUpdates()) : null;
    Condition condition = in.conditionExpression() != null
        ? ConditionParser.parse(in.conditionExpression(), ExpressionKind.CONDITION, ctx)
        : in.expected() != null ? LegacyConditions.expected(in.expected(), in.conditionalOperator()) : null;
    KeyCondition keyCondition = in.keyConditionExpression() != null ? KeyCondition.parse(in.keyConditionExpression(), ctx, keys)
        : in.keyConditions() != null ? LegacyConditions.keyConditions(in.keyConditions(), keys) : null;
    Condition filter = in.filterExpression() != null ? ConditionParser.parse(in.filterExpression(), ExpressionKind.FILTER, ctx)
        : in.filter() != null ? LegacyConditions.filter(in.filter(), in.conditionalOperator()) : null;
    Projection projection = in.projectionExpression() != null ? Projection.parse(in.projectionExpression(), ctx)
        : in.attributesToGet() != null ? Projection.ofAttributes(in.attributesToGet()) : null;
    ctx.checkAllUsed();
    String filterParameter = in.filterExpression() != null ? "Filter Expression" : op == Operation.QUERY ? "QueryFilter" : "ScanFilter";
    return new Compiled(condition, update, projection, filter, filter == null ? Set.of() : filter.topLevelAttributes(),
        filterParameter, keyCondition);
  }

  private static void checkCombinations(ExpressionInput in, Operation op) {
    List<String> expressions = new ArrayList<>();
    for (String p : op.expressions) {
      if (present(in, p)) {
        expressions.add(p);
      }
    }
    if (!expressions.isEmpty()) {
      List<String> legacy = new ArrayList<>();
      for (String p : op.legacy) {
        // KeyConditions may go with the other expressions when no KeyConditionExpression is given.
        boolean keyConditionsAlone = p.equals("KeyConditions") && in.keyConditionExpression() == null;
        if (present(in, p) && !keyConditionsAlone) {
          legacy.add(p);
        }
      }
      if (!legacy.isEmpty()) {
        throw DynamoException.validation("Can not use both expression and non-expression parameters in the same request: "
            + "Non-expression parameters: {" + String.join(", ", legacy) + "} "
            + "Expression parameters: {" + String.join(", ", expressions) + "}");
      }
    }
    if (in.names() != null && expressions.isEmpty()) {
      throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
    }
    List<String> valueExpressions = new ArrayList<>(op.expressions);
    valueExpressions.remove("ProjectionExpression");
    if (!valueExpressions.isEmpty() && in.values() != null && valueExpressions.stream().noneMatch(p -> present(in, p))) {
      throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions: "
          + String.join(" and ", valueExpressions) + " " + (valueExpressions.size() > 1 ? "are" : "is") + " null");
    }
  }
}
