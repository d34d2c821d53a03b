package io.flywheel.transport;

import java.util.Optional;

/**
 * How a node's roles (storage node, metadata, router) talk to other nodes: envelopes addressed by
 * node id, queued per destination node within fixed bounds and delivered to the destination's
 * {@link InboundHandler}.
 *
 * <p>Delivery guarantees, the same for every implementation:
 *
 * <ul>
 *   <li><b>at most once, in order per pair</b>: the envelopes one node receives from another are a
 *       subsequence of the ones sent, in send order. Nothing is duplicated or reordered;
 *   <li><b>loss is possible and silent to the sender</b>: envelopes already handed to a connection
 *       that breaks are gone, and a destination that stops loses what it had not handled. Callers
 *       (replication) retransmit on their own schedule. Envelopes still queued when a connection
 *       breaks stay queued and go out on the next connection to the same node id;
 *   <li><b>nothing blocks and nothing grows without bound</b>: {@link #send} never waits; when the
 *       destination's queue is at its bound in messages or bytes it refuses.
 * </ul>
 */
public interface MessageBus extends AutoCloseable {
  long localNodeId();

  MessageBusConfig config();

  /**
   * Queues an envelope for its destination node and returns at once.
   *
   * @return true if queued; false if refused and counted: the destination's queue is full ({@link
   *     TransportStats#refusedQueueFull()}), the destination is not a node this bus can address
   *     ({@link TransportStats#refusedUnknownNode()}), or this bus is closed ({@link
   *     TransportStats#refusedClosed()})
   * @throws IllegalArgumentException for a caller's bug: the source is not {@link #localNodeId()},
   *     the destination is this node, the version is outside {@link MessageBusConfig#versions()},
   *     or the payload exceeds {@link MessageBusConfig#maxPayloadBytes()}
   */
  boolean send(Envelope envelope);

  /** Whether envelopes to this node go out now (a connection is up and its handshake done). */
  boolean isConnected(long nodeId);

  /**
   * The versions the connected node announced, to choose the version to write: envelopes whose
   * version the destination does not support are dropped at the sender and counted ({@link
   * TransportStats#droppedIncompatible()}) rather than sent. Empty while not connected.
   */
  Optional<VersionRange> peerVersions(long nodeId);

  TransportStats stats();

  /**
   * Stops this bus: refuses further sends, drops what is queued, closes connections, and returns
   * once no handler call is running (unless called from the handler). Idempotent.
   */
  @Override
  void close();
}
