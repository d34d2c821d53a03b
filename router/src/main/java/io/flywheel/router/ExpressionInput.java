package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.expr.LegacyConditions.AttributeUpdate;
import io.flywheel.model.expr.LegacyConditions.ExpectedAttribute;
import io.flywheel.model.expr.LegacyConditions.FilterCondition;
import java.util.List;
import java.util.Map;

/**
 * The expression parameters of a request and their legacy counterparts, as sent; absent ones are
 * null. {@link RequestExpressions} validates and compiles them.
 *
 * @param filter QueryFilter or ScanFilter
 */
public record ExpressionInput(
    String conditionExpression,
    String updateExpression,
    String projectionExpression,
    String filterExpression,
    String keyConditionExpression,
    Map<String, String> names,
    Map<String, AttributeValue> values,
    Map<String, ExpectedAttribute> expected,
    Map<String, AttributeUpdate> attributeUpdates,
    List<String> attributesToGet,
    Map<String, FilterCondition> filter,
    Map<String, FilterCondition> keyConditions,
    String conditionalOperator) {

  public static final ExpressionInput NONE = builder().build();

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent construction; unset parameters stay null. */
  public static final class Builder {
    private String conditionExpression;
    private String updateExpression;
    private String projectionExpression;
    private String filterExpression;
    private String keyConditionExpression;
    private Map<String, String> names;
    private Map<String, AttributeValue> values;
    private Map<String, ExpectedAttribute> expected;
    private Map<String, AttributeUpdate> attributeUpdates;
    private List<String> attributesToGet;
    private Map<String, FilterCondition> filter;
    private Map<String, FilterCondition> keyConditions;
    private String conditionalOperator;

    public Builder conditionExpression(String v) {
      conditionExpression = v;
      return this;
    }

    public Builder updateExpression(String v) {
      updateExpression = v;
      return this;
    }

    public Builder projectionExpression(String v) {
      projectionExpression = v;
      return this;
    }

    public Builder filterExpression(String v) {
      filterExpression = v;
      return this;
    }

    public Builder keyConditionExpression(String v) {
      keyConditionExpression = v;
      return this;
    }

    public Builder names(Map<String, String> v) {
      names = v;
      return this;
    }

    public Builder values(Map<String, AttributeValue> v) {
      values = v;
      return this;
    }

    public Builder expected(Map<String, ExpectedAttribute> v) {
      expected = v;
      return this;
    }

    public Builder attributeUpdates(Map<String, AttributeUpdate> v) {
      attributeUpdates = v;
      return this;
    }

    public Builder attributesToGet(List<String> v) {
      attributesToGet = v;
      return this;
    }

    public Builder filter(Map<String, FilterCondition> v) {
      filter = v;
      return this;
    }

    public Builder keyConditions(Map<String, FilterCondition> v) {
      keyConditions = v;
      return this;
    }

    public Builder conditionalOperator(String v) {
      conditionalOperator = v;
      return this;
    }

    public ExpressionInput build() {
      return new ExpressionInput(conditionExpression, updateExpression, projectionExpression, filterExpression,
          keyConditionExpression, names, values, expected, attributeUpdates, attributesToGet, filter, keyConditions,
          conditionalOperator);
    }
  }
}
