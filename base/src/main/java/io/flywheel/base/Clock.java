package io.flywheel.base;

/**
 * Time as an input. Logic modules receive a {@code Clock} instead of reading the system clock,
 * so that the simulator can drive them.
 */
public interface Clock {
  /** Monotonic time for durations and timeouts; meaningless across processes. */
  long monotonicNanos();

  /** Wall-clock time in milliseconds since the epoch, for user-visible timestamps only. */
  long wallMillis();
}
