package io.flywheel.model;

import java.util.Map;

/**
 * A write's condition was false. Carries the item as it was when {@code
 * ReturnValuesOnConditionCheckFailure} is {@code ALL_OLD} (null otherwise, or when absent).
 */
public final class ConditionalCheckFailedException extends DynamoException {
  private static final long serialVersionUID = 1L;
  private final transient Map<String, AttributeValue> item;

  public ConditionalCheckFailedException(Map<String, AttributeValue> item) {
    super(ErrorCode.CONDITIONAL_CHECK_FAILED, "The conditional request failed");
    this.item = item;
  }

  public Map<String, AttributeValue> item() {
    return item;
  }
}
