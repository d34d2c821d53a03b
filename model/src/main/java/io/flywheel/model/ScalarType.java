package io.flywheel.model;

/** The types a key attribute may have: string, number or binary. */
public enum ScalarType {
  S,
  N,
  B;

  /** Parses an {@code AttributeType} from an attribute definition, or returns null. */
  public static ScalarType fromWire(String value) {
    return switch (value) {
      case "S" -> S;
      case "N" -> N;
      case "B" -> B;
      default -> null;
    };
  }

  public boolean matches(AttributeValue value) {
    return switch (this) {
      case S -> value instanceof AttributeValue.S;
      case N -> value instanceof AttributeValue.N;
      case B -> value instanceof AttributeValue.B;
    };
  }
}
