package io.flywheel.transport;

import io.flywheel.base.Invariants;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link MessageBus} between nodes in one JVM, through a {@link LocalMessageHub}. Same bounds and
 * semantics as the TCP bus, without bytes: envelopes are handed over as objects.
 *
 * <p>Per destination, a sender keeps one bounded {@link EnvelopeQueue} (a <em>link</em>). A send
 * to a running destination schedules one drain task on the <em>destination's</em> delivery
 * executor; each run of it takes what is queued (at most one frame's worth, as a TCP frame would)
 * and hands it to the destination's handler in order, then reschedules itself if more is queued.
 * One task per link at a time gives the per-source order and non-overlap that {@link
 * InboundHandler} promises, on any executor.
 *
 * <p>"Connected" means the destination is running and its version range overlaps this bus's (the
 * in-process equivalent of a completed handshake).
 */
public final class LocalMessageBus implements MessageBus {
  private final LocalMessageHub hub;
  private final long nodeId;
  private final MessageBusConfig config;
  private final InboundHandler handler;
  private final Executor deliveryExecutor;
  private final TransportCounters counters = new TransportCounters();
  private final ConcurrentMap<Long, Link> links = new ConcurrentHashMap<>();
  /** Guards {@link #closed} transitions and {@link #deliveringThreads}. */
  private final Object deliveryMonitor = new Object();
  private final Set<Thread> deliveringThreads = new HashSet<>();
  private volatile boolean closed;
  private final System.Logger log = System.getLogger(LocalMessageBus.class.getName());

  LocalMessageBus(LocalMessageHub hub, long nodeId, MessageBusConfig config, InboundHandler handler, Executor deliveryExecutor) {
    this.hub = Invariants.checkNotNull(hub, "hub");
    this.nodeId = nodeId;
    this.config = Invariants.checkNotNull(config, "config");
    this.handler = Invariants.checkNotNull(handler, "handler");
    this.deliveryExecutor = Invariants.checkNotNull(deliveryExecutor, "deliveryExecutor");
  }

  /** Envelopes queued for one destination. */
  private static final class Link {
    final long destinationNodeId;
    final EnvelopeQueue queue;
    boolean drainScheduled; // guarded by this

    Link(long destinationNodeId, MessageBusConfig config) {
      this.destinationNodeId = destinationNodeId;
      this.queue = new EnvelopeQueue(config.maxQueuedMessagesPerPeer(), config.maxQueuedBytesPerPeer());
    }
  }

  @Override
  public long localNodeId() {
    return nodeId;
  }

  @Override
  public MessageBusConfig config() {
    return config;
  }

  @Override
  public boolean send(Envelope envelope) {
    config.checkSendable(envelope, nodeId);
    if (closed) {
      counters.increment(TransportCounters.Counter.REFUSED_CLOSED);
      return false;
    }
    long destination = envelope.destinationNodeId();
    if (!hub.isKnown(destination)) {
      counters.increment(TransportCounters.Counter.REFUSED_UNKNOWN_NODE);
      return false;
    }
    Link link = links.computeIfAbsent(destination, id -> new Link(id, config));
    synchronized (link) {
      if (!link.queue.offer(envelope)) {
        counters.increment(TransportCounters.Counter.REFUSED_QUEUE_FULL);
        return false;
      }
    }
    scheduleDrain(link);
    return true;
  }

  @Override
  public boolean isConnected(long destinationNodeId) {
    return connectable(hub.running(destinationNodeId));
  }

  @Override
  public Optional<VersionRange> peerVersions(long destinationNodeId) {
    LocalMessageBus target = hub.running(destinationNodeId);
    return connectable(target) ? Optional.of(target.config.versions()) : Optional.empty();
  }

  private boolean connectable(LocalMessageBus target) {
    return !closed && target != null && !target.closed && target.config.versions().overlaps(config.versions());
  }

  @Override
  public TransportStats stats() {
    return counters.snapshot();
  }

