package io.flywheel.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.protocol.RoutingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every storage-node request, response and failure round-trips through its codec for seeded random
 * messages, decoding is strict (truncations, noise, trailing bytes, unknown versions and tags are
 * {@link CorruptDataException}s), and the kinds registry is consistent. A failure names its seed;
 * rerun it with {@code -Dflywheel.codec.seed=N}.
 */
class StorageNodeMessagesTest {
  static final long BASE_SEED = Long.getLong("flywheel.codec.seed", 7_000_000L);
  static final int RUNS = Integer.getInteger("flywheel.codec.runs", 200);
  static final int V1 = WireVersion.V1;

  static void forSeeds(Consumer<RandomMessages> body) {
    boolean one = System.getProperty("flywheel.codec.seed") != null;
    for (int i = 0; i < (one ? 1 : RUNS); i++) {
      long seed = BASE_SEED + i;
      try {
        body.accept(new RandomMessages(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("failed for seed " + seed + " (rerun with -Dflywheel.codec.seed=" + seed + ")", e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static <T> byte[] encode(WireCodec<T> codec, Object value, int version) {
    ByteWriter w = new ByteWriter(64);
    codec.write(w, (T) value, version);
    return w.toByteArray();
  }

  /** Decodes all of {@code bytes}, as the RPC layer does: trailing bytes are corrupt. */
  static <T> T decode(WireCodec<T> codec, byte[] bytes, int version) {
    ByteReader r = new ByteReader(bytes);
    T value = codec.read(r, version);
    if (r.remaining() != 0) {
      throw new CorruptDataException(r.remaining() + " trailing bytes");
    }
    return value;
  }

  static void assertRoundTrips(WireCodec<?> codec, Object value) {
    byte[] bytes = encode(codec, value, V1);
    Object decoded = decode(codec, bytes, V1);
    if (value == null) {
      assertThat(decoded).isNull();
    } else {
      assertThat(decoded).usingRecursiveComparison().isEqualTo(value);
    }
    assertThat(encode(codec, decoded, V1)).as("re-encoding gives the same bytes").isEqualTo(bytes);
  }

  @Test
  void everyRequestAndResponseRoundTrips() {
    forSeeds(random -> {
      for (RpcMethod<?, ?> method : StorageNodeMessages.ALL) {
        assertRoundTrips(method.request(), random.request(method));
        assertRoundTrips(method.response(), random.response(method));
      }
    });
  }

  @Test
  void aDecodedWriteEvaluatesItsConditionAndUpdateAsTheOriginal() {
    forSeeds(random -> {
      io.flywheel.protocol.WriteRequest write = random.write();
      io.flywheel.protocol.WriteRequest decoded =
          decode(StorageNodeMessages.WRITE_REQUEST, encode(StorageNodeMessages.WRITE_REQUEST, write, V1), V1);
      var item = random.trees.attributes(6, 2);
      if (write.condition() != null) {
        assertThat(decoded.condition().evaluate(item)).isEqualTo(write.condition().evaluate(item));
      }
      if (write.op() instanceof io.flywheel.protocol.WriteRequest.WriteOp.Update u) {
        var d = (io.flywheel.protocol.WriteRequest.WriteOp.Update) decoded.op();
        assertThat(outcome(() -> d.apply(item))).isEqualTo(outcome(() -> u.apply(item)));
        assertThat(outcome(() -> d.apply(java.util.Map.of()))).isEqualTo(outcome(() -> u.apply(java.util.Map.of())));
      }
    });
  }

  private static Object outcome(java.util.function.Supplier<Object> apply) {
    try {
      return apply.get();
    } catch (DynamoException e) {
      return e.getMessage();
    }
  }

  @Test
  void everyFailureRoundTripsAsTheSameTypedException() {
    forSeeds(random -> {
      RuntimeException error = random.error();
      ByteWriter w = new ByteWriter(64);
      ErrorCodec.write(w, error, V1);
      ByteReader r = new ByteReader(w.toByteArray());
      RuntimeException decoded = ErrorCodec.read(r, V1);
      assertThat(r.remaining()).isZero();
      assertThat(describe(decoded)).isEqualTo(describe(error));
    });
  }

  /** The class, message and payload of a failure, comparable by equals. */
  static List<Object> describe(Throwable t) {
    List<Object> out = new ArrayList<>(List.of(t.getClass(), String.valueOf(t.getMessage())));
    switch (t) {
      case ConditionalCheckFailedException c -> out.add(String.valueOf(c.item()));
      case TransactionCanceledException tc -> out.add(tc.reasons());
      case DynamoException d -> out.add(d.code());
      case RoutingException.WrongPartition wp -> {
        out.add(wp.requested());
        out.add(wp.current());
      }
      case RoutingException.NotLeader nl -> {
        out.add(nl.groupId());
        out.add(nl.leaderHint());
      }
      case RemoteFailureException rf -> {
        out.add(rf.remoteType());
        out.add(rf.remoteMessage());
      }
      default -> { }
    }
    return out;
  }

  @Test
  void anUnexpectedExceptionCrossesAsARemoteFailureWithItsTypeAndMessage() {
    ByteWriter w = new ByteWriter(64);
    ErrorCodec.write(w, new IllegalStateException("group 7 is confused"), V1);
    RuntimeException decoded = ErrorCodec.read(new ByteReader(w.toByteArray()), V1);
    assertThat(decoded).isInstanceOfSatisfying(RemoteFailureException.class, e -> {
      assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.remoteMessage()).isEqualTo("group 7 is confused");
    });
  }

  @Test
  void everyTruncatedMessageIsCorrupt() {
    forSeeds(random -> {
      for (RpcMethod<?, ?> method : StorageNodeMessages.ALL) {
        byte[] bytes = encode(method.request(), random.request(method), V1);
        byte[] cut = Arrays.copyOf(bytes, random.trees.nextInt(bytes.length));
        assertThatThrownBy(() -> decode(method.request(), cut, V1)).as(method.name()).isInstanceOf(CorruptDataException.class);
      }
    });
  }

  @Test
  void trailingBytesAreCorrupt() {
    RandomMessages random = new RandomMessages(1);
    byte[] bytes = encode(StorageNodeMessages.READ_REQUEST, random.read(), V1);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> decode(StorageNodeMessages.READ_REQUEST, longer, V1)).isInstanceOf(CorruptDataException.class);
  }

  @Test
  void noiseDecodesToAMessageOrCorruptDataNeverAnotherFailure() {
    forSeeds(random -> {
      byte[] noise = random.trees.bytes(1 + random.trees.nextInt(80));
      for (RpcMethod<?, ?> method : StorageNodeMessages.ALL) {
        for (WireCodec<?> codec : List.of(method.request(), method.response())) {
          try {
            decode(codec, noise, V1);
          } catch (CorruptDataException expected) {
            // the only failure allowed
          }
        }
      }
      try {
        ErrorCodec.read(new ByteReader(noise), V1);
      } catch (CorruptDataException expected) {
        // the only failure allowed
      }
    });
  }

  @Test
  void unknownVersionsAreRefusedOnBothSides() {
    RandomMessages random = new RandomMessages(2);
    byte[] bytes = encode(StorageNodeMessages.WRITE_REQUEST, random.write(), V1);
    assertThatThrownBy(() -> decode(StorageNodeMessages.WRITE_REQUEST, bytes, WireVersion.MAX + 1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown message format version");
    assertThatThrownBy(() -> encode(StorageNodeMessages.WRITE_REQUEST, random.write(), 0))
        .isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> ErrorCodec.read(new ByteReader(new byte[] {1}), 99)).isInstanceOf(CorruptDataException.class);
  }

  @Test
  void unknownTagsAndNamesAreCorruptNeverADefault() {
    // an error tag this release does not know
    assertThatThrownBy(() -> ErrorCodec.read(new ByteReader(new byte[] {42}), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown error tag 42");
    // a DynamoDB error code name this release does not know
    ByteWriter w = new ByteWriter(32);
    w.writeByte(1).writeString("NEW_ERROR_FROM_THE_FUTURE").writeByte(0);
    assertThatThrownBy(() -> ErrorCodec.read(new ByteReader(w.toByteArray()), V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("NEW_ERROR_FROM_THE_FUTURE");
    // a write op tag this release does not know
    RandomMessages random = new RandomMessages(3);
    io.flywheel.protocol.WriteRequest write = new io.flywheel.protocol.WriteRequest(random.ref(), 1, random.key(),
        new io.flywheel.protocol.WriteRequest.WriteOp.Delete(), null, false, false, false);
    byte[] bytes = encode(StorageNodeMessages.WRITE_REQUEST, write, V1);
    int opAt = bytes.length - 3; // op tag, condition presence, flags
    assertThat(bytes[opAt]).isEqualTo((byte) 2);
    bytes[opAt] = 9;
    assertThatThrownBy(() -> decode(StorageNodeMessages.WRITE_REQUEST, bytes, V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown write op tag 9");
    // a flag bit this release does not know
    byte[] flagged = encode(StorageNodeMessages.WRITE_REQUEST, write, V1);
    flagged[flagged.length - 1] = 8;
    assertThatThrownBy(() -> decode(StorageNodeMessages.WRITE_REQUEST, flagged, V1))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown write flags");
  }

  @Test
  void kindsAreUniqueAndEveryMethodHasItsOwn() {
    Set<Integer> codes = new HashSet<>();
    for (MessageKind kind : MessageKind.values()) {
      assertThat(codes.add(kind.code())).as(kind.name()).isTrue();
      assertThat(kind.code()).isBetween(1, 0xFFFF);
      assertThat(MessageKind.of(kind.code())).isEqualTo(kind);
    }
    Set<MessageKind> used = new HashSet<>();
    for (RpcMethod<?, ?> method : StorageNodeMessages.ALL) {
      assertThat(used.add(method.kind())).as(method.name()).isTrue();
      assertThat(method.kind().code()).isBetween(0x0100, 0x01FF);
    }
    assertThat(MessageKind.find(0x7777)).isNull();
    assertThatThrownBy(() -> MessageKind.of(0x7777)).isInstanceOf(CorruptDataException.class);
  }

  @Test
  void theWrittenVersionIsTheHighestBothSidesRead() {
    assertThat(WireVersion.choose(1, 1)).isEqualTo(1);
    assertThat(WireVersion.choose(1, 5)).isEqualTo(WireVersion.MAX);
    assertThat(WireVersion.choose(WireVersion.MAX + 1, WireVersion.MAX + 3)).isEqualTo(-1);
    assertThat(WireVersion.choose(0, 0)).isEqualTo(-1);
  }
}
