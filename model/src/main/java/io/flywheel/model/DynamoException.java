package io.flywheel.model;

/**
 * A DynamoDB API error: what the client receives as {@code {"__type": ..., "message": ...}}.
 * Thrown for every user-caused failure; the request then changes nothing.
 */
public class DynamoException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public DynamoException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static DynamoException validation(String message) {
    return new DynamoException(ErrorCode.VALIDATION, message);
  }

  /** DynamoDB's common prefix for invalid parameter values. */
  public static DynamoException invalidParameter(String detail) {
    return validation("One or more parameter values were invalid: " + detail);
  }

  public static DynamoException serialization(String message) {
    return new DynamoException(ErrorCode.SERIALIZATION, message);
  }

  public static DynamoException resourceNotFound(String message) {
    return new DynamoException(ErrorCode.RESOURCE_NOT_FOUND, message);
  }

  public static DynamoException conditionalCheckFailed() {
    return new DynamoException(ErrorCode.CONDITIONAL_CHECK_FAILED, "The conditional request failed");
  }
}
