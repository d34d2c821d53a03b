package io.flywheel.protocol;

/**
 * A storage node cannot serve a request as addressed. Routers react by type: refresh the partition
 * map and retry within a bound. Never shown to users as such.
 */
public sealed class RoutingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RoutingException(String message) {
    super(message, null, false, false);
  }

  /** The partition changed (split, moved, dropped): the sender's epoch or range is stale. */
  public static final class WrongPartition extends RoutingException {
    private static final long serialVersionUID = 1L;
    private final transient PartitionRef requested;
    private final transient PartitionDescriptor current;

    /** {@code current} is what this node knows now, or null when it no longer hosts the group. */
    public WrongPartition(PartitionRef requested, PartitionDescriptor current) {
      super("stale partition " + requested + (current == null ? ": not hosted" : ": now epoch " + current.epoch()));
      this.requested = requested;
      this.current = current;
    }

    /** The partition as the request named it. */
    public PartitionRef requested() {
      return requested;
    }

    public PartitionDescriptor current() {
      return current;
    }
  }

  /** This replica is not the leader; {@code leaderHint} names the node that may be, or 0 when it knows none. */
  public static final class NotLeader extends RoutingException {
    private static final long serialVersionUID = 1L;
    private final long groupId;
    private final long leaderHint;

    public NotLeader(long groupId, long leaderHint) {
      super("not the leader of group " + groupId);
      this.groupId = groupId;
      this.leaderHint = leaderHint;
    }

    public long groupId() {
      return groupId;
    }

    public long leaderHint() {
      return leaderHint;
    }
  }

  /**
   * The storage node could not be reached: nothing was sent ({@code requestSent} false: the request
   * certainly did not take effect), or no answer came in time ({@code requestSent} true: it may
   * have taken effect). Raised by the caller's side of the network, never sent by a node.
   */
  public static final class Unreachable extends RoutingException {
    private static final long serialVersionUID = 1L;
    private final long nodeId;
    private final boolean requestSent;

    public Unreachable(long nodeId, boolean requestSent) {
      super("storage node " + nodeId + (requestSent ? " did not answer in time" : " could not be sent to"));
      this.nodeId = nodeId;
      this.requestSent = requestSent;
    }

    public long nodeId() {
      return nodeId;
    }

    public boolean requestSent() {
      return requestSent;
    }
  }
}
