package io.flywheel.transport;

import io.flywheel.base.Invariants;

/**
 * The bounds every {@link MessageBus} implementation honours.
 *
 * @param maxFrameBytes largest frame on the wire, length prefix included; a larger declared frame
 *     is a protocol error that closes the connection. It also bounds one envelope: see {@link
 *     #maxPayloadBytes()}
 * @param maxQueuedMessagesPerPeer envelopes waiting for one destination node beyond which {@code
 *     send} refuses
 * @param maxQueuedBytesPerPeer encoded bytes ({@link Envelope#encodedBytes()}) waiting for one
 *     destination node beyond which {@code send} refuses
 * @param versions envelope versions this node reads and writes, announced in the handshake
 */
public record MessageBusConfig(
    int maxFrameBytes, int maxQueuedMessagesPerPeer, long maxQueuedBytesPerPeer, VersionRange versions) {
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  /** The smallest frame limit: handshakes and a small envelope must always fit. */
  public static final int MIN_MAX_FRAME_BYTES = 1024;

  public MessageBusConfig {
    Invariants.checkArgument(maxFrameBytes >= MIN_MAX_FRAME_BYTES, "maxFrameBytes >= " + MIN_MAX_FRAME_BYTES);
    Invariants.checkArgument(maxQueuedMessagesPerPeer >= 1, "maxQueuedMessagesPerPeer >= 1");
    Invariants.checkArgument(maxQueuedBytesPerPeer >= maxFrameBytes,
        "maxQueuedBytesPerPeer >= maxFrameBytes (the largest envelope must fit in an empty queue)");
    Invariants.checkNotNull(versions, "versions");
  }

  /**
   * 16 MiB frames, 64 Ki envelopes and 64 MiB per peer, version 1 only. A node with thousands of
   * replication groups sends many small messages to each of a few dozen peers.
   */
  public static MessageBusConfig defaults() {
    return new MessageBusConfig(DEFAULT_MAX_FRAME_BYTES, 65_536, 64L * 1024 * 1024, VersionRange.only(1));
  }

  public MessageBusConfig withVersions(VersionRange newVersions) {
    return new MessageBusConfig(maxFrameBytes, maxQueuedMessagesPerPeer, maxQueuedBytesPerPeer, newVersions);
  }

  public MessageBusConfig withQueueBounds(int newMaxQueuedMessagesPerPeer, long newMaxQueuedBytesPerPeer) {
    return new MessageBusConfig(maxFrameBytes, newMaxQueuedMessagesPerPeer, newMaxQueuedBytesPerPeer, versions);
  }

  /**
   * The checks every implementation makes in {@code send}: these are caller bugs, so they throw.
   *
   * @throws IllegalArgumentException as documented on {@link MessageBus#send}
   */
  public void checkSendable(Envelope envelope, long localNodeId) {
    Invariants.checkNotNull(envelope, "envelope");
    Invariants.checkArgument(envelope.sourceNodeId() == localNodeId,
        "envelope source " + envelope.sourceNodeId() + " is not this node " + localNodeId);
    Invariants.checkArgument(envelope.destinationNodeId() != localNodeId, "a node does not send to itself");
    Invariants.checkArgument(versions.contains(envelope.version()),
        "version " + envelope.version() + " outside this node's " + versions);
    Invariants.checkArgument(envelope.payload().length <= maxPayloadBytes(),
        "payload of " + envelope.payload().length + " bytes exceeds maxPayloadBytes " + maxPayloadBytes());
  }

  /** The largest payload one envelope may carry: it must fit alone in a frame. */
  public int maxPayloadBytes() {
    return FrameCodec.maxPayloadBytes(maxFrameBytes);
  }
}
