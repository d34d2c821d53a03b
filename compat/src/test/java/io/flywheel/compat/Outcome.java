package io.flywheel.compat;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** What one request of a scenario observably did on one endpoint. */
sealed interface Outcome {

  /** The request succeeded; {@code view} is the canonical text of what the scenario observed. */
  record Returned(String view) implements Outcome {
    @Override
    public String toString() {
      return "returned " + view;
    }
  }

  /**
   * The request failed. {@code errorCode} is the service's {@code __type} without its namespace,
   * {@code sdkException} the exception class the SDK mapped it to, {@code httpStatus} -1 for
   * failures the SDK raised itself before or after the exchange. {@code returnedItem} is the
   * canonical text of the item a failed condition check returned
   * ({@code ReturnValuesOnConditionCheckFailure}), or null.
   */
  record Failed(String errorCode, String sdkException, int httpStatus, String message, String returnedItem) implements Outcome {
    static Failed of(DynamoDbException e) {
      String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      String item = e instanceof ConditionalCheckFailedException ccf && ccf.hasItem() ? Canonical.of(ccf.item()) : null;
      return new Failed(code, e.getClass().getSimpleName(), e.statusCode(), message, item);
    }

    static Failed of(SdkClientException e) {
      return new Failed("(client side)", e.getClass().getSimpleName(), -1, e.getMessage(), null);
    }

    @Override
    public String toString() {
      return "failed " + errorCode + " (" + sdkException + ", HTTP " + httpStatus + "): " + message
          + (returnedItem == null ? "" : " [item " + returnedItem + "]");
    }
  }
}