  @Override
  public void close() {
    synchronized (deliveryMonitor) {
      if (!closed) {
        closed = true;
        hub.left(this);
        for (Link link : links.values()) {
          synchronized (link) {
            counters.add(TransportCounters.Counter.DROPPED_UNDELIVERABLE, link.queue.clear());
          }
        }
      }
      Thread self = Thread.currentThread();
      boolean interrupted = false;
      while (!deliveringThreads.isEmpty() && !(deliveringThreads.size() == 1 && deliveringThreads.contains(self))) {
        try {
          deliveryMonitor.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A node with this id joined the hub: what is queued for it may go now. */
  void destinationJoined(long destinationNodeId) {
    Link link = links.get(destinationNodeId);
    if (link != null) {
      scheduleDrain(link);
    }
  }

  void destinationForgotten(long destinationNodeId) {
    Link link = links.remove(destinationNodeId);
    if (link != null) {
      synchronized (link) {
        counters.add(TransportCounters.Counter.DROPPED_UNDELIVERABLE, link.queue.clear());
      }
    }
  }

  private void scheduleDrain(Link link) {
    LocalMessageBus target = hub.running(link.destinationNodeId);
    synchronized (link) {
      if (link.drainScheduled || link.queue.isEmpty()) {
        return;
      }
      if (!connectable(target)) {
        if (!closed && target != null && !target.closed) {
          // Running but no common version: the in-process equivalent of a refused handshake.
          counters.increment(TransportCounters.Counter.HANDSHAKES_REFUSED);
        }
        return;
      }
      link.drainScheduled = true;
    }
    try {
      target.deliveryExecutor.execute(() -> drainOnce(link, target));
    } catch (RejectedExecutionException e) {
      // The destination's executor is shut down: it is stopping. Keep the queue for its successor.
      synchronized (link) {
        link.drainScheduled = false;
      }
    }
  }

  /** Runs on the destination's executor: delivers one frame's worth, then yields the executor. */
  private void drainOnce(Link link, LocalMessageBus target) {
    List<Envelope> batch;
    synchronized (link) {
      if (!connectable(target) || hub.running(link.destinationNodeId) != target) {
        link.drainScheduled = false;
        return;
      }
      batch = link.queue.pollBatch(Math.min(config.maxFrameBytes(), target.config.maxFrameBytes()));
      if (batch.isEmpty()) {
        link.drainScheduled = false;
        return;
      }
    }
    counters.increment(TransportCounters.Counter.FRAMES_SENT);
    counters.add(TransportCounters.Counter.BYTES_SENT, FrameCodec.batchFrameBytes(batch));
    try {
      target.deliver(batch, this);
    } finally {
      synchronized (link) {
        link.drainScheduled = false;
      }
      scheduleDrain(link);
    }
  }

  /** Hands a batch from {@code source} to this node's handler, in order, unless this bus closes. */
  private void deliver(List<Envelope> batch, LocalMessageBus source) {
    Thread self = Thread.currentThread();
    synchronized (deliveryMonitor) {
      if (closed) {
        return;
      }
      deliveringThreads.add(self);
    }
    try {
      counters.increment(TransportCounters.Counter.FRAMES_RECEIVED);
      counters.add(TransportCounters.Counter.BYTES_RECEIVED, FrameCodec.batchFrameBytes(batch));
      for (Envelope envelope : batch) {
        if (closed) {
          return;
        }
        if (!config.versions().contains(envelope.version()) || envelope.payload().length > config.maxPayloadBytes()) {
          source.counters.increment(TransportCounters.Counter.DROPPED_INCOMPATIBLE);
          continue;
        }
        source.counters.increment(TransportCounters.Counter.ENVELOPES_SENT);
        counters.increment(TransportCounters.Counter.ENVELOPES_RECEIVED);
        try {
          handler.receive(envelope);
        } catch (RuntimeException e) {
          counters.increment(TransportCounters.Counter.HANDLER_FAILURES);
          long failures = counters.get(TransportCounters.Counter.HANDLER_FAILURES);
          if (Long.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th...: loud without flooding
            log.log(System.Logger.Level.WARNING, "node " + nodeId + ": inbound handler failed on " + envelope
                + " (" + failures + " failures so far)", e);
          }
        }
      }
    } finally {
      synchronized (deliveryMonitor) {
        deliveringThreads.remove(self);
        deliveryMonitor.notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return "LocalMessageBus[node " + nodeId + (closed ? ", closed" : "") + "]";
  }
}
