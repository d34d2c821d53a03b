package io.flywheel.router;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of the table requests that does not need a catalog. */
class TableRequestsTest {
  static CreateTableRequest.IndexInput index(String projectionType, List<String> nonKeyAttributes) {
    return new CreateTableRequest.IndexInput("by-x", List.of(new CreateTableRequest.KeySchemaElement("x", "HASH")),
        projectionType, nonKeyAttributes, null, null);
  }

  @Test
  void nonKeyAttributesGoWithIncludeAndOnlyWithInclude() {
    assertThatCode(() -> TableRequests.checkProjection(index("INCLUDE", List.of("a")))).doesNotThrowAnyException();
    assertThatCode(() -> TableRequests.checkProjection(index("ALL", null))).doesNotThrowAnyException();
    assertThatThrownBy(() -> TableRequests.checkProjection(index("INCLUDE", null)))
        .hasMessage("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    assertThatThrownBy(() -> TableRequests.checkProjection(index("KEYS_ONLY", List.of("a"))))
        .hasMessage("One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified");
  }
}
