package io.flywheel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.CorruptDataException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemCodecTest {
  static Map<String, AttributeValue> everyType() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("s", AttributeValue.s("héllo"));
    item.put("n", AttributeValue.n("-12.5"));
    item.put("b", AttributeValue.b(new byte[] {0, 1, 2, (byte) 255}));
    item.put("t", AttributeValue.bool(true));
    item.put("f", AttributeValue.bool(false));
    item.put("null", AttributeValue.Null.INSTANCE);
    item.put("l", new AttributeValue.L(List.of(AttributeValue.s("x"), AttributeValue.n(1), new AttributeValue.L(List.of()))));
    item.put("m", new AttributeValue.M(Map.of("inner", new AttributeValue.M(Map.of("deep", AttributeValue.n(7))))));
    item.put("ss", new AttributeValue.SS(Set.of("a", "b")));
    item.put("ns", new AttributeValue.NS(Set.of(DynamoNumber.parse("1"), DynamoNumber.parse("2.5"))));
    item.put("bs", new AttributeValue.BS(Set.of(Binary.copyOf(new byte[] {1}), Binary.copyOf(new byte[] {2, 3}))));
    return item;
  }

  @Test
  void roundTripsEveryAttributeType() {
    Map<String, AttributeValue> item = everyType();
    byte[] image = ItemCodec.encode(item);
    assertThat(ItemCodec.decode(image)).isEqualTo(item);
    assertThat(ItemCodec.sizeOf(image)).isEqualTo(ItemSize.of(item));
  }

  @Test
  void truncatedImagesAreReportedAsCorrupt() {
    byte[] image = ItemCodec.encode(everyType());
    for (int len = 0; len < image.length; len++) {
      byte[] truncated = java.util.Arrays.copyOf(image, len);
      assertThatThrownBy(() -> ItemCodec.decode(truncated)).isInstanceOf(CorruptDataException.class);
    }
  }
}
