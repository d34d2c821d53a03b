package io.flywheel.transport.tcp;

import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;

/**
 * Bounded exponential backoff with jitter for redialing a peer: the step doubles with each
 * consecutive failure up to a cap, and the delay is half the step plus a random part of the other
 * half. The fixed half keeps a flapping peer from being hammered; the random half keeps a whole
 * cluster that lost one node from redialing it in lockstep.
 */
final class ReconnectBackoff {
  private final int initialDelayMillis;
  private final int maxDelayMillis;

  ReconnectBackoff(int initialDelayMillis, int maxDelayMillis) {
    Invariants.checkArgument(initialDelayMillis >= 1, "initialDelayMillis >= 1");
    Invariants.checkArgument(maxDelayMillis >= initialDelayMillis, "maxDelayMillis >= initialDelayMillis");
    this.initialDelayMillis = initialDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
  }

  /** The step before jitter after this many consecutive failures (0: the first retry). */
  long stepMillis(int consecutiveFailures) {
    int doublings = Math.min(Math.max(consecutiveFailures, 0), 30);
    return Math.min(maxDelayMillis, (long) initialDelayMillis << doublings);
  }

  /** The delay before the next dial, in [step/2, step]. Draws from {@code random}. */
  long delayMillis(int consecutiveFailures, RandomSource random) {
    long step = stepMillis(consecutiveFailures);
    long half = step / 2;
    return step - half + random.nextInt((int) half + 1);
  }
}
