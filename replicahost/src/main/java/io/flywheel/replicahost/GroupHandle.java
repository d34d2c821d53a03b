package io.flywheel.replicahost;

import java.util.concurrent.CompletableFuture;

/**
 * Proposes commands to one hosted group. The future completes, on the group's worker thread, once
 * the command's entry is durable and applied (or at once with a rejection); continue on another
 * executor rather than doing slow work in a dependent stage.
 *
 * @param <C> the group's command type
 */
public final class GroupHandle<C> {
  private final ReplicaHost.Group<C> group;

  GroupHandle(ReplicaHost.Group<C> group) {
    this.group = group;
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

  public CompletableFuture<Object> propose(C command) {
    RuntimeException failure = group.failure;
    if (failure != null) {
      return CompletableFuture.failedFuture(
          new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED, "group " + group.id + " stopped: " + failure.getMessage()));
    }
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (!group.worker.submit(new ReplicaHost.Task.Proposal(group, command, future))) {
      return CompletableFuture.failedFuture(
          new HostRejectedException(HostRejectedException.Reason.OVERLOADED, "replica worker queue is full"));
    }
    return future;
  }
}
