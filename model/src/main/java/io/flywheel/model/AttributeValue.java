package io.flywheel.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DynamoDB attribute value: one of the ten types of the API. Immutable; collections are
 * unmodifiable and keep the order in which they were given. Sets compare as sets.
 */
public sealed interface AttributeValue {

  /** The type descriptor as written on the wire: S, N, B, BOOL, NULL, L, M, SS, NS, BS. */
  String typeName();

  record S(String value) implements AttributeValue {
    public S {
      Objects.requireNonNull(value);
    }

    @Override
    public String typeName() {
      return "S";
    }
  }

  record N(DynamoNumber value) implements AttributeValue {
    public N {
      Objects.requireNonNull(value);
    }

    @Override
    public String typeName() {
      return "N";
    }
  }

  record B(Binary value) implements AttributeValue {
    public B {
      Objects.requireNonNull(value);
    }

    @Override
    public String typeName() {
      return "B";
    }
  }

  record Bool(boolean value) implements AttributeValue {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    @Override
    public String typeName() {
      return "BOOL";
    }
  }

  /** The NULL type; its only wire value is {@code true}. */
  record Null() implements AttributeValue {
    public static final Null INSTANCE = new Null();

    @Override
    public String typeName() {
      return "NULL";
    }
  }

  record L(List<AttributeValue> values) implements AttributeValue {
    public L {
      values = List.copyOf(values);
    }

    @Override
    public String typeName() {
      return "L";
    }
  }

  record M(Map<String, AttributeValue> values) implements AttributeValue {
    public M {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String typeName() {
      return "M";
    }
  }

  record SS(Set<String> values) implements AttributeValue {
    public SS {
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    @Override
    public String typeName() {
      return "SS";
    }
  }

  record NS(Set<DynamoNumber> values) implements AttributeValue {
    public NS {
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    @Override
    public String typeName() {
      return "NS";
    }
  }

  record BS(Set<Binary> values) implements AttributeValue {
    public BS {
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    @Override
    public String typeName() {
      return "BS";
    }
  }

  static S s(String value) {
    return new S(value);
  }

  static N n(String value) {
    return new N(DynamoNumber.parse(value));
  }

  static N n(long value) {
    return new N(DynamoNumber.parse(Long.toString(value)));
  }

  static B b(byte[] value) {
    return new B(Binary.copyOf(value));
  }

  static Bool bool(boolean value) {
    return value ? Bool.TRUE : Bool.FALSE;
  }
}
