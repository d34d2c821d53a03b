package io.flywheel.model;

/**
 * DynamoDB's texts for transaction errors, each with where it comes from. Where the service's
 * exact text is not published, the text is the one its API model documents for the error, and
 * says so.
 */
public final class TransactionErrors {
  /** CancellationReason message of ConditionalCheckFailed (TransactionCanceledException docs). */
  public static final String CONDITIONAL_REQUEST_FAILED = "The conditional request failed";

  /**
   * TransactionConflict's reason message, and the message of the TransactionConflictException a
   * plain write gets on an item a transaction holds (TransactionCanceledException docs; clients
   * quote "Transaction is ongoing for the item" from the service).
   */
  public static final String TRANSACTION_ONGOING = "Transaction is ongoing for the item";

  /** ValidationException for two actions on one item (quoted from the service by many clients). */
  public static final String MULTIPLE_OPERATIONS_ON_ONE_ITEM = "Transaction request cannot include multiple operations on one item";

  /**
   * ValidationException for a transaction whose payload exceeds 4 MB. DynamoDB's text matches
   * "size cannot exceed" and speaks of the transaction payload (ScyllaDB's compatibility tests);
   * the exact words are not published.
   */
  public static final String PAYLOAD_TOO_LARGE = "Transaction payload size cannot exceed 4 MB";

  /** TransactionInProgressException: the API model's description of the error. */
  public static final String IN_PROGRESS = "The transaction with the given request token is already in progress.";

  /**
   * IdempotentParameterMismatchException: the service's text is not published; this is the one
   * DynamoDB emulators quote.
   */
  public static final String PARAMETER_MISMATCH = "The request uses the same client token as a previous, but non-identical request.";

  private TransactionErrors() {}

  /** What a PutItem, UpdateItem or DeleteItem gets on an item a prepared transaction holds. */
  public static DynamoException conflict() {
    return new DynamoException(ErrorCode.TRANSACTION_CONFLICT, TRANSACTION_ONGOING);
  }

  public static DynamoException inProgress() {
    return new DynamoException(ErrorCode.TRANSACTION_IN_PROGRESS, IN_PROGRESS);
  }

  public static DynamoException parameterMismatch() {
    return new DynamoException(ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH, PARAMETER_MISMATCH);
  }
}
