package io.flywheel.base;

/**
 * Delayed work as an input: logic modules ask for a task to run later instead of creating timers
 * or threads. The composition root supplies a real one, tests and the simulator a manual one. The
 * task runs on a thread of the scheduler's choosing and must be short (it may complete futures).
 */
public interface Scheduler {
  /** Runs {@code task} once, no earlier than {@code delayNanos} from now; returns how to cancel it. */
  Cancellable schedule(long delayNanos, Runnable task);

  /** A scheduled task that may be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Makes the task not run if it has not started; harmless after it ran. */
    void cancel();
  }
}
