package io.flywheel.metadata;

import io.flywheel.base.Invariants;

/**
 * Tunables of the metadata role.
 *
 * @param initialPartitions partitions a new table starts with
 */
public record MetadataConfig(int initialPartitions) {
  public MetadataConfig {
    Invariants.checkArgument(initialPartitions >= 1 && initialPartitions <= 1024, "initialPartitions in [1, 1024]");
  }
}
