package io.flywheel.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEncodingTest {
  private static byte[] key(AttributeValue pk, AttributeValue sk) {
    return KeyEncoding.itemKey(7, new PrimaryKey(pk, sk));
  }

  @Test
  void itemsOfOnePartitionKeyShareItsPrefixAndNoOtherKeyDoes() {
    byte[] prefix = KeyEncoding.partitionPrefix(7, AttributeValue.s("a"));
    assertThat(Bytes.startsWith(key(AttributeValue.s("a"), AttributeValue.s("x")), prefix)).isTrue();
    assertThat(Bytes.startsWith(key(AttributeValue.s("a"), AttributeValue.s("")), prefix)).isTrue();
    // "a\0..." must not fall inside "a"'s range even though it starts with the same bytes
    assertThat(Bytes.startsWith(KeyEncoding.partitionPrefix(7, AttributeValue.s("a\u0000")), prefix)).isFalse();
    assertThat(KeyEncoding.tableIdOf(prefix)).isEqualTo(7);
    assertThat(KeyEncoding.hashOf(prefix)).isEqualTo(KeyEncoding.partitionHash(AttributeValue.s("a")));
  }

  @Test
  void sortKeysOrderAsDynamoDbOrdersThem() {
    List<AttributeValue> strings = List.of(AttributeValue.s(""), AttributeValue.s("\u0000"), AttributeValue.s("\u0000\u0000"),
        AttributeValue.s("a"), AttributeValue.s("a\u0000"), AttributeValue.s("ab"), AttributeValue.s("b"), AttributeValue.s("é"));
    assertSorted(strings);
    List<AttributeValue> numbers = List.of(AttributeValue.n("-100"), AttributeValue.n("-1.5"), AttributeValue.n("-1"),
        AttributeValue.n("0"), AttributeValue.n("0.001"), AttributeValue.n("1"), AttributeValue.n("1.5"), AttributeValue.n("20"));
    assertSorted(numbers);
    List<AttributeValue> binaries = List.of(AttributeValue.b(new byte[] {0}), AttributeValue.b(new byte[] {0, 0}),
        AttributeValue.b(new byte[] {1}), AttributeValue.b(new byte[] {(byte) 0x80}), AttributeValue.b(new byte[] {(byte) 0xFF}));
    assertSorted(binaries);
  }

  private static void assertSorted(List<AttributeValue> ascending) {
    List<byte[]> keys = new ArrayList<>();
    for (AttributeValue sk : ascending) {
      keys.add(key(AttributeValue.s("p"), sk));
    }
    for (int i = 1; i < keys.size(); i++) {
      assertThat(Bytes.compareUnsigned(keys.get(i - 1), keys.get(i)))
          .as("%s < %s", ascending.get(i - 1), ascending.get(i))
          .isNegative();
    }
  }
}
