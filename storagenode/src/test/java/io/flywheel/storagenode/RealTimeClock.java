package io.flywheel.storagenode;

import io.flywheel.base.Clock;

/** The system's time, for tests whose threads must really wait (retry pacing). */
final class RealTimeClock implements Clock {
  static final RealTimeClock INSTANCE = new RealTimeClock();

  private RealTimeClock() {}

  @Override
  public long monotonicNanos() {
    return System.nanoTime();
  }

  @Override
  public long wallMillis() {
    return System.currentTimeMillis();
  }
}
