package io.flywheel.httpapi.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.ItemCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-level transcoder must write exactly what the generic JSON writer writes. */
class ItemJsonWriterTest {
  static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  static String viaJackson(Map<String, AttributeValue> item) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      AttributeValueJson.writeMap(g, item);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String viaTranscoder(Map<String, AttributeValue> item) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeRawValue(ItemJsonWriter.toJson(ItemCodec.encode(item)));
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void handPickedItemsMatchIncludingEscapesAndEmptyDocuments() throws IOException {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("quote\"and\\slash", AttributeValue.s("line\nbreak\ttab\u0001ctl \"q\" é ☃ \uD83D\uDE00"));
    item.put("n", AttributeValue.n("-0.000123"));
    item.put("b", AttributeValue.b(new byte[] {0, (byte) 0xFF, 10}));
    item.put("empty-list", new AttributeValue.L(List.of()));
    item.put("empty-map", new AttributeValue.M(Map.of()));
    item.put("empty-s", AttributeValue.s(""));
    item.put("nested", new AttributeValue.L(List.of(new AttributeValue.M(Map.of("k", new AttributeValue.L(List.of(
        AttributeValue.bool(true), AttributeValue.Null.INSTANCE, new AttributeValue.SS(Set.of("x")))))))));
    item.put("ns", new AttributeValue.NS(new LinkedHashSet<>(List.of(DynamoNumber.parse("1"), DynamoNumber.parse("2e3")))));
    item.put("bs", new AttributeValue.BS(new LinkedHashSet<>(List.of(Binary.copyOf(new byte[] {1}), Binary.copyOf(new byte[] {2, 3})))));
    assertThat(viaTranscoder(item)).isEqualTo(viaJackson(item));
    assertThat(viaTranscoder(Map.of())).isEqualTo("{}");
  }

  @Test
  void randomItemsMatch() throws IOException {
    long seed = 20261125L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      Map<String, AttributeValue> item = new LinkedHashMap<>();
      int attributes = random.nextInt(6);
      for (int a = 0; a < attributes; a++) {
        item.put(randomString(random), randomValue(random, 0));
      }
      String expected = viaJackson(item);
      assertThat(viaTranscoder(item)).as("seed %d item %d", seed, i).isEqualTo(expected);
      try (JsonParser p = JSON.createParser(expected)) {
        while (p.nextToken() != null) {
          // the expected output itself is valid JSON
        }
      }
    }
  }

  static String randomString(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(5);
      sb.append(switch (kind) {
        case 0 -> (char) r.nextInt(0, 32);
        case 1 -> "\"\\/".charAt(r.nextInt(3));
        case 2 -> (char) r.nextInt(0x80, 0x800);
        case 3 -> "\uD83D\uDE00";
        default -> (char) r.nextInt(32, 127);
      });
    }
    return sb.toString();
  }

  static AttributeValue randomValue(SplittableRandom r, int depth) {
    int type = r.nextInt(depth > 3 ? 7 : 10);
    return switch (type) {
      case 0 -> AttributeValue.s(randomString(r));
      case 1 -> new AttributeValue.N(DynamoNumber.parse((r.nextBoolean() ? "-" : "") + r.nextInt(1, 100000) + "e" + r.nextInt(-20, 20)));
      case 2 -> {
        byte[] b = new byte[r.nextInt(6)];
        r.nextBytes(b);
        yield new AttributeValue.B(Binary.wrap(b));
      }
      case 3 -> AttributeValue.bool(r.nextBoolean());
      case 4 -> AttributeValue.Null.INSTANCE;
      case 5 -> {
        Set<String> set = new LinkedHashSet<>();
        for (int i = 0; i <= r.nextInt(3); i++) {
          set.add(randomString(r) + i);
        }
        yield new AttributeValue.SS(set);
      }
      case 6 -> new AttributeValue.NS(Set.of(DynamoNumber.parse(Integer.toString(r.nextInt(1000)))));
      case 7 -> {
        List<AttributeValue> list = new ArrayList<>();
        for (int i = 0; i < r.nextInt(4); i++) {
          list.add(randomValue(r, depth + 1));
        }
        yield new AttributeValue.L(list);
      }
      default -> {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (int i = 0; i < r.nextInt(4); i++) {
          map.put(randomString(r), randomValue(r, depth + 1));
        }
        yield new AttributeValue.M(map);
      }
    };
  }
}
