package io.flywheel.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void prefixEndIsTheFirstKeyAfterEveryKeyWithThePrefix() {
    assertThat(Bytes.prefixEnd(new byte[] {1, 2})).containsExactly(1, 3);
    assertThat(Bytes.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    assertThat(Bytes.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
  }

  @Test
  void longsRoundTripBigEndianSoUnsignedOrderMatchesNumericOrder() {
    byte[] small = Bytes.ofLong(5);
    byte[] large = Bytes.ofLong(1L << 40);
    assertThat(Bytes.getLong(large, 0)).isEqualTo(1L << 40);
    assertThat(Bytes.compareUnsigned(small, large)).isNegative();
    assertThat(Bytes.compareUnsigned(Bytes.ofLong(-1), large)).isPositive();
  }

  @Test
  void intsRoundTrip() {
    byte[] b = new byte[4];
    Bytes.putInt(b, 0, 0xCAFEBABE);
    assertThat(Bytes.getInt(b, 0)).isEqualTo(0xCAFEBABE);
  }
}
