package io.flywheel.rpc;

import io.flywheel.base.ManualClock;
import io.flywheel.base.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler whose tasks run only when the test says, in due order, against a {@link ManualClock}
 * the test moves. {@link #runEverything()} runs every task regardless of its due time: what a
 * scheduler that fires early does. Thread-safe (tasks are scheduled from endpoint threads).
 */
final class ManualScheduler implements Scheduler {
  final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final List<Task> tasks = new ArrayList<>();

  private static final class Task {
    final long dueNanos;
    final Runnable run;
    boolean cancelled;

    Task(long dueNanos, Runnable run) {
      this.dueNanos = dueNanos;
      this.run = run;
    }
  }

  /** A clock for the endpoint that reads the manual one under this scheduler's lock. */
  final io.flywheel.base.Clock syncClock = new io.flywheel.base.Clock() {
    @Override
    public long monotonicNanos() {
      synchronized (ManualScheduler.this) {
        return clock.monotonicNanos();
      }
    }

    @Override
    public long wallMillis() {
      synchronized (ManualScheduler.this) {
        return clock.wallMillis();
      }
    }
  };

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    Task t = new Task(clock.monotonicNanos() + delayNanos, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        t.cancelled = true;
      }
    };
  }

  /** Moves time forward and runs what became due, in due order. */
  void advanceMillis(long millis) {
    synchronized (this) {
      clock.advanceMillis(millis);
    }
    runDue(false);
  }

  /** Runs every pending task now, due or not. */
  void runEverything() {
    runDue(true);
  }

  synchronized int pendingTasks() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  private void runDue(boolean all) {
    while (true) {
      Task next = null;
      synchronized (this) {
        for (Task t : tasks) {
          if (!t.cancelled && (all || t.dueNanos <= clock.monotonicNanos()) && (next == null || t.dueNanos < next.dueNanos)) {
            next = t;
          }
        }
        if (next == null) {
          return;
        }
        tasks.remove(next);
      }
      next.run.run();
      if (all) {
        all = false; // tasks re-armed by an early run wait for their real due time
        runDue(false);
        return;
      }
    }
  }
}
