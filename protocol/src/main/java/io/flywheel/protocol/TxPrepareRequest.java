package io.flywheel.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Phase one of a transaction's two-phase commit at one partition: decide every action of the
 * transaction that falls into this partition, and if all can go through, hold their items for the
 * transaction (durably) until it is committed or cancelled.
 *
 * @param txId the transaction's id (its key in the transaction ledger)
 * @param timestamp the transaction's timestamp, assigned by its coordinator: unique and
 *     increasing per coordinator
 */
public record TxPrepareRequest(PartitionRef partition, long tableId, String txId, long timestamp, List<TxAction> actions) {
  public TxPrepareRequest {
    Objects.requireNonNull(partition);
    Objects.requireNonNull(txId);
    actions = List.copyOf(actions);
  }
}
