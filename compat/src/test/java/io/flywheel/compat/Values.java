package io.flywheel.compat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short constructors for attribute values, items and expression maps in scenarios. */
final class Values {
  private Values() {}

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  static AttributeValue b(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return AttributeValue.fromB(SdkBytes.fromByteArray(raw));
  }

  static AttributeValue bool(boolean v) {
    return AttributeValue.fromBool(v);
  }

  static AttributeValue nul() {
    return AttributeValue.fromNul(true);
  }

  static AttributeValue ss(String... members) {
    return AttributeValue.fromSs(Arrays.asList(members));
  }

  static AttributeValue ns(String... members) {
    return AttributeValue.fromNs(Arrays.asList(members));
  }

  static AttributeValue bs(AttributeValue... binaries) {
    return AttributeValue.fromBs(Arrays.stream(binaries).map(AttributeValue::b).toList());
  }

  static AttributeValue l(AttributeValue... elements) {
    return AttributeValue.fromL(List.of(elements));
  }

  static AttributeValue m(Object... namesAndValues) {
    return AttributeValue.fromM(item(namesAndValues));
  }

  /** An item (or any name-to-value map) from alternating names and values. */
  static Map<String, AttributeValue> item(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
    }
    return item;
  }

  /** Expression attribute names from alternating placeholders and names. */
  static Map<String, String> names(String... placeholdersAndNames) {
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < placeholdersAndNames.length; i += 2) {
      names.put(placeholdersAndNames[i], placeholdersAndNames[i + 1]);
    }
    return names;
  }
}
