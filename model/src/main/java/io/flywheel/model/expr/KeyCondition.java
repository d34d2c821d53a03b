package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Query's key condition (KeyConditionExpression or legacy KeyConditions), checked against the
 * table's (or index's) key schema: equality on the partition key, optionally one condition on the
 * sort key.
 *
 * @param partitionKey the partition key attribute name
 * @param partitionValue the value it must equal
 * @param sortKey the sort key condition, or null
 */
public record KeyCondition(String partitionKey, AttributeValue partitionValue, SortKeyCondition sortKey) {
  public KeyCondition {
    Objects.requireNonNull(partitionKey);
    Objects.requireNonNull(partitionValue);
  }

  /** The sort key comparisons a key condition allows. */
  public enum SortOperator {
    EQ,
    LT,
    LE,
    GT,
    GE,
    BETWEEN,
    BEGINS_WITH
  }

  /** {@code attribute op values}: one value, or two (lower, upper) for BETWEEN. */
  public record SortKeyCondition(String attribute, SortOperator operator, List<AttributeValue> values) {
    public SortKeyCondition {
      values = List.copyOf(values);
    }

    /** Whether a sort key value satisfies the condition. */
    public boolean matches(AttributeValue value) {
      if (value == null) {
        return false;
      }
      if (operator == SortOperator.BEGINS_WITH) {
        return Values.beginsWith(value, values.getFirst());
      }
      Integer c = Values.compare(value, values.getFirst());
      if (c == null) {
        return false;
      }
      return switch (operator) {
        case EQ -> c == 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
        case BETWEEN -> {
          Integer upper = Values.compare(value, values.get(1));
          yield c >= 0 && upper != null && upper <= 0;
        }
        case BEGINS_WITH -> throw new IllegalStateException();
      };
    }
  }

  /** Whether {@code item} has this partition key value and satisfies the sort key condition. */
  public boolean matches(Map<String, AttributeValue> item) {
    return partitionValue.equals(item.get(partitionKey))
        && (sortKey == null || sortKey.matches(item.get(sortKey.attribute())));
  }

  /**
   * Parses a KeyConditionExpression and checks it against {@code schema}.
   *
   * @throws DynamoException ValidationException with DynamoDB's message: "Invalid
   *     KeyConditionExpression: ..." for expression errors, and the unprefixed Query messages (e.g.
   *     "Query condition missed key schema element: pk") for conditions that do not fit the keys
   */
  public static KeyCondition parse(String expression, ExpressionContext ctx, KeySchema schema) {
    Objects.requireNonNull(expression);
    Condition condition;
    try {
      condition = ConditionParser.build(ConditionParser.parseSyntax(expression), ctx);
    } catch (ExpressionError e) {
      throw e.toDynamo(ExpressionKind.KEY_CONDITION);
    }
    Map<String, Leaf> leaves = new LinkedHashMap<>();
    collect(condition, leaves);
    return fromLeaves(leaves, schema);
  }

  /** One condition on one attribute, before it is checked against the schema. */
  record Leaf(String operator, List<AttributeValue> values) {}

