package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoNumber;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Short constructors for attribute values in tests. */
final class Items {
  private Items() {}

  static AttributeValue s(String v) {
    return AttributeValue.s(v);
  }

  static AttributeValue n(String v) {
    return AttributeValue.n(v);
  }

  static AttributeValue b(int... bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    return AttributeValue.b(out);
  }

  static AttributeValue bool(boolean v) {
    return AttributeValue.bool(v);
  }

  static AttributeValue nul() {
    return AttributeValue.Null.INSTANCE;
  }

  static AttributeValue l(AttributeValue... values) {
    return new AttributeValue.L(List.of(values));
  }

  /** A map from alternating keys and values. */
  static AttributeValue m(Object... keysAndValues) {
    return new AttributeValue.M(map(keysAndValues));
  }

  static AttributeValue ss(String... values) {
    return new AttributeValue.SS(new LinkedHashSet<>(List.of(values)));
  }

  static AttributeValue ns(String... values) {
    Set<DynamoNumber> set = new LinkedHashSet<>();
    for (String v : values) {
      set.add(DynamoNumber.parse(v));
    }
    return new AttributeValue.NS(set);
  }

  static AttributeValue bs(byte[]... values) {
    Set<Binary> set = new LinkedHashSet<>();
    for (byte[] v : values) {
      set.add(Binary.copyOf(v));
    }
    return new AttributeValue.BS(set);
  }

  /** An item (or any string-keyed map) from alternating keys and values. */
  static Map<String, AttributeValue> map(Object... keysAndValues) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
    }
    return map;
  }

  /** The item most tests evaluate against. */
  static Map<String, AttributeValue> sample() {
    return map(
        "pk", s("u"),
        "s", s("str"),
        "n", n("5"),
        "l", l(s("a"), s("b"), s("c")),
        "m", m("x", n("1"), "y", l(n("1"), m("p", n("1"), "q", n("2")))),
        "ss", ss("a", "b"),
        "ns", ns("1", "2"),
        "b", b(1, 2),
        "nul", nul(),
        "t", bool(true));
  }

  /** Placeholder values most tests use. */
  static Map<String, AttributeValue> values() {
    return map(
        ":v", s("a"),
        ":w", s("b"),
        ":s", s("str"),
        ":st", s("st"),
        ":n", n("1"),
        ":n2", n("2"),
        ":n3", n("3"),
        ":n5", n("5.0"),
        ":b", bool(true),
        ":b1", b(1),
        ":l", l(s("x")),
        ":labc", l(s("a"), s("b"), s("c")),
        ":ss", ss("a"),
        ":ssba", ss("b", "a"),
        ":sse", ss("a", "b"),
        ":ns", ns("3"),
        ":m", m(),
        ":mxy", m("y", l(n("1"), m("q", n("2"), "p", n("1"))), "x", n("1")),
        ":nu", nul(),
        ":t", bool(true));
  }
}
