package io.flywheel.httpapi.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShapeParserTest {
  static final JsonFactory JSON = new JsonFactory();
  static final Shape.Struct SHAPE = Shape.Struct.builder("TestInput")
      .member("Name", Shape.Str.ANY)
      .member("Count", new Shape.Num("Long", null, null))
      .member("Flag", new Shape.Bool())
      .member("Data", new Shape.Blob())
      .member("Names", new Shape.ListOf(Shape.Str.ANY, -1, -1))
      .member("Item", new Shape.MapOf(new Shape.Attribute(), -1, -1, "AttributeValue", null))
      .member("Values", new Shape.MapOf(new Shape.ExpressionAttributeValue(), -1, -1, "AttributeValue", null))
      .member("Keys", new Shape.ListOf(Shape.Struct.builder("KeySchemaElement").member("AttributeName", Shape.Str.ANY).build(), -1, -1))
      .member("Throughput", Shape.Struct.builder("ProvisionedThroughput").member("ReadCapacityUnits", new Shape.Num("Long", null, null)).build())
      .build();

  static Map<String, Object> parse(String json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      return ShapeParser.parseBody(p, SHAPE);
    }
  }

  @Test
  void readsEveryShapeAndIgnoresNullsAndUnknownMembers() throws IOException {
    Map<String, Object> in = parse("{\"Name\":\"n\",\"Count\":3,\"Flag\":true,\"Data\":\"AAE=\",\"Names\":[\"a\",\"b\"],"
        + "\"Item\":{\"k\":{\"S\":\"v\"}},\"Keys\":[{\"AttributeName\":\"pk\",\"Other\":[1,2]}],\"Unknown\":{\"x\":[1]},\"Null\":null,"
        + "\"Throughput\":null}");
    assertThat(in).containsEntry("Name", "n").containsEntry("Count", 3L).containsEntry("Flag", true)
        .containsEntry("Names", List.of("a", "b")).containsEntry("Item", Map.of("k", AttributeValue.s("v")))
        .doesNotContainKeys("Unknown", "Null", "Throughput");
    assertThat((byte[]) in.get("Data")).containsExactly(0, 1);
    assertThat(in.get("Keys")).isEqualTo(List.of(Map.of("AttributeName", "pk")));
  }

  @Test
  void anInvalidExpressionAttributeValueIsReportedWithItsPlaceholder() throws IOException {
    assertThat(parse("{\"Values\":{\":ok\":{\"N\":\"1\"}}}")).containsEntry("Values", Map.of(":ok", AttributeValue.n("1")));
    assertThatThrownBy(() -> parse("{\"Values\":{\":ok\":{\"N\":\"1\"},\":bad\":{\"SS\":[]}}}"))
        .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
        .hasMessage("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
            + "An string set  may not be empty for key :bad");
    assertThatThrownBy(() -> parse("{\"Values\":{\":empty\":{}}}"))
        .hasMessage("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, "
            + "must contain exactly one of the supported datatypes for key :empty");
    // The same value in an item keeps the plain message; type errors stay serialization errors.
    assertThatThrownBy(() -> parse("{\"Item\":{\"a\":{}}}"))
        .hasMessage("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    assertThatThrownBy(() -> parse("{\"Values\":{\":v\":{\"S\":1}}}"))
        .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION));
  }

  static String nestedMaps(int maps) {
    return "{\"M\":{\"d\":".repeat(maps) + "{\"N\":\"1\"}" + "}}".repeat(maps);
  }

  @Test
  void documentsNestThirtyTwoLevelsCountingTheAttributeItself() throws IOException {
    assertThat(parse("{\"Item\":{\"v\":" + nestedMaps(31) + "}}")).containsKey("Item");
    assertThatThrownBy(() -> parse("{\"Item\":{\"v\":" + nestedMaps(32) + "}}"))
        .hasMessage("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
  }

  @Test
  void attributeNamesAreNotEmptyAndShorterThan64Kilobytes() throws IOException {
    assertThatThrownBy(() -> parse("{\"Item\":{\"\":{\"N\":\"1\"}}}")).hasMessage("Empty attribute name");
    assertThatThrownBy(() -> parse("{\"Item\":{\"m\":{\"M\":{\"\":{\"N\":\"1\"}}}}}")).hasMessage("Empty attribute name");
    String longest = "é".repeat(32767) + "a"; // 65535 bytes in UTF-8
    assertThat(parse("{\"Item\":{\"" + longest + "\":{\"N\":\"1\"}}}")).containsKey("Item");
    assertThatThrownBy(() -> parse("{\"Item\":{\"m\":{\"M\":{\"" + "é".repeat(32768) + "\":{\"N\":\"1\"}}}}}"))
        .hasMessage("Attribute name is too large, must be less than 65536 bytes");
  }

  @Test
  void anEmptyBodyIsAnEmptyRequest() throws IOException {
    assertThat(parse("")).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"Name\":1}|NUMBER_VALUE cannot be converted to String",
    "{\"Name\":1.5}|DECIMAL_VALUE cannot be converted to String",
    "{\"Name\":true}|TRUE_VALUE cannot be converted to String",
    "{\"Name\":{}}|Start of structure or map found where not expected",
    "{\"Name\":[]}|Unrecognized collection type class java.lang.String",
    "{\"Count\":\"3\"}|STRING_VALUE cannot be converted to Long",
    "{\"Count\":false}|FALSE_VALUE cannot be converted to Long",
    "{\"Flag\":\"maybe\"}|Unexpected token received from parser",
    "{\"Flag\":1}|NUMBER_VALUE cannot be converted to Boolean",
    "{\"Data\":5}|only base-64-encoded strings are convertible to bytes",
    "{\"Data\":\"abc\"}|Base64 encoded length is expected a multiple of 4 bytes but found: 3",
    "{\"Names\":\"a\"}|Unexpected field type",
    "{\"Names\":{}}|Start of structure or map found where not expected",
    "{\"Item\":[]}|Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
    "{\"Item\":\"x\"}|Unexpected field type",
    "{\"Item\":{\"k\":\"v\"}}|Unexpected value type in payload",
    "{\"Item\":{\"k\":[]}}|Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
    "{\"Keys\":[\"pk\"]}|Unexpected value type in payload",
    "{\"Keys\":[[]]}|Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement",
    "{\"Throughput\":5}|Unexpected field type",
  })
  void typeMismatchesAreSerializationExceptionsWithDynamoDbsMessages(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(DynamoException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{", "{\"Name\":}", "[1,", "{} {}", "nul"})
  void syntaxErrorsAreSerializationExceptionsWithoutAMessage(String json) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(DynamoException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION);
          assertThat(e.getMessage()).isNull();
        });
  }
}
