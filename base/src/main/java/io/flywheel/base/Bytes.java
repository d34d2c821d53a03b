package io.flywheel.base;

import java.util.Arrays;
import java.util.HexFormat;

/** Byte-array helpers: big-endian integers, unsigned order, hex. */
public final class Bytes {
  public static final byte[] EMPTY = new byte[0];
  private static final HexFormat HEX = HexFormat.of();

  private Bytes() {}

  public static void putLong(byte[] into, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      into[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  public static long getLong(byte[] from, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (from[offset + i] & 0xFF);
    }
    return value;
  }

  public static void putInt(byte[] into, int offset, int value) {
    into[offset] = (byte) (value >>> 24);
    into[offset + 1] = (byte) (value >>> 16);
    into[offset + 2] = (byte) (value >>> 8);
    into[offset + 3] = (byte) value;
  }

  public static int getInt(byte[] from, int offset) {
    return ((from[offset] & 0xFF) << 24)
        | ((from[offset + 1] & 0xFF) << 16)
        | ((from[offset + 2] & 0xFF) << 8)
        | (from[offset + 3] & 0xFF);
  }

  public static byte[] ofLong(long value) {
    byte[] b = new byte[8];
    putLong(b, 0, value);
    return b;
  }

  /** Lexicographic order of unsigned bytes: the order RocksDB's default comparator uses. */
  public static int compareUnsigned(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  public static boolean startsWith(byte[] value, byte[] prefix) {
    return value.length >= prefix.length
        && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * The smallest key greater than every key that starts with {@code prefix}, or {@code null} when
   * there is none (the prefix is all 0xFF).
   */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  public static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }
}
