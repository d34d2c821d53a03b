package io.flywheel.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for an eventually consistent state of a server in another process (a global index
 * catching up, an index becoming ACTIVE). The only signal such a server offers is its API, so
 * this re-asks until the answer is right or a deadline passes — never a fixed sleep.
 */
public final class Eventually {
  private Eventually() {}

  public static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within " + timeout + "; last: " + last);
      }
      LockSupport.parkNanos(2_000_000);
      last = read.get();
    }
    return last;
  }
}
