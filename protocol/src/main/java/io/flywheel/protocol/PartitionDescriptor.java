package io.flywheel.protocol;

import io.flywheel.base.Invariants;
import java.util.List;

/**
 * A partition: the items of one table whose partition-key hash lies in {@code [hashStart, hashEnd]}
 * (unsigned, inclusive), served by one replication group. The epoch grows with every change of
 * range or membership. {@code replicaNodes} are node ids, the first the preferred leader.
 */
public record PartitionDescriptor(long groupId, long tableId, long hashStart, long hashEnd, long epoch, List<Long> replicaNodes) {
  public PartitionDescriptor {
    Invariants.checkArgument(Long.compareUnsigned(hashStart, hashEnd) <= 0, "hash range is empty");
    replicaNodes = List.copyOf(replicaNodes);
  }

  public boolean containsHash(long hash) {
    return Long.compareUnsigned(hash, hashStart) >= 0 && Long.compareUnsigned(hash, hashEnd) <= 0;
  }

  public PartitionRef ref() {
    return new PartitionRef(groupId, epoch);
  }
}
