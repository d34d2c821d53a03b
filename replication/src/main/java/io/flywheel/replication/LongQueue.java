package io.flywheel.replication;

import io.flywheel.base.Invariants;
import java.util.Arrays;

/**
 * A FIFO of longs with a hard bound, growing from a small array only as needed (so an idle leader
 * holds a few bytes, not {@code bound} slots). Not thread-safe.
 */
final class LongQueue {
  private final int bound;
  private long[] items;
  private int head;
  private int size;

  LongQueue(int bound, int initialCapacity) {
    Invariants.checkArgument(bound >= 1, "bound >= 1");
    this.bound = bound;
    this.items = new long[Math.max(1, Math.min(bound, initialCapacity))];
  }

  boolean isFull() {
    return size == bound;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void add(long v) {
    Invariants.check(size < bound, "queue bound " + bound + " exceeded");
    if (size == items.length) {
      long[] grown = new long[Math.min(bound, items.length * 2)];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) % items.length];
      }
      items = grown;
      head = 0;
    }
    items[(head + size) % items.length] = v;
    size++;
  }

  long peek() {
    Invariants.check(size > 0, "peek on an empty queue");
    return items[head];
  }

  long poll() {
    long v = peek();
    head = (head + 1) % items.length;
    size--;
    return v;
  }

  /** The element at {@code i} (0 is the oldest). */
  long get(int i) {
    Invariants.check(i >= 0 && i < size, "index within the queue");
    return items[(head + i) % items.length];
  }

  void clear() {
    head = 0;
    size = 0;
  }

  @Override
  public String toString() {
    long[] out = new long[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(i);
    }
    return Arrays.toString(out);
  }
}
