package io.flywheel.replicahost;

import io.flywheel.base.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Proposes commands to one hosted group and tells whether its applied state may serve strongly
 * consistent reads. A proposal's future completes, on the group's worker thread, once its entry is
 * committed and applied (or with a {@link HostRejectedException}); continue on another executor
 * rather than doing slow work in a dependent stage.
 *
 * @param <C> the group's command type
 */
public final class GroupHandle<C> {
  private final HostedGroup<C> group;
  private final Clock clock;

  GroupHandle(HostedGroup<C> group, Clock clock) {
    this.group = group;
    this.clock = clock;
  }

  public long groupId() {
    return group.id;
  }

  /**
   * Whether the group stopped after a failure (or was dropped): its applied state may lag what it
   * committed, so it must serve no reads.
   */
  public boolean stopped() {
    return group.failure != null;
  }

  /**
   * Whether a strongly consistent read of the applied state is correct now: this replica leads,
   * holds its lease and has applied everything committed before it began to serve, so every
   * acknowledged write is in its applied state and no other replica can acknowledge a write.
   */
  public boolean servesConsistentReads() {
    return clock.monotonicNanos() < group.readableUntilNanos;
  }

  /** The node this replica believes leads the group ({@code Replica.NO_NODE} if none). */
  public long leaderHint() {
    return group.leaderHint;
  }

  public CompletableFuture<Object> propose(C command) {
    RuntimeException failure = group.failure;
    if (failure != null) {
      return CompletableFuture.failedFuture(
          new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED, "group " + group.id + " stopped: " + failure.getMessage()));
    }
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (!group.worker.submit(new Worker.Task.Proposal(group, command, future))) {
      return CompletableFuture.failedFuture(
          new HostRejectedException(HostRejectedException.Reason.OVERLOADED, "replica worker queue is full"));
    }
    return future;
  }
}
