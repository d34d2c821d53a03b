package io.flywheel.replicahost;

import io.flywheel.base.Invariants;

/**
 * Tunables of the host runtime.
 *
 * @param workers worker threads; each owns a share of the groups and runs its own loop
 * @param queueCapacity bound of a worker's proposal queue; a full queue rejects new proposals
 * @param maxBatchProposals proposals evaluated per loop (and so per fsync) at most
 * @param maxBatchBytes log bytes per loop at most (the loop ends early when reached)
 * @param logRetainEntries applied entries after which a worker makes the item engine durable and
 *     truncates the log below what it applied
 */
public record HostConfig(int workers, int queueCapacity, int maxBatchProposals, long maxBatchBytes, long logRetainEntries) {
  public HostConfig {
    Invariants.checkArgument(workers >= 1, "workers >= 1");
    Invariants.checkArgument(queueCapacity >= 1, "queueCapacity >= 1");
    Invariants.checkArgument(maxBatchProposals >= 1, "maxBatchProposals >= 1");
    Invariants.checkArgument(maxBatchBytes >= 1, "maxBatchBytes >= 1");
    Invariants.checkArgument(logRetainEntries >= 1, "logRetainEntries >= 1");
  }

  public static HostConfig defaults(int workers) {
    return new HostConfig(workers, 16_384, 1_024, 16L << 20, 50_000);
  }
}
