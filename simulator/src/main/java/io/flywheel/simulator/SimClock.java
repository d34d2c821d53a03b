package io.flywheel.simulator;

import io.flywheel.base.Clock;

/**
 * One node's monotonic clock: it starts at an offset and runs fast or slow against true time by
 * {@code driftPpm} parts per million. The simulation picks drifts so that any two clocks drift
 * apart by less than the configured bound ε over one lease duration. The clock keeps running while
 * its node is paused or down, as a real one does.
 */
final class SimClock implements Clock {
  private static final long PPM = 1_000_000L;
  private final EventQueue events;
  private final long offsetNanos;
  private final long driftPpm;

  SimClock(EventQueue events, long offsetNanos, long driftPpm) {
    this.events = events;
    this.offsetNanos = offsetNanos;
    this.driftPpm = driftPpm;
  }

  /** This clock's reading at true time {@code trueNanos}. */
  long localAt(long trueNanos) {
    return offsetNanos + trueNanos + trueNanos / PPM * driftPpm + (trueNanos % PPM) * driftPpm / PPM;
  }

  /** The earliest true time at which this clock reads {@code localNanos} or more (saturating). */
  long trueAt(long localNanos) {
    if (localNanos == Long.MAX_VALUE || localNanos == Long.MIN_VALUE) {
      return localNanos;
    }
    long lo = 0;
    long hi = Long.MAX_VALUE / 4;
    if (localAt(hi) < localNanos) {
      return Long.MAX_VALUE;
    }
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (localAt(mid) >= localNanos) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  long driftPpm() {
    return driftPpm;
  }

  @Override
  public long monotonicNanos() {
    return localAt(events.nowNanos());
  }

  @Override
  public long wallMillis() {
    return monotonicNanos() / 1_000_000L;
  }
}
