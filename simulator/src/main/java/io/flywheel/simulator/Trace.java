package io.flywheel.simulator;

/**
 * A running hash of everything observable that happened in a run (deliveries, Readies, client
 * answers, faults), with true times. Two runs of the same seed must end with the same hash; that
 * is how determinism is tested.
 */
final class Trace {
  static final int DELIVER = 1;
  static final int READY = 2;
  static final int CLIENT = 3;
  static final int FAULT = 4;
  static final int APPLY = 5;

  private final EventQueue events;
  private long hash = 0xCBF29CE484222325L;
  private long records;

  Trace(EventQueue events) {
    this.events = events;
  }

  void record(int kind, long a, long b, long c) {
    mix(events.nowNanos());
    mix(kind);
    mix(a);
    mix(b);
    mix(c);
    records++;
  }

  private void mix(long v) {
    hash ^= v;
    hash *= 0x100000001B3L;
    hash ^= hash >>> 29;
  }

  long hash() {
    return hash;
  }

  long records() {
    return records;
  }
}
