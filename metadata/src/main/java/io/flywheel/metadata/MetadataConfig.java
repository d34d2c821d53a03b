package io.flywheel.metadata;

import io.flywheel.base.Invariants;
import java.util.List;

/**
 * Tunables of the metadata role.
 *
 * @param initialPartitions partitions a new table starts with
 * @param replicationFactor replicas per partition (3 in a cluster, 1 on a single node)
 * @param storageNodes the nodes partitions are placed on, with their availability zones
 * @param metadataNodes the nodes holding the catalog's replication group (its founding voters)
 */
public record MetadataConfig(int initialPartitions, int replicationFactor, List<Placement.Node> storageNodes,
    List<Long> metadataNodes) {
  public MetadataConfig {
    Invariants.checkArgument(!metadataNodes.isEmpty(), "the catalog needs at least one metadata node");
    metadataNodes = List.copyOf(metadataNodes);
    Invariants.checkArgument(initialPartitions >= 1 && initialPartitions <= 1024, "initialPartitions in [1, 1024]");
    Invariants.checkArgument(replicationFactor >= 1 && replicationFactor <= storageNodes.size(),
        "replicationFactor in [1, number of storage nodes]");
    storageNodes = List.copyOf(storageNodes);
  }

  /** One storage node, node 1, holding one replica of everything (the embedded server). */
  public static MetadataConfig singleNode(int initialPartitions) {
    return new MetadataConfig(initialPartitions, 1, List.of(new Placement.Node(1, "local")), List.of(1L));
  }

  /** A storage node of a cluster and its availability zone. */
  public static Placement.Node node(long nodeId, String availabilityZone) {
    return new Placement.Node(nodeId, availabilityZone);
  }
}
