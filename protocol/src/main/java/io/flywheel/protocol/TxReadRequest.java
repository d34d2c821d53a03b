package io.flywheel.protocol;

import io.flywheel.model.PrimaryKey;
import java.util.List;
import java.util.Objects;

/**
 * A TransactGetItems read at one partition, decided on the leader in order with its writes: for
 * each key, whether a transaction holds the item, its version and (when {@code withImages}) its
 * latest image.
 */
public record TxReadRequest(PartitionRef partition, long tableId, List<PrimaryKey> keys, boolean withImages) {
  public TxReadRequest {
    Objects.requireNonNull(partition);
    keys = List.copyOf(keys);
  }
}
