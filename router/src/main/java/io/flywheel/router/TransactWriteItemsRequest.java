package io.flywheel.router;

import java.util.List;

/**
 * TransactWriteItems' parameters after JSON decoding and constraint checks.
 *
 * @param clientRequestToken null when the client sent none
 */
public record TransactWriteItemsRequest(
    List<TransactWriteAction> actions, String clientRequestToken, ReturnConsumedCapacity returnConsumedCapacity,
    boolean returnItemCollectionMetrics) {
  public TransactWriteItemsRequest {
    actions = List.copyOf(actions);
  }
}
