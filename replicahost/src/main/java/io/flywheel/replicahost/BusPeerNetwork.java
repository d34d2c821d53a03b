package io.flywheel.replicahost;

import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import io.flywheel.replication.Message;
import io.flywheel.replication.MessageCodec;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.InboundHandler;
import io.flywheel.transport.MessageBus;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replication messages over a {@link MessageBus}: each message in one envelope of the kind the
 * composition root assigns to replication (the registry of kinds lives with the protocol), in
 * format version {@link #FORMAT_VERSION}, encoded by {@link MessageCodec} with its CRC32C (the core
 * verifies it on receipt). The bus's bounds are the only queue: a refused send is dropped and
 * counted, and the core resends on its own schedule.
 *
 * <p>Inbound, an envelope that does not decode, or whose message does not match the envelope's
 * addresses, is dropped and counted; the rest go to {@link ReplicaHost#deliver}, which only queues
 * them for the group's worker (the bus's threads never block here).
 */
public final class BusPeerNetwork implements PeerNetwork, InboundHandler {
  /** The envelope version of this encoding. */
  public static final int FORMAT_VERSION = 1;

  private final int kind;
  private volatile MessageBus bus;
  private volatile ReplicaHost host;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  /**
   * The bus and the host are attached after construction, because each needs the other's side
   * first (the bus its inbound handler, the host its network); until then sends and receipts are
   * dropped, which the protocol tolerates.
   *
   * @param kind the envelope kind of replication messages
   */
  public BusPeerNetwork(int kind) {
    this.kind = kind;
  }

  /** Sends through {@code messageBus} from now on. */
  public void attach(MessageBus messageBus) {
    this.bus = messageBus;
  }

  /** Delivers inbound messages to {@code replicaHost} from now on. */
  public void attach(ReplicaHost replicaHost) {
    MessageBus b = bus;
    Invariants.checkArgument(b == null || replicaHost.nodeId() == b.localNodeId(), "the host and the bus are different nodes");
    this.host = replicaHost;
  }

  @Override
  public void send(Message message) {
    MessageBus b = bus;
    byte[] payload = MessageCodec.encode(message);
    // A message past the bus's frame bound is a configuration error (entries larger than frames): it
    // is dropped like a refused one rather than thrown at the worker that sends it.
    if (b != null && payload.length <= b.config().maxPayloadBytes()
        && b.send(new Envelope(FORMAT_VERSION, kind, b.localNodeId(), message.to(), payload))) {
      sent.incrementAndGet();
    } else {
      refused.incrementAndGet();
    }
  }

  /** Whether {@code envelope} is a replication message (the node's inbound dispatch asks). */
  public boolean accepts(Envelope envelope) {
    return envelope.kind() == kind;
  }

  @Override
  public void receive(Envelope envelope) {
    Message message;
    try {
      if (envelope.kind() != kind || envelope.version() != FORMAT_VERSION) {
        throw new CorruptDataException("not a replication message of version " + FORMAT_VERSION);
      }
      message = MessageCodec.decode(envelope.payload());
      if (message.from() != envelope.sourceNodeId() || message.to() != envelope.destinationNodeId()) {
        throw new CorruptDataException("message addresses differ from its envelope's");
      }
    } catch (CorruptDataException e) {
      malformed.incrementAndGet();
      return;
    }
    ReplicaHost h = host;
    if (h != null) {
      received.incrementAndGet();
      h.deliver(message);
    }
  }

  /** Messages handed to the bus. */
  public long sent() {
    return sent.get();
  }

  /** Messages dropped unsent: no bus yet, too large for a frame, or refused by the bus (queue full, unknown node, closed). */
  public long refused() {
    return refused.get();
  }

  /** Messages delivered to the host. */
  public long received() {
    return received.get();
  }

  /** Envelopes dropped because they did not decode or were misaddressed. */
  public long malformed() {
    return malformed.get();
  }
}
