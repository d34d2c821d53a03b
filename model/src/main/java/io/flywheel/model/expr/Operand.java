package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import java.util.Map;
import java.util.Objects;

/** A value-producing term of a condition: a document path, a literal value, or size(operand). */
public sealed interface Operand {
  /** The operand's value against {@code item}; null when it refers to nothing. */
  AttributeValue evaluate(Map<String, AttributeValue> item);

  /** The type known before evaluation (a literal's, or N for size), or null when unknown. */
  String staticType();

  record Path(DocumentPath path) implements Operand {
    public Path {
      Objects.requireNonNull(path);
    }

    @Override
    public AttributeValue evaluate(Map<String, AttributeValue> item) {
      return path.get(item);
    }

    @Override
    public String staticType() {
      return null;
    }
  }

  /** A literal from ExpressionAttributeValues (or from a legacy AttributeValueList). */
  record Value(AttributeValue value) implements Operand {
    public Value {
      Objects.requireNonNull(value);
    }

    @Override
    public AttributeValue evaluate(Map<String, AttributeValue> item) {
      return value;
    }

    @Override
    public String staticType() {
      return value.typeName();
    }
  }

  record Size(Operand operand) implements Operand {
    public Size {
      Objects.requireNonNull(operand);
    }

    @Override
    public AttributeValue evaluate(Map<String, AttributeValue> item) {
      return Values.size(operand.evaluate(item));
    }

    @Override
    public String staticType() {
      return "N";
    }
  }
}
