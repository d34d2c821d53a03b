package io.flywheel.httpapi.json;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstraintsTest {
  static final Shape.Struct TABLE_OP = Shape.Struct.builder("DescribeTableInput")
      .tableName("TableName", Shape.Str.of(-1, -1, "[a-zA-Z0-9_.-]+"))
      .build();
  static final Shape.Struct ITEM_OP = Shape.Struct.builder("GetItemInput")
      .member("Mode", Shape.Str.enumOf("INDEXES", "TOTAL", "NONE"))
      .required("TableName", Shape.Str.of(3, 255, "[a-zA-Z0-9_.-]+"))
      .required("Key", new Shape.MapOf(new Shape.Attribute(), -1, -1, "AttributeValue", null))
      .member("Keys", new Shape.ListOf(Shape.Struct.builder("KeySchemaElement")
          .required("AttributeName", Shape.Str.of(1, 255, null)).build(), 1, 2))
      .member("Limit", new Shape.Num("Integer", 1L, 100L))
      .build();

  @Test
  void tableOperationsCheckTheNameFirstWithTheirOwnMessages() {
    assertThatThrownBy(() -> Constraints.validate(new HashMap<>(), TABLE_OP))
        .hasMessage("The parameter 'TableName' is required but was not present in the request");
    assertThatThrownBy(() -> Constraints.validate(Map.of("TableName", "ab"), TABLE_OP))
        .hasMessage("TableName must be at least 3 characters long and at most 255 characters long");
    assertThatThrownBy(() -> Constraints.validate(Map.of("TableName", "a b"), TABLE_OP))
        .hasMessage("1 validation error detected: Value 'a b' at 'tableName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    assertThatCode(() -> Constraints.validate(Map.of("TableName", "good"), TABLE_OP)).doesNotThrowAnyException();
  }

  @Test
  void allViolationsAreReportedTogetherWithPaths() {
    Map<String, Object> in = new HashMap<>();
    in.put("Mode", "SOME");
    in.put("TableName", "x!");
    in.put("Keys", List.of(Map.of(), Map.of("AttributeName", ""), Map.of("AttributeName", "c")));
    in.put("Limit", 0L);
    assertThatThrownBy(() -> Constraints.validate(in, ITEM_OP)).hasMessage("8 validation errors detected: "
        + "Value 'SOME' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        + "Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        + "Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
        + "Value null at 'key' failed to satisfy constraint: Member must not be null; "
        + "Value '[{}, {AttributeName=}, {AttributeName=c}]' at 'keys' failed to satisfy constraint: "
        + "Member must have length less than or equal to 2; "
        + "Value null at 'keys.1.member.attributeName' failed to satisfy constraint: Member must not be null; "
        + "Value '' at 'keys.2.member.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void atMostTenViolationsAreReported() {
    Map<String, Object> in = new HashMap<>();
    in.put("TableName", "ok-name");
    in.put("Key", Map.of());
    java.util.List<Map<String, Object>> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      keys.add(Map.of());
    }
    in.put("Keys", keys);
    assertThatThrownBy(() -> Constraints.validate(in, ITEM_OP)).hasMessageStartingWith("10 validation errors detected: ");
  }
}
