package io.flywheel.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits for what other threads do: a test fails instead of hanging, and never sleeps to synchronise. */
final class Await {
  static final long BOUND_SECONDS = 20;

  private Await() {}

  /** The future's value; fails the test if it is not done in time. */
  static <T> T value(CompletableFuture<T> future) {
    try {
      return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + BOUND_SECONDS + " s");
    }
  }

  /** The failure the future completes with; fails the test if it succeeds or is not done in time. */
  static Throwable failure(CompletableFuture<?> future) {
    try {
      Object v = future.get(BOUND_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("not done within " + BOUND_SECONDS + " s");
    }
  }

  /** Waits until {@code condition} holds, checking as other threads make progress; bounded. */
  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000); // poll; the condition, not the pause, decides
    }
  }
}
