package io.flywheel.transport;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** A handler that records what it receives, for tests; optionally held shut until released. */
public final class Inbox implements InboundHandler {
  /** How long a test waits for something that should happen: generous for a loaded 2-core box. */
  public static final long DEADLINE_SECONDS = 30;

  private final List<Envelope> received = new ArrayList<>();
  private final CountDownLatch gate;
  private final CountDownLatch firstArrived = new CountDownLatch(1);

  private Inbox(boolean held) {
    this.gate = new CountDownLatch(held ? 1 : 0);
  }

  public static Inbox open() {
    return new Inbox(false);
  }

  /** Blocks every delivery (a stalled receiver) until {@link #release()}. */
  public static Inbox held() {
    return new Inbox(true);
  }

  @Override
  public void receive(Envelope envelope) {
    firstArrived.countDown();
    try {
      if (!gate.await(DEADLINE_SECONDS * 2, TimeUnit.SECONDS)) {
        throw new IllegalStateException("inbox held too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (received) {
      received.add(envelope);
    }
  }

  public void release() {
    gate.countDown();
  }

  public void awaitFirstDelivery() throws InterruptedException {
    if (!firstArrived.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
      fail("no envelope arrived within " + DEADLINE_SECONDS + " s");
    }
  }

  public List<Envelope> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public int size() {
    synchronized (received) {
      return received.size();
    }
  }

  /** Waits until at least {@code count} envelopes arrived and returns them all. */
  public List<Envelope> awaitAtLeast(int count) {
    await(size() + " of " + count + " envelopes", () -> size() >= count);
    return received();
  }

  /** Polls a condition for at most {@code millis}; returns whether it came to hold. */
  public static boolean awaitUpTo(long millis, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
    }
    return true;
  }

  /** Polls a condition until it holds or the deadline passes (never a fixed sleep). */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + DEADLINE_SECONDS + " s waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}
