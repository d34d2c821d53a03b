package io.flywheel.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Hash64Test {
  @Test
  void emptyInputHashesToZero() {
    assertThat(Hash64.hash(new byte[0])).isZero();
  }

  @Test
  void matchesThePublishedMurmur3x64Vector() {
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
    // MurmurHash3_x64_128(seed 0) = e34bbc7bbc071b6c 7a433ca9c49a9347; we keep the first half.
    assertThat(Hash64.hash(fox)).isEqualTo(0xe34bbc7bbc071b6cL);
  }

  @Test
  void hashesOfAllTailLengthsAreFrozen() {
    // Pinned output for lengths 0..33, covering every tail length and the block loop. If this test
    // fails, the on-disk key layout would change: never update the expected value.
    byte[] data = new byte[33];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + 11);
    }
    long combined = 0;
    for (int len = 0; len <= data.length; len++) {
      combined = combined * 31 + Hash64.hash(data, 0, len);
    }
    assertThat(combined).isEqualTo(FROZEN_COMBINED);
  }

  @Test
  void offsetAndLengthSelectASlice() {
    byte[] data = "xxabcxx".getBytes(StandardCharsets.UTF_8);
    assertThat(Hash64.hash(data, 2, 3)).isEqualTo(Hash64.hash("abc".getBytes(StandardCharsets.UTF_8)));
  }

  // Cross-checked once against Guava's Hashing.murmur3_128().asLong() for the same inputs.
  static final long FROZEN_COMBINED = 3715574796700893593L;
}
