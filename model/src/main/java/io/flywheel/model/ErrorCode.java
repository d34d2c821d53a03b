package io.flywheel.model;

/**
 * DynamoDB's error types, with the namespace DynamoDB prints in {@code __type}, the HTTP status and
 * whether SDKs retry it.
 */
public enum ErrorCode {
  VALIDATION("com.amazon.coral.validate#", "ValidationException", 400),
  SERIALIZATION("com.amazon.coral.service#", "SerializationException", 400),
  UNKNOWN_OPERATION("com.amazon.coral.service#", "UnknownOperationException", 400),
  MISSING_AUTHENTICATION_TOKEN("com.amazon.coral.service#", "MissingAuthenticationTokenException", 400),
  INVALID_SIGNATURE("com.amazon.coral.service#", "InvalidSignatureException", 400),
  UNRECOGNIZED_CLIENT("com.amazon.coral.service#", "UnrecognizedClientException", 400),
  INCOMPLETE_SIGNATURE("com.amazon.coral.service#", "IncompleteSignatureException", 400),
  ACCESS_DENIED("com.amazon.coral.service#", "AccessDeniedException", 400),
  REQUEST_TOO_LARGE("com.amazon.coral.service#", "RequestEntityTooLarge", 413),
  RESOURCE_NOT_FOUND("com.amazonaws.dynamodb.v20120810#", "ResourceNotFoundException", 400),
  RESOURCE_IN_USE("com.amazonaws.dynamodb.v20120810#", "ResourceInUseException", 400),
  CONDITIONAL_CHECK_FAILED("com.amazonaws.dynamodb.v20120810#", "ConditionalCheckFailedException", 400),
  LIMIT_EXCEEDED("com.amazonaws.dynamodb.v20120810#", "LimitExceededException", 400),
  PROVISIONED_THROUGHPUT_EXCEEDED(
      "com.amazonaws.dynamodb.v20120810#", "ProvisionedThroughputExceededException", 400),
  THROTTLING("com.amazon.coral.availability#", "ThrottlingException", 400),
  TRANSACTION_CANCELED("com.amazonaws.dynamodb.v20120810#", "TransactionCanceledException", 400),
  TRANSACTION_CONFLICT("com.amazonaws.dynamodb.v20120810#", "TransactionConflictException", 400),
  TRANSACTION_IN_PROGRESS("com.amazonaws.dynamodb.v20120810#", "TransactionInProgressException", 400),
  IDEMPOTENT_PARAMETER_MISMATCH(
      "com.amazonaws.dynamodb.v20120810#", "IdempotentParameterMismatchException", 400),
  ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED(
      "com.amazonaws.dynamodb.v20120810#", "ItemCollectionSizeLimitExceededException", 400),
  INTERNAL_SERVER_ERROR("com.amazonaws.dynamodb.v20120810#", "InternalServerError", 500),
  SERVICE_UNAVAILABLE("com.amazon.coral.availability#", "ServiceUnavailableException", 503);

  private final String namespace;
  private final String typeName;
  private final int httpStatus;

  ErrorCode(String namespace, String typeName, int httpStatus) {
    this.namespace = namespace;
    this.typeName = typeName;
    this.httpStatus = httpStatus;
  }

  /** The short name SDKs map to exception classes, e.g. {@code ValidationException}. */
  public String typeName() {
    return typeName;
  }

  /** The value of {@code __type} in the error body. */
  public String qualifiedType() {
    return namespace + typeName;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