  private static void collect(Condition condition, Map<String, Leaf> leaves) {
    switch (condition) {
      case Condition.And and -> {
        collect(and.left(), leaves);
        collect(and.right(), leaves);
      }
      case Condition.Or or -> throw invalidOperator("OR");
      case Condition.Not not -> throw invalidOperator("NOT");
      case Condition.In in -> throw invalidOperator("IN");
      case Condition.AttributeExists f -> throw invalidOperator("attribute_exists");
      case Condition.AttributeNotExists f -> throw invalidOperator("attribute_not_exists");
      case Condition.AttributeType f -> throw invalidOperator("attribute_type");
      case Condition.Contains f -> throw invalidOperator("contains");
      case Condition.Constant c -> throw new IllegalStateException("constant in a parsed expression");
      case Condition.Compare c -> {
        if (c.op() == Condition.Comparator.NE) {
          throw invalidOperator("<>");
        }
        checkNotNested(c.left());
        checkNotNested(c.right());
        boolean leftIsPath = c.left() instanceof Operand.Path;
        boolean rightIsPath = c.right() instanceof Operand.Path;
        if (leftIsPath && rightIsPath) {
          throw invalidCondition("Multiple attribute names used in one condition");
        }
        if (!leftIsPath && !rightIsPath) {
          throw invalidCondition("No key attribute specified");
        }
        Operand.Path path = (Operand.Path) (leftIsPath ? c.left() : c.right());
        Operand.Value value = (Operand.Value) (leftIsPath ? c.right() : c.left());
        String op = switch (c.op()) {
          case EQ -> "EQ";
          case LT -> leftIsPath ? "LT" : "GT";
          case LE -> leftIsPath ? "LE" : "GE";
          case GT -> leftIsPath ? "GT" : "LT";
          case GE -> leftIsPath ? "GE" : "LE";
          case NE -> throw new IllegalStateException();
        };
        add(leaves, keyName(path), new Leaf(op, List.of(value.value())));
      }
      case Condition.Between b -> {
        checkNotNested(b.value());
        checkNotNested(b.lower());
        checkNotNested(b.upper());
        if (!(b.value() instanceof Operand.Path path)) {
          throw invalidCondition("BETWEEN operator must have the key attribute as its first operand");
        }
        if (!(b.lower() instanceof Operand.Value(AttributeValue lo)) || !(b.upper() instanceof Operand.Value(AttributeValue hi))) {
          throw invalidCondition("Multiple attribute names used in one condition");
        }
        add(leaves, keyName(path), new Leaf("BETWEEN", List.of(lo, hi)));
      }
      case Condition.BeginsWith b -> {
        checkNotNested(b.value());
        checkNotNested(b.prefix());
        if (!(b.value() instanceof Operand.Path path)) {
          throw invalidCondition("begins_with operator must have the key attribute as its first operand");
        }
        if (!(b.prefix() instanceof Operand.Value(AttributeValue prefix))) {
          throw invalidCondition("Multiple attribute names used in one condition");
        }
        add(leaves, keyName(path), new Leaf("BEGINS_WITH", List.of(prefix)));
      }
    }
  }

  private static void add(Map<String, Leaf> leaves, String name, Leaf leaf) {
    if (leaves.putIfAbsent(name, leaf) != null) {
      throw DynamoException.validation("KeyConditionExpressions must only contain one condition per key");
    }
  }

  private static void checkNotNested(Operand operand) {
    if (operand instanceof Operand.Size) {
      throw DynamoException.validation("KeyConditionExpressions cannot contain nested operations");
    }
  }

  private static String keyName(Operand.Path path) {
    DocumentPath p = path.path();
    if (!p.isTopLevel()) {
      throw DynamoException.validation(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: " + p.head());
    }
    return p.head();
  }

  private static DynamoException invalidOperator(String operator) {
    return DynamoException.validation("Invalid operator used in KeyConditionExpression: " + operator);
  }

  private static DynamoException invalidCondition(String detail) {
    return DynamoException.validation("Invalid condition in KeyConditionExpression: " + detail);
  }

  /** Checks per-attribute conditions (from an expression or legacy KeyConditions) against the keys. */
  static KeyCondition fromLeaves(Map<String, Leaf> leaves, KeySchema schema) {
    if (leaves.size() > 2) {
      throw DynamoException.validation("Conditions can be of length 1 or 2 only");
    }
    KeyAttribute pk = schema.partitionKey();
    if (!schema.hasSortKey() && leaves.size() > 1) {
      throw DynamoException.validation("Query key condition not supported");
    }
    Leaf pkLeaf = leaves.get(pk.name());
    if (pkLeaf == null) {
      throw missed(pk);
    }
    checkLeaf(pkLeaf, pk);
    if (!pkLeaf.operator().equals("EQ")) {
      throw DynamoException.validation("Query key condition not supported");
    }
    SortKeyCondition sortCondition = null;
    if (schema.hasSortKey()) {
      KeyAttribute sk = schema.sortKey();
      Leaf skLeaf = leaves.get(sk.name());
      if (skLeaf == null && leaves.size() > 1) {
        throw missed(sk);
      }
      if (skLeaf != null) {
        checkLeaf(skLeaf, sk);
        sortCondition = new SortKeyCondition(sk.name(), SortOperator.valueOf(skLeaf.operator()), skLeaf.values());
      }
    }
    return new KeyCondition(pk.name(), pkLeaf.values().getFirst(), sortCondition);
  }

  private static DynamoException missed(KeyAttribute key) {
    return DynamoException.validation("Query condition missed key schema element: " + key.name());
  }

  private static void checkLeaf(Leaf leaf, KeyAttribute key) {
    switch (leaf.operator()) {
      case "EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH" -> {}
      default -> throw DynamoException.validation("Attempted conditional constraint is not an indexable operation");
    }
    for (AttributeValue value : leaf.values()) {
      if (!key.type().matches(value)) {
        throw DynamoException.invalidParameter("Condition parameter type does not match schema type");
      }
    }
  }
}
