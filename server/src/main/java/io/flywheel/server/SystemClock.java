package io.flywheel.server;

import io.flywheel.base.Clock;

/** The real clock; only the composition root creates it. */
final class SystemClock implements Clock {
  @Override
  public long monotonicNanos() {
    return System.nanoTime();
  }

  @Override
  public long wallMillis() {
    return System.currentTimeMillis();
  }
}
