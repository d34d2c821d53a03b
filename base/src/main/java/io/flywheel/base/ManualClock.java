package io.flywheel.base;

/** A clock that moves only when told to: for tests and the simulator. Not thread-safe. */
public final class ManualClock implements Clock {
  private long monotonicNanos;
  private long wallMillis;

  public ManualClock(long wallMillis) {
    this.wallMillis = wallMillis;
  }

  @Override
  public long monotonicNanos() {
    return monotonicNanos;
  }

  @Override
  public long wallMillis() {
    return wallMillis;
  }

  public void advanceNanos(long nanos) {
    Invariants.checkArgument(nanos >= 0, "time moves forward");
    monotonicNanos += nanos;
    wallMillis += nanos / 1_000_000L;
  }

  public void advanceMillis(long millis) {
    advanceNanos(Math.multiplyExact(millis, 1_000_000L));
  }
}
