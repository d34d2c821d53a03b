package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed, checked ConditionExpression or FilterExpression (or a legacy Expected / QueryFilter /
 * ScanFilter converted to one). Evaluation is total: a missing attribute or a type mismatch makes a
 * comparison false, never an exception.
 */
public sealed interface Condition {
  /** Whether {@code item} (empty when there is no item) satisfies the condition. */
  boolean evaluate(Map<String, AttributeValue> item);

  /**
   * The top-level attributes the condition reads, in the order they appear (a filter on an index
   * may read only what the index projects, and a Query filter no key attribute).
   */
  default Set<String> topLevelAttributes() {
    Set<String> names = new LinkedHashSet<>();
    collectAttributes(this, names);
    return names;
  }

  private static void collectAttributes(Condition c, Set<String> into) {
    switch (c) {
      case Compare x -> {
        collectAttributes(x.left(), into);
        collectAttributes(x.right(), into);
      }
      case Between x -> {
        collectAttributes(x.value(), into);
        collectAttributes(x.lower(), into);
        collectAttributes(x.upper(), into);
      }
      case In x -> {
        collectAttributes(x.value(), into);
        x.candidates().forEach(o -> collectAttributes(o, into));
      }
      case And x -> {
        collectAttributes(x.left(), into);
        collectAttributes(x.right(), into);
      }
      case Or x -> {
        collectAttributes(x.left(), into);
        collectAttributes(x.right(), into);
      }
      case Not x -> collectAttributes(x.condition(), into);
      case AttributeExists x -> into.add(x.path().head());
      case AttributeNotExists x -> into.add(x.path().head());
      case AttributeType x -> into.add(x.path().head());
      case BeginsWith x -> {
        collectAttributes(x.value(), into);
        collectAttributes(x.prefix(), into);
      }
      case Contains x -> {
        collectAttributes(x.container(), into);
        collectAttributes(x.element(), into);
      }
      case Constant ignored -> { }
    }
  }

  private static void collectAttributes(Operand o, Set<String> into) {
    switch (o) {
      case Operand.Path p -> into.add(p.path().head());
      case Operand.Value ignored -> { }
      case Operand.Size s -> collectAttributes(s.operand(), into);
    }
  }

  enum Comparator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /**
   * {@code left op right}. {@code =} is true when both sides exist and are equal; {@code <>} is its
   * negation (so it is true when either side is missing); ordering comparisons are true only for
   * two values of the same scalar type.
   */
  record Compare(Comparator op, Operand left, Operand right) implements Condition {
    public Compare {
      Objects.requireNonNull(op);
      Objects.requireNonNull(left);
      Objects.requireNonNull(right);
    }

    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      AttributeValue a = left.evaluate(item);
      AttributeValue b = right.evaluate(item);
      return switch (op) {
        case EQ -> Values.equal(a, b);
        case NE -> !Values.equal(a, b);
        case LT, LE, GT, GE -> {
          Integer c = Values.compare(a, b);
          yield c != null
              && switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                default -> c >= 0;
              };
        }
      };
    }
  }

  /** {@code value BETWEEN lower AND upper}, inclusive; all three of one scalar type. */
  record Between(Operand value, Operand lower, Operand upper) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      AttributeValue v = value.evaluate(item);
      Integer lo = Values.compare(v, lower.evaluate(item));
      Integer hi = Values.compare(v, upper.evaluate(item));
      return lo != null && hi != null && lo >= 0 && hi <= 0;
    }
  }

  /** {@code value IN (c1, c2, ...)}: equal to one of the candidates. */
  record In(Operand value, List<Operand> candidates) implements Condition {
    public In {
      candidates = List.copyOf(candidates);
    }

    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      AttributeValue v = value.evaluate(item);
      if (v == null) {
        return false;
      }
      for (Operand candidate : candidates) {
        if (Values.equal(v, candidate.evaluate(item))) {
          return true;
        }
      }
      return false;
    }
  }

  record And(Condition left, Condition right) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return left.evaluate(item) && right.evaluate(item);
    }
  }

  record Or(Condition left, Condition right) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return left.evaluate(item) || right.evaluate(item);
    }
  }

  record Not(Condition condition) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return !condition.evaluate(item);
    }
  }

  record AttributeExists(DocumentPath path) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return path.get(item) != null;
    }
  }

  record AttributeNotExists(DocumentPath path) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return path.get(item) == null;
    }
  }

  /** {@code attribute_type(path, :t)} where {@code type} is one of S N B BOOL NULL L M SS NS BS. */
  record AttributeType(DocumentPath path, String type) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      AttributeValue v = path.get(item);
      return v != null && v.typeName().equals(type);
    }
  }

  record BeginsWith(Operand value, Operand prefix) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      AttributeValue v = value.evaluate(item);
      AttributeValue p = prefix.evaluate(item);
      return v != null && p != null && Values.beginsWith(v, p);
    }
  }

  record Contains(Operand container, Operand element) implements Condition {
    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return Values.contains(container.evaluate(item), element.evaluate(item));
    }
  }

  /** A constant; what an empty legacy {@code Expected} or filter map means. */
  record Constant(boolean value) implements Condition {
    public static final Constant TRUE = new Constant(true);

    @Override
    public boolean evaluate(Map<String, AttributeValue> item) {
      return value;
    }
  }
}
