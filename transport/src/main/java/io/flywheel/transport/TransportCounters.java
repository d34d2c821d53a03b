package io.flywheel.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/** The mutable counters behind {@link TransportStats}, safe to bump from any thread. */
public final class TransportCounters {
  /** One per {@link TransportStats} component, in the same order. */
  public enum Counter {
    ENVELOPES_SENT,
    ENVELOPES_RECEIVED,
    FRAMES_SENT,
    FRAMES_RECEIVED,
    BYTES_SENT,
    BYTES_RECEIVED,
    REFUSED_QUEUE_FULL,
    REFUSED_UNKNOWN_NODE,
    REFUSED_CLOSED,
    DROPPED_INCOMPATIBLE,
    DROPPED_UNDELIVERABLE,
    CHECKSUM_FAILURES,
    UNKNOWN_VERSIONS,
    OVERSIZED_FRAMES,
    MALFORMED_FRAMES,
    HANDSHAKES_REFUSED,
    HANDLER_FAILURES,
    CONNECTIONS_ESTABLISHED,
    CONNECTIONS_CLOSED,
    CONNECT_ATTEMPTS_FAILED
  }

  private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

  public void increment(Counter counter) {
    values.incrementAndGet(counter.ordinal());
  }

  public void add(Counter counter, long delta) {
    values.addAndGet(counter.ordinal(), delta);
  }

  public long get(Counter counter) {
    return values.get(counter.ordinal());
  }

  /** The counter a frame error of this kind bumps. */
  public static Counter of(FrameException.Kind kind) {
    return switch (kind) {
      case CHECKSUM -> Counter.CHECKSUM_FAILURES;
      case UNKNOWN_VERSION -> Counter.UNKNOWN_VERSIONS;
      case OVERSIZED -> Counter.OVERSIZED_FRAMES;
      case MALFORMED -> Counter.MALFORMED_FRAMES;
    };
  }

  public TransportStats snapshot() {
    return new TransportStats(
        get(Counter.ENVELOPES_SENT), get(Counter.ENVELOPES_RECEIVED), get(Counter.FRAMES_SENT),
        get(Counter.FRAMES_RECEIVED), get(Counter.BYTES_SENT), get(Counter.BYTES_RECEIVED),
        get(Counter.REFUSED_QUEUE_FULL), get(Counter.REFUSED_UNKNOWN_NODE), get(Counter.REFUSED_CLOSED),
        get(Counter.DROPPED_INCOMPATIBLE), get(Counter.DROPPED_UNDELIVERABLE), get(Counter.CHECKSUM_FAILURES),
        get(Counter.UNKNOWN_VERSIONS), get(Counter.OVERSIZED_FRAMES), get(Counter.MALFORMED_FRAMES),
        get(Counter.HANDSHAKES_REFUSED), get(Counter.HANDLER_FAILURES), get(Counter.CONNECTIONS_ESTABLISHED),
        get(Counter.CONNECTIONS_CLOSED), get(Counter.CONNECT_ATTEMPTS_FAILED));
  }
}
