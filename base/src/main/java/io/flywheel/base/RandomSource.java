package io.flywheel.base;

/** Randomness as an input: seeded in tests and the simulator, from entropy only in production. */
public interface RandomSource {
  long nextLong();

  /** Uniform in [0, bound). */
  int nextInt(int bound);

  void nextBytes(byte[] into);

  /** A seeded source: the same seed always yields the same sequence. */
  static RandomSource seeded(long seed) {
    return new SeededRandomSource(seed);
  }
}
