package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues} of one request. Every
 * expression of the request (condition, update, projection, filter, key condition) resolves its
 * placeholders here; {@link #checkAllUsed()} then reports the placeholders no expression used.
 *
 * <p>Not thread-safe: one per request.
 */
public final class ExpressionContext {
  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  /**
   * @param names {@code ExpressionAttributeNames}, or null when absent
   * @param values {@code ExpressionAttributeValues}, or null when absent
   * @throws DynamoException when a map is present but empty, a key is not a placeholder, or a name
   *     placeholder stands for the empty name
   */
  public ExpressionContext(Map<String, String> names, Map<String, AttributeValue> values) {
    if (names != null) {
      if (names.isEmpty()) {
        throw DynamoException.validation("ExpressionAttributeNames must not be empty");
      }
      checkKeys(names.keySet(), '#', "ExpressionAttributeNames");
      for (Map.Entry<String, String> e : names.entrySet()) {
        if (e.getValue().isEmpty()) {
          throw DynamoException.validation(
              "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + e.getKey());
        }
      }
    }
    if (values != null) {
      if (values.isEmpty()) {
        throw DynamoException.validation("ExpressionAttributeValues must not be empty");
      }
      checkKeys(values.keySet(), ':', "ExpressionAttributeValues");
    }
    this.names = names == null ? Map.of() : new LinkedHashMap<>(names);
    this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
  }

  /** A context for a request without placeholders. */
  public static ExpressionContext empty() {
    return new ExpressionContext(null, null);
  }

  private static void checkKeys(Collection<String> keys, char sigil, String parameter) {
    for (String key : keys) {
      boolean ok = key.length() > 1 && key.charAt(0) == sigil;
      for (int i = 1; ok && i < key.length(); i++) {
        char c = key.charAt(i);
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      }
      if (!ok) {
        throw DynamoException.validation(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
      }
    }
  }

  /** The name {@code #ref} stands for, marking it used. */
  String name(String ref) {
    String name = names.get(ref);
    if (name == null) {
      throw new ExpressionError(
          "An expression attribute name used in the document path is not defined; attribute name: " + ref);
    }
    usedNames.add(ref);
    return name;
  }

  /** The value {@code :ref} stands for, marking it used. */
  AttributeValue value(String ref) {
    AttributeValue value = values.get(ref);
    if (value == null) {
      throw new ExpressionError(
          "An expression attribute value used in expression is not defined; attribute value: " + ref);
    }
    usedValues.add(ref);
    return value;
  }

  /**
   * Fails when a name or value placeholder was given but no expression of the request used it.
   * Names are checked first. The keys are listed in the order of a {@link HashSet} of them, which
   * is the order DynamoDB prints.
   */
  public void checkAllUsed() {
    Set<String> unusedNames = unused(names.keySet(), usedNames);
    if (!unusedNames.isEmpty()) {
      throw DynamoException.validation(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + String.join(", ", unusedNames) + "}");
    }
    Set<String> unusedValues = unused(values.keySet(), usedValues);
    if (!unusedValues.isEmpty()) {
      throw DynamoException.validation(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + String.join(", ", unusedValues) + "}");
    }
  }

  private static Set<String> unused(Set<String> given, Set<String> used) {
    Set<String> unused = new HashSet<>();
    for (String key : given) {
      if (!used.contains(key)) {
        unused.add(key);
      }
    }
    return unused;
  }
}
