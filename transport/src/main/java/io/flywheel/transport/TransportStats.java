package io.flywheel.transport;

/**
 * Counters of one {@link MessageBus} since it started. Every refusal, drop and protocol error is
 * counted here; none is silent.
 *
 * @param envelopesSent envelopes handed to a connection (TCP) or to the destination's delivery
 *     queue (in process)
 * @param envelopesReceived envelopes handed to the inbound handler
 * @param framesSent frames written (a batch frame carries every envelope queued for a peer in one
 *     turn; handshake and heartbeat frames count too)
 * @param framesReceived frames read and verified
 * @param bytesSent frame bytes written
 * @param bytesReceived frame bytes read
 * @param refusedQueueFull sends refused because the destination's queue was at its bound
 * @param refusedUnknownNode sends refused because the destination could not be addressed
 * @param refusedClosed sends refused because the bus was closed
 * @param droppedIncompatible envelopes dropped at the sender because the connected destination
 *     does not support their version or size
 * @param droppedUndeliverable queued envelopes dropped because their destination left the
 *     membership (the resolver no longer knows it) or the bus closed
 * @param checksumFailures frames whose CRC32C did not match (connection closed)
 * @param unknownVersions envelopes with a version outside this node's range (connection closed)
 * @param oversizedFrames frames declaring more than {@code maxFrameBytes} (connection closed)
 * @param malformedFrames frames that did not decode or broke the protocol (connection closed)
 * @param handshakesRefused handshakes refused, by this node or by the peer (incompatible versions,
 *     wrong node, duplicate connection)
 * @param handlerFailures exceptions thrown by the inbound handler
 * @param connectionsEstablished connections whose handshake completed
 * @param connectionsClosed established connections that closed
 * @param connectAttemptsFailed dials that did not reach an established connection
 */
public record TransportStats(
    long envelopesSent,
    long envelopesReceived,
    long framesSent,
    long framesReceived,
    long bytesSent,
    long bytesReceived,
    long refusedQueueFull,
    long refusedUnknownNode,
    long refusedClosed,
    long droppedIncompatible,
    long droppedUndeliverable,
    long checksumFailures,
    long unknownVersions,
    long oversizedFrames,
    long malformedFrames,
    long handshakesRefused,
    long handlerFailures,
    long connectionsEstablished,
    long connectionsClosed,
    long connectAttemptsFailed) {

  /** Protocol errors that closed a connection. */
  public long protocolErrors() {
    return checksumFailures + unknownVersions + oversizedFrames + malformedFrames;
  }

  /** Sends that returned false. */
  public long refused() {
    return refusedQueueFull + refusedUnknownNode + refusedClosed;
  }
}
