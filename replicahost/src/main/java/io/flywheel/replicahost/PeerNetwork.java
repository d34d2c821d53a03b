package io.flywheel.replicahost;

import io.flywheel.replication.Message;

/**
 * Carries replication messages to other nodes (the composition root adapts a message bus). Sends
 * never block; a message that cannot go out is dropped, which the protocol tolerates (it resends).
 * Inbound messages come back through {@link ReplicaHost#deliver}.
 */
@FunctionalInterface
public interface PeerNetwork {
  /** A network for a host whose groups all have one member: there is nobody to talk to. */
  PeerNetwork NONE = message -> {};

  /** Sends {@code message} to node {@code message.to()}, or drops it. */
  void send(Message message);
}
