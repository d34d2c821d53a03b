package io.flywheel.model;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A DynamoDB number: an exact decimal with at most 38 significant digits whose magnitude is zero or
 * between 1E-130 and 9.99...E+125.
 *
 * <p>Numbers are held in canonical form (leading and trailing zeros trimmed, no negative zero), so
 * equal numbers are {@code equals}. {@link #toString()} is the plain decimal notation DynamoDB
 * returns; {@link #sortableBytes()} is an encoding whose unsigned byte order is numeric order.
 */
public final class DynamoNumber implements Comparable<DynamoNumber> {
  public static final int MAX_SIGNIFICANT_DIGITS = 38;
  /** Exponent of the first significant digit: value = d.ddd x 10^exponent. */
  public static final int MAX_EXPONENT = 125;

  public static final int MIN_EXPONENT = -130;
  public static final DynamoNumber ZERO = new DynamoNumber(BigDecimal.ZERO);

  private static final String NOT_NUMERIC = "The parameter cannot be converted to a numeric value";
  static final String OVERFLOW =
      "Number overflow. Attempting to store a number with magnitude larger than supported range";
  static final String UNDERFLOW =
      "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  static final String TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number";

  private final BigDecimal value; // stripped of trailing zeros: one representation per number
  private final String plain; // value.toPlainString(), what DynamoDB returns

  private DynamoNumber(BigDecimal value) {
    this.value = value;
    this.plain = value.toPlainString();
  }

  /**
   * Parses a number as DynamoDB accepts it: an optional sign, digits with an optional decimal point,
   * an optional exponent; no spaces, no NaN or Infinity.
   *
   * @throws DynamoException ValidationException with DynamoDB's message otherwise
   */
  public static DynamoNumber parse(String text) {
    if (text == null || text.isEmpty()) {
      throw DynamoException.validation(NOT_NUMERIC);
    }
    int n = text.length();
    int i = 0;
    boolean negative = false;
    char first = text.charAt(0);
    if (first == '+' || first == '-') {
      negative = first == '-';
      i++;
    }
    StringBuilder digits = new StringBuilder();
    int digitsBeforePoint = 0;
    boolean sawPoint = false;
    boolean sawDigit = false;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        sawDigit = true;
        if (digits.length() == 0 && c == '0') {
          if (!sawPoint) {
            continue; // leading zero of the integer part
          }
          digitsBeforePoint--; // a zero right after the point shifts the first digit down
          continue;
        }
        digits.append(c);
        if (!sawPoint) {
          digitsBeforePoint++;
        }
      } else if (c == '.' && !sawPoint) {
        sawPoint = true;
      } else {
        break;
      }
    }
    if (!sawDigit) {
      throw notNumeric(text);
    }
    long exponent = 0;
    if (i < n) {
      char e = text.charAt(i);
      if (e != 'e' && e != 'E' || i + 1 >= n) {
        throw notNumeric(text);
      }
      i++;
      boolean negativeExponent = false;
      char sign = text.charAt(i);
      if (sign == '+' || sign == '-') {
        negativeExponent = sign == '-';
        i++;
      }
      if (i >= n) {
        throw notNumeric(text);
      }
      for (; i < n; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          throw notNumeric(text);
        }
        if (exponent < 1_000_000_000L) {
          exponent = exponent * 10 + (c - '0');
        }
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    int end = digits.length();
    while (end > 0 && digits.charAt(end - 1) == '0') {
      end--;
    }
    if (end == 0) {
      return ZERO;
    }
    String significant = digits.substring(0, end);
    // value = 0.significant x 10^(digitsBeforePoint + exponent) = d.ddd x 10^(that - 1)
    long adjustedExponent = digitsBeforePoint + exponent - 1;
    checkRange(adjustedExponent, significant.length());
    BigInteger unscaled = new BigInteger(significant);
    int scale = (int) (significant.length() - 1 - adjustedExponent);
    BigDecimal value = new BigDecimal(negative ? unscaled.negate() : unscaled, scale);
    return new DynamoNumber(value);
  }

  private static DynamoException notNumeric(String text) {
    return DynamoException.validation(NOT_NUMERIC + ": " + text);
  }

  private static void checkRange(long adjustedExponent, int significantDigits) {
    if (adjustedExponent > MAX_EXPONENT) {
      throw DynamoException.validation(OVERFLOW);
    }
    if (adjustedExponent < MIN_EXPONENT) {
      throw DynamoException.validation(UNDERFLOW);
    }
    if (significantDigits > MAX_SIGNIFICANT_DIGITS) {
      throw DynamoException.validation(TOO_PRECISE);
    }
  }

  /** Rebuilds a number from its {@link #toString()} form, as stored by Flywheel itself. */
  public static DynamoNumber fromCanonical(String canonical) {
    BigDecimal decimal = new BigDecimal(canonical);
    return decimal.signum() == 0 ? ZERO : new DynamoNumber(decimal.stripTrailingZeros());
  }

  /** Builds a number from an exact decimal, validating DynamoDB's range and precision. */
  public static DynamoNumber of(BigDecimal decimal) {
    if (decimal.signum() == 0) {
      return ZERO;
    }
    BigDecimal stripped = decimal.stripTrailingZeros();
    int digits = stripped.precision();
    long adjustedExponent = (long) digits - 1 - stripped.scale();
    checkRange(adjustedExponent, digits);
    return new DynamoNumber(stripped);
  }

  /**
   * The result of an arithmetic expression. DynamoDB reports a result that needs more than 38
   * significant digits as an overflow, not as a precision error.
   */
  private static DynamoNumber arithmeticResult(BigDecimal exact) {
    if (exact.signum() != 0 && exact.stripTrailingZeros().precision() > MAX_SIGNIFICANT_DIGITS) {
      throw DynamoException.validation(OVERFLOW);
    }
    return of(exact);
  }

  public DynamoNumber add(DynamoNumber other) {
    return arithmeticResult(value.add(other.value));
  }

  public DynamoNumber subtract(DynamoNumber other) {
    return arithmeticResult(value.subtract(other.value));
  }

  public BigDecimal toBigDecimal() {
    return value;
  }

  public int signum() {
    return value.signum();
  }

  /** Significant digits (zero has one). */
  public int significantDigits() {
    return value.signum() == 0 ? 1 : value.precision();
  }

  /** Exponent of the first significant digit (zero has 0). */
  public int exponent() {
    return value.signum() == 0 ? 0 : value.precision() - 1 - value.scale();
  }

  /**
   * The number's share of an item's size, as DynamoDB counts it: one byte of exponent, the
   * significant digits in base-100 pairs aligned on the decimal point, one more byte if negative.
   */
  public int sizeBytes() {
    if (value.signum() == 0) {
      return 1;
    }
    int digits = value.precision();
    int e = exponent();
    boolean firstDigitAlone = (e & 1) == 0; // the first digit sits in the low half of its pair
    int pairs = firstDigitAlone ? 1 + (digits - 1 + 1) / 2 : (digits + 1) / 2;
    return 1 + pairs + (value.signum() < 0 ? 1 : 0);
  }

  /**
   * An encoding whose unsigned lexicographic order is numeric order, and which is self-delimiting
   * (no encoding is a prefix of another), so it can be followed by further key parts.
   *
   * <p>Layout: a class byte (0x40 negative, 0x80 zero, 0xC0 positive); for non-zero numbers an
   * exponent byte ({@code exponent + 130}, inverted when negative); then the significant digits in
   * pairs, each pair as {@code 1 + 10*hi + lo} (a lone last digit has lo = 0), inverted as {@code
   * 101 - pair} when negative; then a terminator, 0x00 when positive and 0xFF when negative, so a
   * shorter mantissa sorts first among positives and last among negatives.
   */
  public byte[] sortableBytes() {
    int sign = value.signum();
    if (sign == 0) {
      return new byte[] {(byte) 0x80};
    }
    String digits = value.unscaledValue().abs().toString();
    int pairs = (digits.length() + 1) / 2;
    byte[] out = new byte[3 + pairs];
    int exponentByte = exponent() - MIN_EXPONENT;
    out[0] = (byte) (sign > 0 ? 0xC0 : 0x40);
    out[1] = (byte) (sign > 0 ? exponentByte : 255 - exponentByte);
    for (int p = 0; p < pairs; p++) {
      int hi = digits.charAt(2 * p) - '0';
      int lo = 2 * p + 1 < digits.length() ? digits.charAt(2 * p + 1) - '0' : 0;
      int pair = 1 + 10 * hi + lo;
      out[2 + p] = (byte) (sign > 0 ? pair : 101 - pair);
    }
    out[out.length - 1] = (byte) (sign > 0 ? 0x00 : 0xFF);
    return out;
  }

  /** Length of the sortable encoding that starts at {@code offset}. */
  public static int sortableLength(byte[] bytes, int offset) {
    int cls = bytes[offset] & 0xFF;
    if (cls == 0x80) {
      return 1;
    }
    byte terminator = (byte) (cls == 0xC0 ? 0x00 : 0xFF);
    int i = offset + 2;
    while (bytes[i] != terminator) {
      i++;
    }
    return i - offset + 1;
  }

  /** Decodes {@link #sortableBytes()} starting at {@code offset}. */
  public static DynamoNumber fromSortableBytes(byte[] bytes, int offset) {
    int cls = bytes[offset] & 0xFF;
    if (cls == 0x80) {
      return ZERO;
    }
    boolean positive = cls == 0xC0;
    int exponentByte = bytes[offset + 1] & 0xFF;
    int exponent = (positive ? exponentByte : 255 - exponentByte) + MIN_EXPONENT;
    StringBuilder digits = new StringBuilder();
    byte terminator = (byte) (positive ? 0x00 : 0xFF);
    for (int i = offset + 2; bytes[i] != terminator; i++) {
      int pair = positive ? (bytes[i] & 0xFF) : 101 - (bytes[i] & 0xFF);
      pair -= 1;
      digits.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
    }
    BigInteger unscaled = new BigInteger(digits.toString());
    BigDecimal value = new BigDecimal(positive ? unscaled : unscaled.negate(), digits.length() - 1 - exponent);
    return new DynamoNumber(value.stripTrailingZeros());
  }

  @Override
  public int compareTo(DynamoNumber o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DynamoNumber other && plain.equals(other.plain);
  }

  @Override
  public int hashCode() {
    return plain.hashCode();
  }

  /** Plain decimal notation, as DynamoDB returns numbers. */
  @Override
  public String toString() {
    return plain;
  }
}
