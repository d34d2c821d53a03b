package io.flywheel.httpapi.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document against a {@link Shape}, in one streaming pass. Type mismatches raise
 * {@code SerializationException} with the messages DynamoDB's deserializer produces; JSON syntax
 * errors raise a {@code SerializationException} without a message, as DynamoDB does.
 */
public final class ShapeParser {
  private ShapeParser() {}

  /** Parses a whole request body, which must be one JSON object. */
  public static Map<String, Object> parseBody(JsonParser p, Shape.Struct shape) {
    try {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new HashMap<>(); // an empty body is an empty request
      }
      Object value;
      try {
        value = read(p, t, shape, false);
      } catch (DynamoException typeError) {
        // DynamoDB parses the whole document before it looks at types: malformed JSON wins.
        while (p.nextToken() != null) {
          p.skipChildren();
        }
        throw typeError;
      }
      if (p.nextToken() != null) {
        throw syntaxError();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> result = value == null ? new HashMap<>() : (Map<String, Object>) value;
      return result;
    } catch (JsonParseException e) {
      throw syntaxError();
    } catch (IOException e) {
      throw syntaxError();
    }
  }

  private static DynamoException syntaxError() {
    return DynamoException.serialization(null);
  }

  static DynamoException typeError(String message) {
    return DynamoException.serialization(message);
  }

  /** Reads the value whose first token is {@code t}; null for JSON null. */
  private static Object read(JsonParser p, JsonToken t, Shape shape, boolean listElement) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    return switch (shape) {
      case Shape.Str ignored -> readString(p, t, "String");
      case Shape.Num n -> readNumber(p, t, n.javaType());
      case Shape.Bool ignored -> readBoolean(p, t);
      case Shape.Blob ignored -> readBlob(p, t);
      case Shape.ListOf l -> readList(p, t, l);
      case Shape.MapOf m -> readMap(p, t, m);
      case Shape.Struct s -> readStruct(p, t, s, listElement);
      case Shape.Attribute ignored -> AttributeValueJson.read(p, t, 0);
      case Shape.ExpressionAttributeValue ignored -> AttributeValueJson.read(p, t, 0);
    };
  }

  static String scalarName(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_TRUE -> "TRUE_VALUE";
      case VALUE_FALSE -> "FALSE_VALUE";
      case VALUE_NUMBER_INT -> "NUMBER_VALUE";
      case VALUE_NUMBER_FLOAT -> "DECIMAL_VALUE";
      case VALUE_STRING -> "STRING_VALUE";
      default -> t.name();
    };
  }

  static String readString(JsonParser p, JsonToken t, String javaType) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case START_OBJECT -> throw typeError("Start of structure or map found where not expected");
      case START_ARRAY -> throw typeError("Unrecognized collection type class java.lang." + javaType);
      default -> throw typeError(scalarName(p, t) + " cannot be converted to " + javaType);
    };
  }

  private static Long readNumber(JsonParser p, JsonToken t, String javaType) throws IOException {
    return switch (t) {
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw typeError("NUMBER_VALUE cannot be converted to " + javaType);
        }
        long v = p.getLongValue();
        if (javaType.equals("Integer") && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
          throw typeError("NUMBER_VALUE cannot be converted to " + javaType);
        }
        yield v;
      }
      case VALUE_NUMBER_FLOAT -> {
        double d = Math.floor(p.getDoubleValue());
        if (Double.isNaN(d) || d > Long.MAX_VALUE || d < Long.MIN_VALUE) {
          throw typeError("DECIMAL_VALUE cannot be converted to " + javaType);
        }
        yield (long) d;
      }
      case VALUE_STRING -> throw typeError("STRING_VALUE cannot be converted to " + javaType);
      case START_OBJECT -> throw typeError("Start of structure or map found where not expected");
      case START_ARRAY -> throw typeError("Unrecognized collection type class java.lang." + javaType);
      default -> throw typeError(scalarName(p, t) + " cannot be converted to " + javaType);
    };
  }

  static Boolean readBoolean(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_STRING -> switch (p.getText().toUpperCase(java.util.Locale.ROOT)) {
        case "TRUE", "1", "YES" -> Boolean.TRUE;
        case "FALSE", "0", "NO" -> Boolean.FALSE;
        default -> throw typeError("Unexpected token received from parser");
      };
      case START_OBJECT -> throw typeError("Start of structure or map found where not expected");
      case START_ARRAY -> throw typeError("Unrecognized collection type class java.lang.Boolean");
      default -> throw typeError(scalarName(p, t) + " cannot be converted to Boolean");
    };
  }

  static byte[] readBlob(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> decodeBase64(p.getText());
      case START_OBJECT -> throw typeError("Start of structure or map found where not expected");
      case START_ARRAY -> throw typeError("Unrecognized collection type class java.nio.ByteBuffer");
      default -> throw typeError("only base-64-encoded strings are convertible to bytes");
    };
  }

  static byte[] decodeBase64(String text) {
    if (text.length() % 4 != 0) {
      throw typeError("Base64 encoded length is expected a multiple of 4 bytes but found: " + text.length());
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw typeError("Invalid last non-pad Base64 character dectected");
    }
  }

  private static List<Object> readList(JsonParser p, JsonToken t, Shape.ListOf shape) throws IOException {
    if (t == JsonToken.START_OBJECT) {
      throw typeError("Start of structure or map found where not expected");
    }
    if (t != JsonToken.START_ARRAY) {
      throw typeError("Unexpected field type");
    }
    List<Object> out = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      out.add(read(p, e, shape.member(), true));
    }
    return out;
  }

  private static Map<String, Object> readMap(JsonParser p, JsonToken t, Shape.MapOf shape) throws IOException {
    if (t == JsonToken.START_ARRAY) {
      throw typeError("Unrecognized collection type java.util.Map<java.lang.String, "
          + (shape.valueTypeName().contains(".") ? shape.valueTypeName() : "com.amazonaws.dynamodb.v20120810." + shape.valueTypeName()) + ">");
    }
    if (t != JsonToken.START_OBJECT) {
      throw typeError("Unexpected field type");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (shape.value() instanceof Shape.Attribute) {
        AttributeValueJson.checkAttributeName(key); // an item, key or start key: names are attribute names
      }
      Object value;
      try {
        value = read(p, p.nextToken(), shape.value(), false);
      } catch (DynamoException e) {
        if (shape.value() instanceof Shape.ExpressionAttributeValue && e.code() == ErrorCode.VALIDATION) {
          throw DynamoException.validation("ExpressionAttributeValues contains invalid value: " + e.getMessage() + " for key " + key);
        }
        throw e;
      }
      if (value != null) {
        out.put(key, value);
      }
    }
    return out;
  }

  private static Map<String, Object> readStruct(JsonParser p, JsonToken t, Shape.Struct shape, boolean listElement) throws IOException {
    if (t == JsonToken.START_ARRAY) {
      throw typeError("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." + shape.name());
    }
    if (t != JsonToken.START_OBJECT) {
      throw typeError(listElement ? "Unexpected value type in payload" : "Unexpected field type");
    }
    Map<String, Object> out = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken valueToken = p.nextToken();
      Shape.Member member = shape.members().get(name);
      if (member == null) {
        p.skipChildren(); // unknown members are ignored
        continue;
      }
      Object value = read(p, valueToken, member.shape(), false);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }
}
