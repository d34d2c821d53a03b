package io.flywheel.httpapi.json;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's constraint validation of a parsed request: first the special TableName rules of table
 * operations, then every member's constraints, reported together as {@code "N validation errors
 * detected: ..."} (at most 10, as DynamoDB does).
 */
public final class Constraints {
  static final int MAX_REPORTED = 10;

  private Constraints() {}

  public static void validate(Map<String, Object> request, Shape.Struct shape) {
    for (Map.Entry<String, Shape.Member> e : shape.members().entrySet()) {
      if (!e.getValue().tableNameRule()) {
        continue;
      }
      Object value = request.get(e.getKey());
      if (value == null) {
        throw DynamoException.validation("The parameter '" + e.getKey() + "' is required but was not present in the request");
      }
      String name = (String) value;
      if (name.length() < 3 || name.length() > 255) {
        throw DynamoException.validation(e.getKey() + " must be at least 3 characters long and at most 255 characters long");
      }
    }
    List<String> errors = new ArrayList<>();
    checkStruct(request, shape, "", errors);
    if (!errors.isEmpty()) {
      int n = errors.size();
      throw DynamoException.validation(n + " validation error" + (n > 1 ? "s" : "") + " detected: " + String.join("; ", errors));
    }
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static void checkStruct(Map<String, Object> value, Shape.Struct shape, String parent, List<String> errors) {
    for (Map.Entry<String, Shape.Member> e : shape.members().entrySet()) {
      Shape.Member member = e.getValue();
      String path = parent + lowerFirst(e.getKey());
      Object v = value.get(e.getKey());
      if (v == null) {
        if (member.notNull() && !member.tableNameRule()) {
          fail(errors, null, path, "Member must not be null");
        }
        continue;
      }
      checkValue(v, member.shape(), path, errors);
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkValue(Object v, Shape shape, String path, List<String> errors) {
    switch (shape) {
      case Shape.Str s -> checkString((String) v, s, path, errors);
      case Shape.Num n -> {
        long x = (Long) v;
        if (n.min() != null && x < n.min()) {
          fail(errors, v, path, "Member must have value greater than or equal to " + n.min());
        }
        if (n.max() != null && x > n.max()) {
          fail(errors, v, path, "Member must have value less than or equal to " + n.max());
        }
      }
      case Shape.ListOf l -> {
        List<Object> list = (List<Object>) v;
        checkLength(list.size(), l.minLength(), l.maxLength(), v, path, errors);
        for (int i = 0; i < list.size(); i++) {
          Object element = list.get(i);
          if (element != null) {
            checkElement(element, l.member(), path + "." + (i + 1) + ".member", errors);
          }
        }
      }
      case Shape.MapOf m -> {
        Map<String, Object> map = (Map<String, Object>) v;
        checkLength(map.size(), m.minLength(), m.maxLength(), v, path, errors);
        if (m.keyConstraint() != null) {
          for (String key : map.keySet()) {
            List<String> keyErrors = new ArrayList<>();
            checkString(key, m.keyConstraint(), "", keyErrors);
            if (!keyErrors.isEmpty()) {
              fail(errors, v, path, "Map keys must satisfy constraint: [" + describe(m.keyConstraint()) + "]");
              break;
            }
          }
        }
        if (m.value() instanceof Shape.ListOf list && (list.minLength() >= 0 || list.maxLength() >= 0)) {
          // DynamoDB reports the length of list values once, on the map.
          for (Object value : map.values()) {
            int size = ((List<?>) value).size();
            if (list.minLength() >= 0 && size < list.minLength() || list.maxLength() >= 0 && size > list.maxLength()) {
              List<String> bounds = new ArrayList<>();
              if (list.maxLength() >= 0) {
                bounds.add("Member must have length less than or equal to " + list.maxLength());
              }
              if (list.minLength() >= 0) {
                bounds.add("Member must have length greater than or equal to " + list.minLength());
              }
              fail(errors, v, path, "Map value must satisfy constraint: [" + String.join(", ", bounds) + "]");
              break;
            }
          }
          for (Map.Entry<String, Object> e : map.entrySet()) {
            List<Object> elements = (List<Object>) e.getValue();
            for (int i = 0; i < elements.size(); i++) {
              checkElement(elements.get(i), list.member(), path + "." + e.getKey() + ".member." + (i + 1) + ".member", errors);
            }
          }
        } else {
          for (Map.Entry<String, Object> e : map.entrySet()) {
            checkElement(e.getValue(), m.value(), path + "." + e.getKey() + ".member", errors);
          }
        }
      }
      case Shape.Struct s -> checkStruct((Map<String, Object>) v, s, path + ".", errors);
      case Shape.Bool ignored -> {}
      case Shape.Blob ignored -> {}
      case Shape.Attribute ignored -> {}
      case Shape.ExpressionAttributeValue ignored -> {}
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkElement(Object element, Shape shape, String path, List<String> errors) {
    if (shape instanceof Shape.Struct s) {
      checkStruct((Map<String, Object>) element, s, path + ".", errors);
    } else {
      checkValue(element, shape, path, errors);
    }
  }

  private static void checkString(String s, Shape.Str shape, String path, List<String> errors) {
    if (shape.pattern() != null && !shape.pattern().matcher(s).matches()) {
      fail(errors, s, path, "Member must satisfy regular expression pattern: " + shape.pattern().pattern());
    }
    checkLength(s.length(), shape.minLength(), shape.maxLength(), s, path, errors);
    if (shape.enumValues() != null && !shape.enumValues().contains(s)) {
      fail(errors, s, path, "Member must satisfy enum value set: [" + String.join(", ", shape.enumValues()) + "]");
    }
  }

  private static void checkLength(int length, int min, int max, Object v, String path, List<String> errors) {
    if (min >= 0 && length < min) {
      fail(errors, v, path, "Member must have length greater than or equal to " + min);
    }
    if (max >= 0 && length > max) {
      fail(errors, v, path, "Member must have length less than or equal to " + max);
    }
  }

  private static String describe(Shape.Str s) {
    List<String> parts = new ArrayList<>();
    if (s.maxLength() >= 0) {
      parts.add("Member must have length less than or equal to " + s.maxLength());
    }
    if (s.minLength() >= 0) {
      parts.add("Member must have length greater than or equal to " + s.minLength());
    }
    if (s.pattern() != null) {
      parts.add("Member must satisfy regular expression pattern: " + s.pattern().pattern());
    }
    return String.join(", ", parts);
  }

  private static void fail(List<String> errors, Object value, String path, String constraint) {
    if (errors.size() >= MAX_REPORTED) {
      return;
    }
    String shown = value == null ? "null" : "'" + render(value) + "'";
    errors.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint);
  }

  @SuppressWarnings("unchecked")
  private static String render(Object value) {
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(o == null ? "null" : render(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        parts.add(e.getKey() + "=" + render(e.getValue()));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    if (value instanceof AttributeValue av) {
      return "{" + av.typeName() + ": " + av + "}";
    }
    return String.valueOf(value);
  }
}
