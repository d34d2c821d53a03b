package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.KeySchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression parameters, converted to the same typed trees as expressions: {@code
 * Expected} and {@code QueryFilter}/{@code ScanFilter} to a {@link Condition}, {@code
 * KeyConditions} to a {@link KeyCondition}, {@code AttributeUpdates} to an {@link
 * UpdateExpression}. ({@code AttributesToGet} is {@link Projection#ofAttributes}.) Attribute names
 * here are literal top-level names. Validation messages are DynamoDB's.
 */
public final class LegacyConditions {
  private LegacyConditions() {}

  /** One entry of {@code Expected}: either Value/Exists, or ComparisonOperator/AttributeValueList. */
  public record ExpectedAttribute(
      AttributeValue value, Boolean exists, String comparisonOperator, List<AttributeValue> attributeValueList) {}

  /** One entry of {@code QueryFilter}, {@code ScanFilter} or {@code KeyConditions}. */
  public record FilterCondition(String comparisonOperator, List<AttributeValue> attributeValueList) {}

  /** One entry of {@code AttributeUpdates}: Action PUT (the default), ADD or DELETE. */
  public record AttributeUpdate(String action, AttributeValue value) {}

  private static final Set<String> SCALAR = Set.of("S", "N", "B");
  private static final Set<String> OPERATORS = Set.of(
      "EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN");

  /** {@code Expected} with its {@code ConditionalOperator} (null means AND). */
  public static Condition expected(Map<String, ExpectedAttribute> expected, String conditionalOperator) {
    boolean or = conditionalOperator(conditionalOperator);
    List<Condition> parts = new ArrayList<>();
    for (Map.Entry<String, ExpectedAttribute> e : expected.entrySet()) {
      parts.add(expectedOne(e.getKey(), e.getValue()));
    }
    return combine(parts, or);
  }

  private static Condition expectedOne(String name, ExpectedAttribute c) {
    if (c.attributeValueList() != null && c.value() != null) {
      throw DynamoException.invalidParameter("Value and AttributeValueList cannot be used together for Attribute: " + name);
    }
    if (c.comparisonOperator() != null) {
      if (c.exists() != null) {
        throw DynamoException.invalidParameter("Exists and ComparisonOperator cannot be used together for Attribute: " + name);
      }
      String op = c.comparisonOperator();
      checkOperatorName(op);
      if (!op.equals("NULL") && !op.equals("NOT_NULL") && c.attributeValueList() == null && c.value() == null) {
        throw DynamoException.invalidParameter(
            "Value or AttributeValueList must be used with ComparisonOperator: " + op + " for Attribute: " + name);
      }
      List<AttributeValue> values = c.attributeValueList() != null
          ? c.attributeValueList()
          : c.value() != null ? List.of(c.value()) : List.of();
      return comparison(name, op, values);
    }
    if (c.attributeValueList() != null) {
      throw DynamoException.invalidParameter(
          "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
    }
    boolean exists = c.exists() == null || c.exists();
    if (exists && c.value() == null) {
      throw DynamoException.invalidParameter(
          "Value must be provided when Exists is " + (c.exists() == null ? "null" : "true") + " for Attribute: " + name);
    }
    if (!exists && c.value() != null) {
      throw DynamoException.invalidParameter("Value cannot be used when Exists is false for Attribute: " + name);
    }
    DocumentPath path = DocumentPath.attribute(name);
    return exists
        ? new Condition.Compare(Condition.Comparator.EQ, new Operand.Path(path), new Operand.Value(c.value()))
        : new Condition.AttributeNotExists(path);
  }

  /** {@code QueryFilter} or {@code ScanFilter} with its {@code ConditionalOperator} (null means AND). */
  public static Condition filter(Map<String, FilterCondition> filter, String conditionalOperator) {
    boolean or = conditionalOperator(conditionalOperator);
    List<Condition> parts = new ArrayList<>();
    for (Map.Entry<String, FilterCondition> e : filter.entrySet()) {
      FilterCondition c = e.getValue();
      checkOperatorName(c.comparisonOperator());
      List<AttributeValue> values = c.attributeValueList() == null ? List.of() : c.attributeValueList();
      parts.add(comparison(e.getKey(), c.comparisonOperator(), values));
    }
    return combine(parts, or);
  }

  /** {@code KeyConditions}, checked against the key schema. */
  public static KeyCondition keyConditions(Map<String, FilterCondition> keyConditions, KeySchema schema) {
    Map<String, KeyCondition.Leaf> leaves = new LinkedHashMap<>();
    for (Map.Entry<String, FilterCondition> e : keyConditions.entrySet()) {
      FilterCondition c = e.getValue();
      checkOperatorName(c.comparisonOperator());
      List<AttributeValue> values = c.attributeValueList() == null ? List.of() : c.attributeValueList();
      comparison(e.getKey(), c.comparisonOperator(), values); // the same argument checks as filters
      leaves.put(e.getKey(), new KeyCondition.Leaf(c.comparisonOperator(), values));
    }
    return KeyCondition.fromLeaves(leaves, schema);
  }

  /** {@code AttributeUpdates}. */
  public static UpdateExpression attributeUpdates(Map<String, AttributeUpdate> updates) {
    List<UpdateExpression.Action> actions = new ArrayList<>();
    for (Map.Entry<String, AttributeUpdate> e : updates.entrySet()) {
      String action = e.getValue().action() == null ? "PUT" : e.getValue().action();
      AttributeValue value = e.getValue().value();
      DocumentPath path = DocumentPath.attribute(e.getKey());
      if (value == null && !action.equals("DELETE")) {
        throw DynamoException.invalidParameter("Only DELETE action is allowed when no attribute value is specified");
      }
      actions.add(switch (action) {
        case "PUT" -> new UpdateExpression.SetAction(path, new UpdateExpression.UpdateValue.Literal(value));
        case "DELETE" -> {
          if (value == null) {
            yield new UpdateExpression.RemoveAction(path);
          }
          if (!isSet(value)) {
            throw DynamoException.invalidParameter("DELETE action with value is not supported for the type " + value.typeName());
          }
          yield new UpdateExpression.DeleteAction(path, value, true);
        }
        case "ADD" -> {
          if (!isSet(value) && !(value instanceof AttributeValue.N) && !(value instanceof AttributeValue.L)) {
            throw DynamoException.invalidParameter("ADD action is not supported for the type " + value.typeName());
          }
          yield new UpdateExpression.AddAction(path, value, true);
        }
        default -> throw DynamoException.validation(
            "1 validation error detected: Value '" + action + "' at 'attributeUpdates." + e.getKey()
                + ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
      });
    }
    return UpdateExpression.of(actions);
  }

  private static boolean isSet(AttributeValue v) {
    return v instanceof AttributeValue.SS || v instanceof AttributeValue.NS || v instanceof AttributeValue.BS;
  }

  private static boolean conditionalOperator(String op) {
    if (op == null || op.equals("AND")) {
      return false;
    }
    if (op.equals("OR")) {
      return true;
    }
    throw DynamoException.validation("1 validation error detected: Value '" + op
        + "' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]");
  }

  private static void checkOperatorName(String op) {
    if (op == null || !OPERATORS.contains(op)) {
      throw DynamoException.validation("Comparison type does not exist in DynamoDB");
    }
  }

  private static Condition combine(List<Condition> parts, boolean or) {
    if (parts.isEmpty()) {
      return Condition.Constant.TRUE;
    }
    Condition result = parts.getFirst();
    for (int i = 1; i < parts.size(); i++) {
      result = or ? new Condition.Or(result, parts.get(i)) : new Condition.And(result, parts.get(i));
    }
    return result;
  }

  /** Checks the argument list of one ComparisonOperator and builds its condition. */
  private static Condition comparison(String name, String op, List<AttributeValue> values) {
    boolean countOk = switch (op) {
      case "NULL", "NOT_NULL" -> values.isEmpty();
      case "IN" -> !values.isEmpty();
      case "BETWEEN" -> values.size() == 2;
      default -> values.size() == 1;
    };
    if (!countOk) {
      throw DynamoException.invalidParameter("Invalid number of argument(s) for the " + op + " ComparisonOperator");
    }
    if (!values.isEmpty()) {
      String type = values.getFirst().typeName();
      for (AttributeValue v : values) {
        if (!v.typeName().equals(type)) {
          throw DynamoException.invalidParameter("AttributeValues inside AttributeValueList must be of same type");
        }
      }
      Set<String> allowed = switch (op) {
        case "EQ", "NE" -> null;
        case "BEGINS_WITH" -> Set.of("S", "B");
        default -> SCALAR;
      };
      if (allowed != null && !allowed.contains(type)) {
        throw DynamoException.invalidParameter("ComparisonOperator " + op + " is not valid for " + type + " AttributeValue type");
      }
      if (op.equals("BETWEEN")) {
        Integer order = Values.compare(values.get(0), values.get(1));
        if (order != null && order > 0) {
          throw DynamoException.validation(
              "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
      }
    }
    DocumentPath path = DocumentPath.attribute(name);
    Operand attr = new Operand.Path(path);
    List<Operand> operands = new ArrayList<>(values.size());
    for (AttributeValue v : values) {
      operands.add(new Operand.Value(v));
    }
    return switch (op) {
      case "EQ" -> new Condition.Compare(Condition.Comparator.EQ, attr, operands.getFirst());
      case "NE" -> new Condition.Compare(Condition.Comparator.NE, attr, operands.getFirst());
      case "LT" -> new Condition.Compare(Condition.Comparator.LT, attr, operands.getFirst());
      case "LE" -> new Condition.Compare(Condition.Comparator.LE, attr, operands.getFirst());
      case "GT" -> new Condition.Compare(Condition.Comparator.GT, attr, operands.getFirst());
      case "GE" -> new Condition.Compare(Condition.Comparator.GE, attr, operands.getFirst());
      case "NULL" -> new Condition.AttributeNotExists(path);
      case "NOT_NULL" -> new Condition.AttributeExists(path);
      case "CONTAINS" -> new Condition.Contains(attr, operands.getFirst());
      // NOT_CONTAINS is false for a missing attribute (unlike NOT contains(...))
      case "NOT_CONTAINS" -> new Condition.And(
          new Condition.AttributeExists(path), new Condition.Not(new Condition.Contains(attr, operands.getFirst())));
      case "BEGINS_WITH" -> new Condition.BeginsWith(attr, operands.getFirst());
      case "IN" -> new Condition.In(attr, operands);
      case "BETWEEN" -> new Condition.Between(attr, operands.get(0), operands.get(1));
      default -> throw new IllegalStateException(op);
    };
  }
}
