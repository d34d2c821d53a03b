package io.flywheel.transport;

import io.flywheel.base.Invariants;
import java.util.List;

/**
 * What travels on a connection between two nodes. The dialer opens with a {@link Hello}, the
 * acceptor answers {@link Welcome} or {@link Refusal}; after that both sides send {@link Batch}es
 * and, when idle, {@link Heartbeat}s. See {@link FrameCodec} for the bytes.
 */
public sealed interface Frame {
  /**
   * The dialer's half of the handshake.
   *
   * @param nodeId the dialer's node id
   * @param incarnation random per bus instance: tells a restarted node from a second connection of
   *     the same one
   * @param expectedPeerNodeId the node id the dialer resolved this address for; the acceptor
   *     refuses if it is someone else (stale membership)
   * @param versions envelope versions the dialer supports
   * @param maxFrameBytes the largest frame the dialer accepts
   */
  record Hello(long nodeId, long incarnation, long expectedPeerNodeId, VersionRange versions, int maxFrameBytes)
      implements Frame {}

  /** The acceptor's half of the handshake: the same facts about the acceptor. */
  record Welcome(long nodeId, long incarnation, long expectedPeerNodeId, VersionRange versions, int maxFrameBytes)
      implements Frame {}

  /** The acceptor refuses the connection and closes it. */
  record Refusal(RefusalReason reason, String message) implements Frame {
    public Refusal {
      Invariants.checkNotNull(reason, "reason");
      Invariants.checkNotNull(message, "message");
    }
  }

  /** Envelopes, in send order, all from the connection's peer to this node. */
  record Batch(List<Envelope> envelopes) implements Frame {
    public Batch {
      Invariants.checkArgument(!envelopes.isEmpty(), "a batch carries at least one envelope");
      envelopes = List.copyOf(envelopes);
    }
  }

  /** Keeps an idle connection observably alive. */
  record Heartbeat() implements Frame {}

  /** Why an acceptor refused a handshake. */
  enum RefusalReason {
    /** The version ranges do not overlap. */
    INCOMPATIBLE_VERSION,
    /** The dialer expected another node id at this address. */
    WRONG_NODE,
    /** Another connection between the same two nodes wins the tie-break. */
    DUPLICATE_CONNECTION,
    /** This node is stopping or at its bound of peers. */
    UNAVAILABLE
  }
}
