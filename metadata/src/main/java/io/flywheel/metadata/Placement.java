package io.flywheel.metadata;

import io.flywheel.base.Invariants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a table's partitions go: each partition gets {@code replicationFactor} replicas on distinct
 * nodes in distinct availability zones when there are enough zones (paper §3: three replicas in
 * three AZs, so an AZ can fail), rotating over zones and over the nodes within each so partitions
 * spread evenly. Deterministic: the same nodes give the same placement. The first node of a set is
 * the preferred leader.
 */
public final class Placement {
  private Placement() {}

  /** A storage node and its availability zone. */
  public record Node(long nodeId, String availabilityZone) {}

  /** Replica sets for {@code count} partitions, the first starting at rotation {@code offset}. */
  static List<List<Long>> replicaSets(List<Node> nodes, int replicationFactor, int count, long offset) {
    Invariants.checkArgument(!nodes.isEmpty(), "no storage nodes to place partitions on");
    Invariants.checkArgument(replicationFactor >= 1 && replicationFactor <= nodes.size(),
        "replication factor " + replicationFactor + " needs as many storage nodes, have " + nodes.size());
    TreeMap<String, List<Long>> byZone = new TreeMap<>();
    for (Node n : nodes) {
      byZone.computeIfAbsent(n.availabilityZone(), z -> new ArrayList<>()).add(n.nodeId());
    }
    for (List<Long> zoneNodes : byZone.values()) {
      zoneNodes.sort(null);
    }
    List<List<Long>> zones = new ArrayList<>(byZone.values());
    List<List<Long>> sets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long rotation = offset + i;
      List<Long> set = new ArrayList<>(replicationFactor);
      // one replica per zone while zones last, then a second round over them for what is left
      for (int round = 0; set.size() < replicationFactor; round++) {
        for (int z = 0; z < zones.size() && set.size() < replicationFactor; z++) {
          List<Long> zone = zones.get((int) Math.floorMod(rotation + z, (long) zones.size()));
          long pick = zone.get((int) Math.floorMod(rotation / zones.size() + round, (long) zone.size()));
          if (!set.contains(pick)) {
            set.add(pick);
          }
        }
        Invariants.check(round < nodes.size(), "placement could not find " + replicationFactor + " distinct nodes");
      }
      sets.add(List.copyOf(set));
    }
    return sets;
  }

  /** How many replicas of all sets each node got (for tests and balance checks). */
  static Map<Long, Integer> load(List<List<Long>> sets) {
    Map<Long, Integer> load = new TreeMap<>();
    for (List<Long> set : sets) {
      for (long n : set) {
        load.merge(n, 1, Integer::sum);
      }
    }
    return load;
  }
}
