package io.flywheel.protocol;

import java.util.List;

/**
 * What a {@link TxReadRequest} found.
 *
 * @param incarnation identifies the storage node's process lifetime; versions compare only
 *     within one incarnation
 * @param items one per key, in the request's order
 */
public record TxReadResult(long incarnation, List<Item> items) {
  public TxReadResult {
    items = List.copyOf(items);
  }

  /**
   * One item.
   *
   * @param image the item's latest image, null when absent or not asked for
   * @param version changes whenever the item is written (equal versions of one incarnation mean
   *     the item did not change in between)
   * @param held a prepared transaction holds the item
   */
  public record Item(byte[] image, long version, boolean held) {}
}
