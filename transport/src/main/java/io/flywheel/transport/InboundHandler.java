package io.flywheel.transport;

/**
 * Receives the envelopes addressed to the node that owns a {@link MessageBus}.
 *
 * <p>Threading contract, the same for every implementation:
 *
 * <ul>
 *   <li>called on a transport thread (a Netty event loop over TCP, the supplied executor in
 *       process), never on the thread that called {@code send};
 *   <li>calls for envelopes from one source node never overlap and arrive in that source's send
 *       order; calls for different sources may run concurrently on different threads;
 *   <li>it must not block: a blocked call stalls every envelope behind it from that source (and,
 *       over TCP, every connection sharing the event loop). Hand the envelope to the owner's own
 *       queue (for example a replica worker's) and return;
 *   <li>an exception it throws is counted ({@link TransportStats#handlerFailures()}) and logged
 *       where the implementation logs; it does not close the connection or stop later deliveries;
 *   <li>it is not called again once {@link MessageBus#close()} has returned (unless close was
 *       called from inside the handler itself).
 * </ul>
 */
@FunctionalInterface
public interface InboundHandler {
  void receive(Envelope envelope);
}
