package io.flywheel.protocol;

import io.flywheel.model.PrimaryKey;
import java.util.List;
import java.util.Objects;

/**
 * Phase two at one partition: commit (write the prepared images) or cancel (release) what the
 * transaction holds among {@code keys}. Idempotent: keys the transaction does not hold (never
 * prepared here, or already finished) are left alone.
 *
 * @param timestamp the transaction's timestamp; the partition remembers it for the keys, so a
 *     late copy of the transaction's prepare can no longer take effect
 */
public record TxFinishRequest(PartitionRef partition, long tableId, String txId, long timestamp, boolean commit, List<PrimaryKey> keys) {
  public TxFinishRequest {
    Objects.requireNonNull(partition);
    Objects.requireNonNull(txId);
    keys = List.copyOf(keys);
  }
}
