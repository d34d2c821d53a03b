package io.flywheel.protocol;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each partition's leader was last found, for everyone who sends a partition writes or
 * strongly consistent reads (routers, index propagation): a guess per replication group, moved by
 * what storage nodes answer. A NotLeader naming a replica moves it there; one naming nobody, or a
 * node that could not be reached, moves it past the node that was tried. One entry per group, replaced
 * as leaders move; a guess is only a guess (a stale one costs a redirection, never correctness).
 */
public final class PartitionLeaders {
  private final ConcurrentHashMap<Long, Long> leaders = new ConcurrentHashMap<>();

  /** The node to send {@code partition}'s leader requests to: the last one found, else its first (preferred) replica. */
  public long leaderOf(PartitionDescriptor partition) {
    Long leader = leaders.get(partition.groupId());
    return leader != null && partition.replicaNodes().contains(leader) ? leader : partition.replicaNodes().get(0);
  }

  /**
   * Moves the guess after {@code node} failed a leader request with {@code failure}: to the
   * NotLeader answer's hint when it names a replica, else past {@code node}. Returns whether the
   * failure was a routing one (NotLeader or Unreachable), after which another replica may serve.
   */
  public boolean redirect(PartitionDescriptor partition, long node, Throwable failure) {
    List<Long> replicas = partition.replicaNodes();
    if (failure instanceof RoutingException.NotLeader refusal) {
      if (refusal.leaderHint() != 0 && refusal.leaderHint() != node && replicas.contains(refusal.leaderHint())) {
        leaders.put(partition.groupId(), refusal.leaderHint());
      } else {
        passOver(partition, node);
      }
      return true;
    }
    if (failure instanceof RoutingException.Unreachable) {
      passOver(partition, node);
      return true;
    }
    return false;
  }

  private void passOver(PartitionDescriptor partition, long node) {
    List<Long> replicas = partition.replicaNodes();
    if (leaderOf(partition) == node) { // someone else may have moved the guess already
      int at = replicas.indexOf(node);
      leaders.put(partition.groupId(), replicas.get((Math.max(at, 0) + 1) % replicas.size()));
    }
  }
}
