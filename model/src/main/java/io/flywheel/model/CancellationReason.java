package io.flywheel.model;

import java.util.Map;
import java.util.Objects;

/**
 * Why one action of a transaction did not go through, as DynamoDB reports it in {@code
 * CancellationReasons}: one per action, in the order of the request.
 *
 * @param code DynamoDB's code ({@code None} for an action that was fine)
 * @param message null for {@code None}
 * @param item the item as it was, for a failed condition with {@code
 *     ReturnValuesOnConditionCheckFailure=ALL_OLD} on an existing item; else null
 */
public record CancellationReason(Code code, String message, Map<String, AttributeValue> item) {
  public static final CancellationReason NONE = new CancellationReason(Code.NONE, null, null);

  public CancellationReason {
    Objects.requireNonNull(code);
  }

  /** The cancellation codes DynamoDB documents for TransactionCanceledException. */
  public enum Code {
    NONE("None"),
    CONDITIONAL_CHECK_FAILED("ConditionalCheckFailed"),
    ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED("ItemCollectionSizeLimitExceeded"),
    TRANSACTION_CONFLICT("TransactionConflict"),
    PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceeded"),
    THROTTLING_ERROR("ThrottlingError"),
    VALIDATION_ERROR("ValidationError");

    private final String wireName;

    Code(String wireName) {
      this.wireName = wireName;
    }

    /** The value of {@code Code} on the wire. */
    public String wireName() {
      return wireName;
    }
  }

  public static CancellationReason conditionalCheckFailed(Map<String, AttributeValue> item) {
    return new CancellationReason(Code.CONDITIONAL_CHECK_FAILED, TransactionErrors.CONDITIONAL_REQUEST_FAILED, item);
  }

  public static CancellationReason transactionConflict() {
    return new CancellationReason(Code.TRANSACTION_CONFLICT, TransactionErrors.TRANSACTION_ONGOING, null);
  }

  public static CancellationReason validationError(String message) {
    return new CancellationReason(Code.VALIDATION_ERROR, message, null);
  }
}
