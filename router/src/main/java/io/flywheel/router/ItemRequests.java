package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCondition;
import io.flywheel.model.KeySchema;
import io.flywheel.model.expr.ConditionParser;
import io.flywheel.model.expr.ExpressionContext;
import io.flywheel.model.expr.ExpressionKind;
import io.flywheel.model.expr.Projection;
import io.flywheel.model.expr.UpdateExpression;

/**
 * Semantic validation of item requests and the compilation of their expressions, in DynamoDB's
 * order: parameter combinations, then expressions (each parsed once into a typed tree), then
 * unused names and values, then updates of key attributes. The item itself is checked by the
 * storage node, which computes its size anyway.
 */
final class ItemRequests {
  private ItemRequests() {}

  /** The compiled expressions of one request; absent ones are null. */
  record Compiled(ItemCondition condition, UpdateExpression update, Projection projection) {}

  static Compiled compile(Expressions e, KeySchema schema) {
    if (e == null) {
      return new Compiled(null, null, null);
    }
    checkPlaceholdersHaveExpressions(e);
    ExpressionContext ctx = new ExpressionContext(e.names(), e.values());
    UpdateExpression update = e.update() == null ? null : UpdateExpression.parse(e.update(), ctx);
    ItemCondition condition = null;
    if (e.condition() != null) {
      var parsed = ConditionParser.parse(e.condition(), ExpressionKind.CONDITION, ctx);
      condition = parsed::evaluate;
    }
    Projection projection = e.projection() == null ? null : Projection.parse(e.projection(), ctx);
    ctx.checkAllUsed();
    if (update != null) {
      for (String attribute : update.topLevelAttributesTouched()) {
        if (schema.isKeyAttribute(attribute)) {
          throw DynamoException.invalidParameter("Cannot update attribute " + attribute + ". This attribute is part of the key");
        }
      }
    }
    return new Compiled(condition, update, projection);
  }

  private static void checkPlaceholdersHaveExpressions(Expressions e) {
    boolean anyExpression = e.condition() != null || e.update() != null || e.projection() != null;
    if (anyExpression) {
      return;
    }
    if (e.names() != null) {
      throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
    }
    if (e.values() != null) {
      throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions: "
          + "ConditionExpression is null");
    }
  }

}
