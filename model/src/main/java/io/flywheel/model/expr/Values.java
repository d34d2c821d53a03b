package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoNumber;
import java.util.Arrays;

/** DynamoDB's comparison rules on attribute values; all total over user data, never throwing. */
final class Values {
  private Values() {}

  /** Equality as DynamoDB defines it: same type and value; sets as sets, maps ignoring order. */
  static boolean equal(AttributeValue a, AttributeValue b) {
    return a != null && a.equals(b);
  }

  /**
   * Orders two values of the same scalar type (S, N or B): strings by code point (the order of their
   * UTF-8 bytes), numbers numerically, binaries as unsigned bytes. Returns null when the values are
   * missing, of different types, or not scalars: such a comparison is false.
   */
  static Integer compare(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.S(String x) && b instanceof AttributeValue.S(String y)) {
      return compareStrings(x, y);
    }
    if (a instanceof AttributeValue.N(DynamoNumber x) && b instanceof AttributeValue.N(DynamoNumber y)) {
      return x.compareTo(y);
    }
    if (a instanceof AttributeValue.B(Binary x) && b instanceof AttributeValue.B(Binary y)) {
      return x.compareTo(y);
    }
    return null;
  }

  static int compareStrings(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  static boolean isScalar(String typeName) {
    return typeName.equals("S") || typeName.equals("N") || typeName.equals("B");
  }

  /** begins_with: a string prefix of a string, or a byte prefix of a binary. */
  static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
    if (value instanceof AttributeValue.S(String s) && prefix instanceof AttributeValue.S(String p)) {
      return s.startsWith(p);
    }
    if (value instanceof AttributeValue.B(Binary b) && prefix instanceof AttributeValue.B(Binary p)) {
      return p.length() <= b.length()
          && Arrays.equals(b.unsafeBytes(), 0, p.length(), p.unsafeBytes(), 0, p.length());
    }
    return false;
  }

  /**
   * contains: a substring of a string, a byte sequence of a binary, an element of a set of the
   * matching type, or an element (by equality) of a list.
   */
  static boolean contains(AttributeValue container, AttributeValue item) {
    if (item == null) {
      return false;
    }
    return switch (container) {
      case AttributeValue.S(String s) -> item instanceof AttributeValue.S(String sub) && s.contains(sub);
      case AttributeValue.B(Binary b) -> item instanceof AttributeValue.B(Binary sub) && indexOf(b.unsafeBytes(), sub.unsafeBytes()) >= 0;
      case AttributeValue.SS ss -> item instanceof AttributeValue.S(String s) && ss.values().contains(s);
      case AttributeValue.NS ns -> item instanceof AttributeValue.N(DynamoNumber n) && ns.values().contains(n);
      case AttributeValue.BS bs -> item instanceof AttributeValue.B(Binary b) && bs.values().contains(b);
      case AttributeValue.L l -> l.values().contains(item);
      case null, default -> false;
    };
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * size(): the length of a string (in UTF-16 code units, as DynamoDB counts it) or binary, the
   * number of elements of a set, list or map; null (no value) for other types and missing values.
   */
  static AttributeValue size(AttributeValue value) {
    long size = switch (value) {
      case AttributeValue.S s -> s.value().length();
      case AttributeValue.B b -> b.value().length();
      case AttributeValue.SS ss -> ss.values().size();
      case AttributeValue.NS ns -> ns.values().size();
      case AttributeValue.BS bs -> bs.values().size();
      case AttributeValue.L l -> l.values().size();
      case AttributeValue.M m -> m.values().size();
      case null, default -> -1;
    };
    return size < 0 ? null : AttributeValue.n(size);
  }

  /** How DynamoDB prints a scalar in messages such as BETWEEN's: {@code {S:abc}}. */
  static String shortForm(AttributeValue value) {
    String body = switch (value) {
      case AttributeValue.S s -> s.value();
      case AttributeValue.N n -> n.value().toString();
      case AttributeValue.B b -> b.value().base64();
      default -> value.toString();
    };
    return "{" + value.typeName() + ":" + body + "}";
  }
}
