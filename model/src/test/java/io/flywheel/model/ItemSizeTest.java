package io.flywheel.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemSizeTest {
  @Test
  void namesAndStringsCountUtf8Bytes() {
    assertThat(ItemSize.of(Map.of("ab", AttributeValue.s("xyz")))).isEqualTo(5);
    assertThat(ItemSize.of(Map.of("é", AttributeValue.s("€")))).isEqualTo(2 + 3);
    assertThat(ItemSize.of(Map.of("k", AttributeValue.s("\uD83D\uDE00")))).isEqualTo(1 + 4);
  }

  @Test
  void scalarsSetsAndDocuments() {
    assertThat(ItemSize.of(AttributeValue.bool(true))).isEqualTo(1);
    assertThat(ItemSize.of(AttributeValue.Null.INSTANCE)).isEqualTo(1);
    assertThat(ItemSize.of(AttributeValue.b(new byte[10]))).isEqualTo(10);
    assertThat(ItemSize.of(new AttributeValue.SS(Set.of("ab", "c")))).isEqualTo(3);
    assertThat(ItemSize.of(new AttributeValue.L(List.of()))).isEqualTo(3);
    assertThat(ItemSize.of(new AttributeValue.L(List.of(AttributeValue.s("ab"), AttributeValue.bool(true))))).isEqualTo(3 + 1 + 2 + 1 + 1);
    assertThat(ItemSize.of(new AttributeValue.M(Map.of("k", AttributeValue.s("ab"))))).isEqualTo(3 + 1 + 1 + 2);
  }
}
