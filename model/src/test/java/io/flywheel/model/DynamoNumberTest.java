package io.flywheel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DynamoNumberTest {
  @ParameterizedTest
  @CsvSource({
    "3, 3",
    "-7.1234, -7.1234",
    "-17e5, -1700000",
    "+3, 3",
    ".123, 0.123",
    "0001.23, 1.23",
    "1e+5, 100000",
    "0e1000, 0",
    "-0, 0",
    "1.500, 1.5",
    "100, 100",
    "0.00100, 0.001",
  })
  void acceptsDynamoDbsNumberSyntaxAndReturnsCanonicalPlainForm(String input, String canonical) {
    assertThat(DynamoNumber.parse(input).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "dog", " 1", "1 ", "1e", "e5", ".", "+", "1.2.3", "0x10", "1e5.5"})
  void rejectsWhatIsNotANumber(String input) {
    assertThatThrownBy(() -> DynamoNumber.parse(input))
        .isInstanceOf(DynamoException.class)
        .hasMessage("The parameter cannot be converted to a numeric value: " + input);
  }

  @Test
  void smallestMagnitudeIsWrittenOutInFull() {
    assertThat(DynamoNumber.parse("1E-130").toString()).isEqualTo("0." + "0".repeat(129) + "1");
    assertThat(DynamoNumber.parse("1E+125").toString()).isEqualTo("1" + "0".repeat(125));
  }

  @Test
  void emptyStringHasItsOwnMessage() {
    assertThatThrownBy(() -> DynamoNumber.parse(""))
        .hasMessage("The parameter cannot be converted to a numeric value");
  }

  @Test
  void enforcesMagnitudeRange() {
    assertThat(DynamoNumber.parse("9.9999999999999999999999999999999999999E+125").exponent()).isEqualTo(125);
    assertThat(DynamoNumber.parse("-1e-130").exponent()).isEqualTo(-130);
    assertThatThrownBy(() -> DynamoNumber.parse("1e126")).hasMessageContaining("Number overflow");
    assertThatThrownBy(() -> DynamoNumber.parse("11e125")).hasMessageContaining("Number overflow");
    assertThatThrownBy(() -> DynamoNumber.parse("1e99999999999999")).hasMessageContaining("Number overflow");
    assertThatThrownBy(() -> DynamoNumber.parse("1e-131")).hasMessageContaining("Number underflow");
    assertThatThrownBy(() -> DynamoNumber.parse("0.9e-130")).hasMessageContaining("Number underflow");
  }

  @Test
  void enforcesThirtyEightSignificantDigits() {
    assertThat(DynamoNumber.parse("3.1415926535897932384626433832795028841").significantDigits()).isEqualTo(38);
    assertThat(DynamoNumber.parse("31415926535897932384626433832795028841e30").significantDigits()).isEqualTo(38);
    assertThatThrownBy(() -> DynamoNumber.parse("3.14159265358979323846264338327950288419"))
        .hasMessage("Attempting to store more than 38 significant digits in a Number");
    // trailing zeros are not significant
    assertThat(DynamoNumber.parse("1000000000000000000000000000000000000000000").significantDigits()).isEqualTo(1);
  }

  @Test
  void arithmeticIsExactAndBounded() {
    assertThat(DynamoNumber.parse("1").add(DynamoNumber.parse("10000000000000000000000")).toString())
        .isEqualTo("10000000000000000000001");
    assertThat(DynamoNumber.parse("0.1").add(DynamoNumber.parse("0.2")).toString()).isEqualTo("0.3");
    assertThatThrownBy(() -> DynamoNumber.parse("9e125").add(DynamoNumber.parse("9e125")))
        .hasMessageContaining("Number overflow");
    assertThatThrownBy(() -> DynamoNumber.parse("1e50").subtract(DynamoNumber.parse("1")))
        .hasMessageContaining("Number overflow");
  }

  @Test
  void equalNumbersAreEqualWhateverTheirSpelling() {
    assertThat(DynamoNumber.parse("1.0")).isEqualTo(DynamoNumber.parse("1")).hasSameHashCodeAs(DynamoNumber.parse("1e0"));
    assertThat(DynamoNumber.parse("-0.0")).isEqualTo(DynamoNumber.ZERO);
    assertThat(DynamoNumber.fromCanonical("100")).isEqualTo(DynamoNumber.parse("1E2"));
    assertThat(DynamoNumber.fromCanonical("100").sizeBytes()).isEqualTo(DynamoNumber.parse("1E2").sizeBytes());
  }

  @ParameterizedTest
  @CsvSource({"0, 1", "1, 2", "10, 2", "12, 2", "123, 3", "-1, 3", "0.5, 2", "0.05, 2", "1.5, 3", "12345, 4"})
  void sizeCountsBase100PairsAlignedOnTheDecimalPoint(String number, int size) {
    assertThat(DynamoNumber.parse(number).sizeBytes()).isEqualTo(size);
  }

  @Test
  void sortableBytesOrderIsNumericOrderAndRoundTrips() {
    SplittableRandom random = new SplittableRandom(42);
    List<DynamoNumber> numbers = new ArrayList<>();
    for (String s : new String[] {"0", "1", "-1", "1.05", "1.1", "-1.05", "-1.1", "10", "9.99", "1e125", "-1e125", "1e-130", "-1e-130", "0.5", "-0.5"}) {
      numbers.add(DynamoNumber.parse(s));
    }
    for (int i = 0; i < 2000; i++) {
      int digits = 1 + random.nextInt(38);
      StringBuilder sb = new StringBuilder(random.nextBoolean() ? "-" : "");
      for (int d = 0; d < digits; d++) {
        sb.append((char) ('0' + random.nextInt(10)));
      }
      sb.append('e').append(random.nextInt(-100, 80));
      numbers.add(DynamoNumber.parse(sb.toString()));
    }
    for (DynamoNumber n : numbers) {
      byte[] enc = n.sortableBytes();
      assertThat(DynamoNumber.sortableLength(enc, 0)).isEqualTo(enc.length);
      assertThat(DynamoNumber.fromSortableBytes(enc, 0)).isEqualTo(n);
    }
    List<DynamoNumber> byValue = new ArrayList<>(numbers);
    byValue.sort(Comparator.naturalOrder());
    List<DynamoNumber> byBytes = new ArrayList<>(numbers);
    byBytes.sort((a, b) -> Bytes.compareUnsigned(a.sortableBytes(), b.sortableBytes()));
    assertThat(byBytes).isEqualTo(byValue);
  }

  @Test
  void ofBigDecimalValidatesToo() {
    assertThat(DynamoNumber.of(new BigDecimal("12.3400")).toString()).isEqualTo("12.34");
    assertThatThrownBy(() -> DynamoNumber.of(new BigDecimal("1e200"))).isInstanceOf(DynamoException.class);
  }
}
