package io.flywheel.model;

import java.util.Arrays;
import java.util.Base64;

/** An immutable byte string, compared as unsigned bytes (DynamoDB's order for binary values). */
public final class Binary implements Comparable<Binary> {
  private final byte[] bytes;
  private int hash;

  private Binary(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps without copying: the caller must not modify {@code bytes} afterwards. */
  public static Binary wrap(byte[] bytes) {
    return new Binary(bytes);
  }

  public static Binary copyOf(byte[] bytes) {
    return new Binary(bytes.clone());
  }

  public int length() {
    return bytes.length;
  }

  /** The bytes, not copied: callers must not modify them. */
  public byte[] unsafeBytes() {
    return bytes;
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binary other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Binary o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return base64();
  }
}
