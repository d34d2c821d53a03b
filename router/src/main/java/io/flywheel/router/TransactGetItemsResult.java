package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * What TransactGetItems returns: one response per Get, in request order, and the capacity consumed
 * per table (empty unless asked for).
 */
public record TransactGetItemsResult(List<Response> responses, List<ConsumedCapacity> consumedCapacity) {
  public TransactGetItemsResult {
    responses = List.copyOf(responses);
    consumedCapacity = List.copyOf(consumedCapacity);
  }

  /**
   * One item: in its stored encoding ({@code image}) when nothing is projected, else the projected
   * attributes ({@code item}); both null when there is no item.
   */
  public record Response(byte[] image, Map<String, AttributeValue> item) {}
}
