package io.flywheel.model;

import java.util.Objects;

/** A key attribute of a table or index: its name and scalar type. */
public record KeyAttribute(String name, ScalarType type) {
  public KeyAttribute {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
  }
}
