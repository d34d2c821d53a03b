package io.flywheel.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * Connects {@link LocalMessageBus}es in one JVM: the embedded single-process mode and tests.
 *
 * <p>The hub plays the role the address resolver and the network play for TCP. A node id is
 * <em>known</em> once it has joined or been {@linkplain #declare declared}, and stays known until
 * {@linkplain #forget forgotten}: envelopes to a known node that is not running queue (within the
 * sender's bounds) and are delivered when a bus with that id joins again, exactly like envelopes
 * to a TCP peer that is restarting. Envelopes to an unknown node are refused.
 */
public final class LocalMessageHub {
  private final ConcurrentMap<Long, LocalMessageBus> running = new ConcurrentHashMap<>();
  private final Set<Long> known = ConcurrentHashMap.newKeySet();

  /**
   * Starts a bus for {@code nodeId} on this hub.
   *
   * @param deliveryExecutor runs this node's inbound handler; envelopes from one source are
   *     delivered by one task at a time, so any executor (even a multi-threaded one) keeps the
   *     per-source order
   * @throws IllegalStateException if a bus with this id is running
   */
  public LocalMessageBus join(long nodeId, MessageBusConfig config, InboundHandler handler, Executor deliveryExecutor) {
    LocalMessageBus bus = new LocalMessageBus(this, nodeId, config, handler, deliveryExecutor);
    LocalMessageBus previous = running.putIfAbsent(nodeId, bus);
    if (previous != null) {
      throw new IllegalStateException("node " + nodeId + " is already running on this hub");
    }
    known.add(nodeId);
    for (LocalMessageBus other : running.values()) {
      if (other != bus) {
        other.destinationJoined(nodeId);
      }
    }
    return bus;
  }

  /** Makes a node id addressable before any bus with it runs (a member that is down). */
  public void declare(long nodeId) {
    known.add(nodeId);
  }

  /** Removes a node from the membership: sends to it are refused, what was queued is dropped. */
  public void forget(long nodeId) {
    known.remove(nodeId);
    for (LocalMessageBus bus : running.values()) {
      bus.destinationForgotten(nodeId);
    }
  }

  boolean isKnown(long nodeId) {
    return known.contains(nodeId);
  }

  /** The running bus of this node id, or null. */
  LocalMessageBus running(long nodeId) {
    return running.get(nodeId);
  }

  void left(LocalMessageBus bus) {
    running.remove(bus.localNodeId(), bus);
  }
}
