package io.flywheel.httpapi.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoException;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.ItemSize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB's JSON form of attribute values ({@code {"S": "x"}}, {@code {"M": {...}}}, ...), read
 * with DynamoDB's validation messages and written back.
 */
public final class AttributeValueJson {
  /**
   * Document nesting DynamoDB accepts: 32 levels, the attribute itself being the first. A value
   * read at {@code depth} (0 for an attribute of the item) is on level {@code depth + 1}.
   */
  public static final int MAX_DEPTH = 32;

  /** Attribute names (item attributes and map keys) must be shorter than 64 KB in UTF-8. */
  public static final int ATTRIBUTE_NAME_MAX_BYTES = 65535;

  private AttributeValueJson() {}

  /** Reads one attribute value whose first token is {@code t} (already consumed). */
  static AttributeValue read(JsonParser p, JsonToken t, int depth) throws IOException {
    if (t == JsonToken.START_ARRAY) {
      throw ShapeParser.typeError("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    }
    if (t != JsonToken.START_OBJECT) {
      throw ShapeParser.typeError("Unexpected value type in payload");
    }
    if (depth >= MAX_DEPTH) {
      throw DynamoException.validation(
          "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
    }
    AttributeValue result = null;
    int types = 0;
    boolean nullFalse = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String type = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NULL) {
        continue;
      }
      AttributeValue parsed = switch (type) {
        case "S" -> new AttributeValue.S(ShapeParser.readString(p, v, "String"));
        case "N" -> new AttributeValue.N(DynamoNumber.parse(ShapeParser.readString(p, v, "String")));
        case "B" -> new AttributeValue.B(Binary.wrap(ShapeParser.readBlob(p, v)));
        case "BOOL" -> AttributeValue.bool(ShapeParser.readBoolean(p, v));
        case "NULL" -> {
          if (!ShapeParser.readBoolean(p, v)) {
            nullFalse = true;
          }
          yield AttributeValue.Null.INSTANCE;
        }
        case "SS" -> readStringSet(p, v);
        case "NS" -> readNumberSet(p, v);
        case "BS" -> readBinarySet(p, v);
        case "L" -> readList(p, v, depth);
        case "M" -> new AttributeValue.M(readMap(p, v, depth));
        default -> {
          p.skipChildren();
          yield null;
        }
      };
      if (parsed != null) {
        types++;
        result = parsed;
      }
    }
    if (types == 0) {
      throw DynamoException.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    if (nullFalse) {
      throw DynamoException.invalidParameter("Null attribute value types must have the value of true");
    }
    if (types > 1) {
      throw DynamoException.validation(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    }
    return result;
  }

  private static void expectArray(JsonToken v) {
    if (v == JsonToken.START_OBJECT) {
      throw ShapeParser.typeError("Start of structure or map found where not expected");
    }
    if (v != JsonToken.START_ARRAY) {
      throw ShapeParser.typeError("Unexpected field type");
    }
  }

  private static AttributeValue readStringSet(JsonParser p, JsonToken v) throws IOException {
    expectArray(v);
    List<String> values = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e != JsonToken.VALUE_NULL) {
        values.add(ShapeParser.readString(p, e, "String"));
      }
    }
    if (values.isEmpty()) {
      throw DynamoException.invalidParameter("An string set  may not be empty");
    }
    Set<String> set = new LinkedHashSet<>(values);
    if (set.size() != values.size()) {
      throw DynamoException.invalidParameter("Input collection " + values + " contains duplicates.");
    }
    return new AttributeValue.SS(set);
  }

  private static AttributeValue readNumberSet(JsonParser p, JsonToken v) throws IOException {
    expectArray(v);
    List<DynamoNumber> values = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e != JsonToken.VALUE_NULL) {
        values.add(DynamoNumber.parse(ShapeParser.readString(p, e, "String")));
      }
    }
    if (values.isEmpty()) {
      throw DynamoException.invalidParameter("An number set  may not be empty");
    }
    Set<DynamoNumber> set = new LinkedHashSet<>(values);
    if (set.size() != values.size()) {
      throw DynamoException.validation("Input collection contains duplicates");
    }
    return new AttributeValue.NS(set);
  }

  private static AttributeValue readBinarySet(JsonParser p, JsonToken v) throws IOException {
    expectArray(v);
    List<Binary> values = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e != JsonToken.VALUE_NULL) {
        values.add(Binary.wrap(ShapeParser.readBlob(p, e)));
      }
    }
    if (values.isEmpty()) {
      throw DynamoException.invalidParameter("Binary sets should not be empty");
    }
    Set<Binary> set = new LinkedHashSet<>(values);
    if (set.size() != values.size()) {
      throw DynamoException.invalidParameter("Input collection " + values + "of type BS contains duplicates.");
    }
    return new AttributeValue.BS(set);
  }

  private static AttributeValue readList(JsonParser p, JsonToken v, int depth) throws IOException {
    expectArray(v);
    List<AttributeValue> values = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e != JsonToken.VALUE_NULL) {
        values.add(read(p, e, depth + 1));
      }
    }
    return new AttributeValue.L(values);
  }

  /** An item attribute's or a map key's name: not empty, under 64 KB. */
  static void checkAttributeName(String name) {
    if (name.isEmpty()) {
      throw DynamoException.validation("Empty attribute name");
    }
    if (name.length() > ATTRIBUTE_NAME_MAX_BYTES / 3 && ItemSize.utf8Length(name) > ATTRIBUTE_NAME_MAX_BYTES) {
      throw DynamoException.validation("Attribute name is too large, must be less than 65536 bytes");
    }
  }

  /** Reads a map of attribute values ({@code M}, or an item) whose first token is {@code v}. */
  static Map<String, AttributeValue> readMap(JsonParser p, JsonToken v, int depth) throws IOException {
    if (v == JsonToken.START_ARRAY) {
      throw ShapeParser.typeError(
          "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    }
    if (v != JsonToken.START_OBJECT) {
      throw ShapeParser.typeError("Unexpected field type");
    }
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      checkAttributeName(name);
      JsonToken e = p.nextToken();
      if (e != JsonToken.VALUE_NULL) {
        values.put(name, read(p, e, depth + 1));
      }
    }
    return values;
  }

  public static void write(JsonGenerator g, AttributeValue value) throws IOException {
    g.writeStartObject();
    switch (value) {
      case AttributeValue.S s -> g.writeStringField("S", s.value());
      case AttributeValue.N n -> g.writeStringField("N", n.value().toString());
      case AttributeValue.B b -> {
        g.writeFieldName("B");
        g.writeBinary(b.value().unsafeBytes());
      }
      case AttributeValue.Bool b -> g.writeBooleanField("BOOL", b.value());
      case AttributeValue.Null ignored -> g.writeBooleanField("NULL", true);
      case AttributeValue.L l -> {
        g.writeArrayFieldStart("L");
        for (AttributeValue v : l.values()) {
          write(g, v);
        }
        g.writeEndArray();
      }
      case AttributeValue.M m -> {
        g.writeFieldName("M");
        writeMap(g, m.values());
      }
      case AttributeValue.SS ss -> {
        g.writeArrayFieldStart("SS");
        for (String s : ss.values()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      case AttributeValue.NS ns -> {
        g.writeArrayFieldStart("NS");
        for (DynamoNumber n : ns.values()) {
          g.writeString(n.toString());
        }
        g.writeEndArray();
      }
      case AttributeValue.BS bs -> {
        g.writeArrayFieldStart("BS");
        for (Binary b : bs.values()) {
          g.writeBinary(b.unsafeBytes());
        }
        g.writeEndArray();
      }
    }
    g.writeEndObject();
  }

  public static void writeMap(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      g.writeFieldName(e.getKey());
      write(g, e.getValue());
    }
    g.writeEndObject();
  }
}
