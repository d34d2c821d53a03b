package io.flywheel.protocol;

import io.flywheel.model.CancellationReason;
import java.util.List;

/**
 * A partition's vote on a transaction.
 *
 * @param prepared true: every action is held for the transaction; false: none is, and {@code
 *     outcomes} say why
 * @param outcomes one per action of the request, in its order
 */
public record TxPrepareResult(boolean prepared, List<Outcome> outcomes) {
  public TxPrepareResult {
    outcomes = List.copyOf(outcomes);
  }

  /**
   * What became of one action.
   *
   * @param index the action's position in the client's request
   * @param reason {@link CancellationReason#NONE} when the action can go through
   * @param oldSizeBytes DynamoDB size of the item before (0 when absent), for capacity accounting
   * @param newSizeBytes DynamoDB size of the item after the action would commit
   */
  public record Outcome(int index, CancellationReason reason, int oldSizeBytes, int newSizeBytes) {}
}
