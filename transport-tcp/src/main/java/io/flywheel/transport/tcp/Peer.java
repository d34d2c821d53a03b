package io.flywheel.transport.tcp;

import io.flywheel.transport.EnvelopeQueue;
import io.flywheel.transport.MessageBusConfig;
import java.util.concurrent.ScheduledFuture;

/**
 * What this node keeps about one other node: its bounded queue and at most one established
 * connection, plus at most one dial in progress. Every field is guarded by the Peer's monitor;
 * sections under it are short and never call into Netty in a way that can block.
 */
final class Peer {
  final long nodeId;
  final EnvelopeQueue queue;
  /** The connection envelopes go out on; null while there is none. */
  Connection established;
  /** A dial of ours whose handshake has not completed; null while none. */
  Connection dialing;
  /** A drain task is queued or running on the established connection's event loop. */
  boolean drainScheduled;
  /** The pending redial, if one is scheduled. */
  ScheduledFuture<?> reconnectTimer;
  /** Dials in a row that did not reach an established connection: the backoff exponent. */
  int consecutiveFailures;

  Peer(long nodeId, MessageBusConfig config) {
    this.nodeId = nodeId;
    this.queue = new EnvelopeQueue(config.maxQueuedMessagesPerPeer(), config.maxQueuedBytesPerPeer());
  }

  /** Whether envelopes may go out now. Caller holds the monitor. */
  boolean ready() {
    return established != null && established.ready;
  }
}
