package io.flywheel.transport;

import io.flywheel.base.Invariants;

/**
 * One message between two nodes: what the caller sends and what the receiving node's {@link
 * InboundHandler} gets.
 *
 * <p>{@code version} is the format of the payload, chosen by the caller from the range its bus
 * supports (see {@link MessageBus#peerVersions}); {@code kind} tells the receiver how to decode the
 * payload and is owned by the caller (the transport never interprets it). Both are unsigned 16-bit
 * numbers.
 *
 * <p>The payload array belongs to the transport once sent and to the receiver once delivered, and
 * is never copied in between by the in-process bus: neither side may modify it.
 */
public record Envelope(int version, int kind, long sourceNodeId, long destinationNodeId, byte[] payload) {
  /** Bytes an envelope takes in a frame besides its payload. */
  public static final int HEADER_BYTES = 2 + 2 + 8 + 8 + 4;
  public static final int MAX_KIND = 0xFFFF;

  public Envelope {
    Invariants.checkArgument(version >= 0 && version <= VersionRange.MAX_WIRE_VERSION, "version in [0, 65535]");
    Invariants.checkArgument(kind >= 0 && kind <= MAX_KIND, "kind in [0, 65535]");
    Invariants.checkNotNull(payload, "payload");
  }

  /** Bytes this envelope takes in a frame: the unit of the per-peer queue bound in bytes. */
  public int encodedBytes() {
    return HEADER_BYTES + payload.length;
  }

  @Override
  public String toString() {
    return "Envelope[v" + version + " kind=" + kind + " " + sourceNodeId + "->" + destinationNodeId
        + " " + payload.length + " bytes]";
  }
}
