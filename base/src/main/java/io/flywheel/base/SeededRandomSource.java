package io.flywheel.base;

import java.util.SplittableRandom;

/** A deterministic {@link RandomSource}. Not thread-safe. */
final class SeededRandomSource implements RandomSource {
  private final SplittableRandom random;

  SeededRandomSource(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public long nextLong() {
    return random.nextLong();
  }

  @Override
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  @Override
  public void nextBytes(byte[] into) {
    random.nextBytes(into);
  }
}
