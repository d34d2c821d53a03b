package io.flywheel.model;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Item and attribute sizes as DynamoDB computes them for the 400 KB limit and for capacity units:
 * the UTF-8 length of each attribute name plus the size of its value, where strings count their
 * UTF-8 bytes, binaries their raw bytes, numbers {@link DynamoNumber#sizeBytes()}, BOOL and NULL one
 * byte, sets the sum of their elements, and lists and maps three bytes plus one byte per element
 * plus their elements (map keys included).
 */
public final class ItemSize {
  /** DynamoDB's maximum item size: 400 KB. */
  public static final int MAX_ITEM_SIZE_BYTES = 400 * 1024;

  private ItemSize() {}

  public static int of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8Length(e.getKey()) + of(e.getValue());
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  public static int of(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> utf8Length(s.value());
      case AttributeValue.N n -> n.value().sizeBytes();
      case AttributeValue.B b -> b.value().length();
      case AttributeValue.Bool ignored -> 1;
      case AttributeValue.Null ignored -> 1;
      case AttributeValue.SS ss -> {
        int sum = 0;
        for (String s : ss.values()) {
          sum += utf8Length(s);
        }
        yield sum;
      }
      case AttributeValue.NS ns -> {
        int sum = 0;
        for (DynamoNumber n : ns.values()) {
          sum += n.sizeBytes();
        }
        yield sum;
      }
      case AttributeValue.BS bs -> {
        int sum = 0;
        for (Binary b : bs.values()) {
          sum += b.length();
        }
        yield sum;
      }
      case AttributeValue.L l -> {
        int sum = 3;
        for (AttributeValue v : l.values()) {
          sum += 1 + of(v);
        }
        yield sum;
      }
      case AttributeValue.M m -> 3 + m.values().size() + of(m.values());
    };
  }

  /** UTF-8 length without allocating. */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // 4 bytes for the pair of 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
