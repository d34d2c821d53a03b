package io.flywheel.simulator;

import io.flywheel.base.Invariants;
import io.flywheel.base.Scheduler;
import java.util.PriorityQueue;

/**
 * The simulation's only source of progress: a priority queue of timed events in true (global,
 * simulated) time. Ties are broken by insertion order, so a run is a pure function of its seed.
 * One thread; nothing runs concurrently.
 */
final class EventQueue implements Scheduler {
  private record Event(long atNanos, long seq, Runnable task, boolean[] cancelled) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final int eventsMax;
  private long nowNanos;
  private long seq;
  private long executed;

  EventQueue(int eventsMax) {
    Invariants.checkArgument(eventsMax > 0, "eventsMax > 0");
    this.eventsMax = eventsMax;
  }

  /** True time now. */
  long nowNanos() {
    return nowNanos;
  }

  long executed() {
    return executed;
  }

  int pending() {
    return queue.size();
  }

  /** Runs {@code task} at true time {@code atNanos} (never in the past). */
  void at(long atNanos, Runnable task) {
    Invariants.check(queue.size() < eventsMax, "the event queue is bounded (" + eventsMax + ")");
    queue.add(new Event(Math.max(atNanos, nowNanos), seq++, task, null));
  }

  void after(long delayNanos, Runnable task) {
    at(nowNanos + delayNanos, task);
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    Invariants.check(queue.size() < eventsMax, "the event queue is bounded (" + eventsMax + ")");
    boolean[] cancelled = new boolean[1];
    queue.add(new Event(nowNanos + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs the next event due no later than {@code untilNanos}; false when there is none. */
  boolean runNext(long untilNanos) {
    Event e = queue.peek();
    if (e == null || e.atNanos > untilNanos) {
      nowNanos = Math.max(nowNanos, untilNanos);
      return false;
    }
    queue.poll();
    nowNanos = e.atNanos;
    if (e.cancelled == null || !e.cancelled[0]) {
      executed++;
      e.task.run();
    }
    return true;
  }
}
