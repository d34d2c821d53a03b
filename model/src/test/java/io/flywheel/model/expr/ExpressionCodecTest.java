package io.flywheel.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.testing.RandomTrees;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Round trips of seeded random trees through {@link ExpressionCodec}: the decoded tree equals the
 * original, evaluates the same on random items, and encodes to the same bytes; and strictness:
 * truncated or unknown input is always a {@link CorruptDataException}. A failure names its seed;
 * rerun one with {@code -Dflywheel.codec.seed=N}.
 */
class ExpressionCodecTest {
  static final long BASE_SEED = Long.getLong("flywheel.codec.seed", 20_240_601L);
  static final int RUNS = Integer.getInteger("flywheel.codec.runs", 500);
  static final int V1 = ExpressionCodec.FORMAT_V1;

  /** Runs {@code body} for {@link #RUNS} seeds, naming the seed of a failure. */
  static void forSeeds(java.util.function.Consumer<RandomTrees> body) {
    long only = Long.getLong("flywheel.codec.seed", -1);
    int runs = only >= 0 ? 1 : RUNS;
    for (int i = 0; i < runs; i++) {
      long seed = BASE_SEED + i;
      try {
        body.accept(new RandomTrees(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("failed for seed " + seed + " (rerun with -Dflywheel.codec.seed=" + seed + ")", e);
      }
    }
  }

  static <T> byte[] encode(BiConsumer<ByteWriter, T> write, T value) {
    ByteWriter w = new ByteWriter(64);
    write.accept(w, value);
    return w.toByteArray();
  }

  /** Decodes all of {@code bytes}: trailing bytes are as corrupt as missing ones. */
  static <T> T decode(Function<ByteReader, T> read, byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    T value = read.apply(r);
    if (r.remaining() != 0) {
      throw new CorruptDataException(r.remaining() + " trailing bytes");
    }
    return value;
  }

  @Test
  void randomConditionsRoundTripAndEvaluateAlike() {
    forSeeds(trees -> {
      Condition condition = trees.condition(5);
      byte[] bytes = encode((w, c) -> ExpressionCodec.writeCondition(w, c, V1), condition);
      Condition decoded = decode(r -> ExpressionCodec.readCondition(r, V1), bytes);
      assertThat(decoded).isEqualTo(condition);
      assertThat(encode((w, c) -> ExpressionCodec.writeCondition(w, c, V1), decoded)).isEqualTo(bytes);
      for (int i = 0; i < 5; i++) {
        Map<String, AttributeValue> item = trees.attributes(6, 2);
        assertThat(decoded.evaluate(item)).isEqualTo(condition.evaluate(item));
      }
    });
  }

  @Test
  void randomUpdatesRoundTripAndApplyAlike() {
    forSeeds(trees -> {
      UpdateExpression update = trees.update();
      byte[] bytes = encode((w, u) -> ExpressionCodec.writeUpdate(w, u, V1), update);
      UpdateExpression decoded = decode(r -> ExpressionCodec.readUpdate(r, V1), bytes);
      assertThat(decoded).isEqualTo(update);
      assertThat(encode((w, u) -> ExpressionCodec.writeUpdate(w, u, V1), decoded)).isEqualTo(bytes);
      Map<String, AttributeValue> item = trees.attributes(4, 2);
      assertThat(outcome(decoded, item)).isEqualTo(outcome(update, item));
    });
  }

  /** The item after the update, or the message of the ValidationException it fails with. */
  private static Object outcome(UpdateExpression update, Map<String, AttributeValue> item) {
    try {
      return update.apply(item);
    } catch (io.flywheel.model.DynamoException e) {
      return e.getMessage();
    }
  }

  @Test
  void randomProjectionsRoundTrip() {
    forSeeds(trees -> {
      Projection projection = trees.projection();
      byte[] bytes = encode((w, p) -> ExpressionCodec.writeProjection(w, p, V1), projection);
      Projection decoded = decode(r -> ExpressionCodec.readProjection(r, V1), bytes);
      assertThat(decoded).isEqualTo(projection);
      Map<String, AttributeValue> item = trees.attributes(6, 2);
      assertThat(decoded.apply(item)).isEqualTo(projection.apply(item));
    });
  }

  @Test
  void parsedExpressionsOfEveryKindRoundTrip() {
    ExpressionContext ctx = new ExpressionContext(Map.of("#n", "name"),
        Map.of(":a", AttributeValue.s("x"), ":b", AttributeValue.n(3), ":l", new AttributeValue.L(List.of(AttributeValue.n(1))),
            ":t", AttributeValue.s("S")));
    Condition condition = ConditionParser.parse(
        "(#n BETWEEN :a AND :a OR NOT contains(l, :b)) AND size(m.k[2]) > :b AND #n IN (:a, :b) AND attribute_type(#n, :t)"
            + " AND begins_with(#n, :a) AND attribute_not_exists(z) AND attribute_exists(y) AND :a <> :b",
        ExpressionKind.CONDITION, ctx);
    UpdateExpression update = UpdateExpression.parse(
        "SET #n = :a, c = c + :b, d = list_append(if_not_exists(d, :l), :l) REMOVE e[1]", ctx);
    Condition decodedCondition = decode(r -> ExpressionCodec.readCondition(r, V1),
        encode((w, c) -> ExpressionCodec.writeCondition(w, c, V1), condition));
    UpdateExpression decodedUpdate = decode(r -> ExpressionCodec.readUpdate(r, V1),
        encode((w, u) -> ExpressionCodec.writeUpdate(w, u, V1), update));
    assertThat(decodedCondition).isEqualTo(condition);
    assertThat(decodedUpdate).isEqualTo(update);
  }

  @Test
  void everyTruncationOfAnEncodingIsCorrupt() {
    forSeeds(trees -> {
      Condition condition = trees.condition(4);
      byte[] bytes = encode((w, c) -> ExpressionCodec.writeCondition(w, c, V1), condition);
      int cut = trees.nextInt(bytes.length);
      byte[] truncated = Arrays.copyOf(bytes, cut);
      assertThatThrownBy(() -> decode(r -> ExpressionCodec.readCondition(r, V1), truncated))
          .isInstanceOf(CorruptDataException.class);
    });
  }

  @Test
  void randomBytesNeverDecodeToAnythingButATreeOrCorruptData() {
    forSeeds(trees -> {
      byte[] noise = trees.bytes(1 + trees.nextInt(40));
      try {
        decode(r -> ExpressionCodec.readCondition(r, V1), noise);
      } catch (CorruptDataException expected) {
        // the only failure allowed
      }
      try {
        decode(r -> ExpressionCodec.readUpdate(r, V1), noise);
      } catch (CorruptDataException expected) {
        // the only failure allowed
      }
    });
  }

  @Test
  void unknownTagsAndFormatsAreCorruptNeverADefault() {
    assertThatThrownBy(() -> ExpressionCodec.readCondition(new ByteReader(new byte[] {99}), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown condition tag 99");
    assertThatThrownBy(() -> ExpressionCodec.readCondition(new ByteReader(new byte[] {12, 0}), 2))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown expression format 2");
    // COMPARE with comparator code 7
    assertThatThrownBy(() -> ExpressionCodec.readCondition(new ByteReader(new byte[] {1, 7}), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown comparator 7");
    // CONSTANT with a boolean byte of 2
    assertThatThrownBy(() -> ExpressionCodec.readCondition(new ByteReader(new byte[] {12, 2}), V1))
        .isInstanceOf(CorruptDataException.class);
    // a path that starts with an index
    assertThatThrownBy(() -> ExpressionCodec.readPath(new ByteReader(new byte[] {1, 2, 0})))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("starts with an index");
    // an update value literal with an unknown attribute tag
    assertThatThrownBy(() -> ExpressionCodec.readUpdate(new ByteReader(new byte[] {1, 1, 1, 1, 1, 'a', 2, 77}), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown attribute tag 77");
  }

  @Test
  void nestingPastTheBoundIsCorruptRatherThanAStackOverflow() {
    int depth = ExpressionCodec.DEPTH_MAX + 10;
    byte[] bytes = new byte[depth + 2];
    Arrays.fill(bytes, 0, depth, (byte) 6); // NOT NOT NOT ...
    bytes[depth] = 12; // CONSTANT
    bytes[depth + 1] = 1;
    assertThatThrownBy(() -> ExpressionCodec.readCondition(new ByteReader(bytes), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("nested deeper");
  }

  @Test
  void attributeMapsWithARepeatedNameOrSetElementAreCorrupt() {
    ByteWriter w = new ByteWriter(16);
    w.writeVarint(2).writeString("a").writeByte(6).writeString("a").writeByte(6); // two NULLs named a
    assertThatThrownBy(() -> ItemCodec.readAttributes(new ByteReader(w.toByteArray())))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("twice");
    ByteWriter set = new ByteWriter(16);
    set.writeByte(10).writeVarint(2).writeString("1").writeString("1"); // NS {1, 1}
    assertThatThrownBy(() -> ItemCodec.readAttributeValue(new ByteReader(set.toByteArray())))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("twice");
    ByteWriter number = new ByteWriter(16);
    number.writeByte(2).writeString("1x"); // N "1x"
    assertThatThrownBy(() -> ItemCodec.readAttributeValue(new ByteReader(number.toByteArray())))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("malformed number");
  }
}
