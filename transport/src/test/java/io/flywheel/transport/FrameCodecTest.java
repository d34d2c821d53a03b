package io.flywheel.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final VersionRange V1 = VersionRange.only(1);

  private static Frame roundTrip(Frame frame) {
    byte[] bytes = FrameCodec.encode(frame);
    assertThat(bytes).hasSize(FrameCodec.encodedBytes(frame));
    return FrameCodec.decode(ByteBuffer.wrap(bytes), V1);
  }

  @Test
  void everyFrameTypeRoundTrips() {
    Frame.Hello hello = new Frame.Hello(7, -3, 9, new VersionRange(1, 65535), 16 << 20);
    assertThat(roundTrip(hello)).isEqualTo(hello);
    Frame.Welcome welcome = new Frame.Welcome(9, 12345, 7, V1, 1024);
    assertThat(roundTrip(welcome)).isEqualTo(welcome);
    Frame.Refusal refusal = new Frame.Refusal(Frame.RefusalReason.INCOMPATIBLE_VERSION, "versions [2, 3] vs [1, 1] — nope");
    assertThat(roundTrip(refusal)).isEqualTo(refusal);
    assertThat(roundTrip(new Frame.Heartbeat())).isEqualTo(new Frame.Heartbeat());
    Frame.Batch batch = (Frame.Batch) roundTrip(new Frame.Batch(List.of(
        new Envelope(1, 65535, 1, 2, new byte[0]), new Envelope(1, 0, Long.MAX_VALUE, -1, new byte[] {1, 2, 3}))));
    assertThat(batch.envelopes()).hasSize(2);
    assertThat(batch.envelopes().get(0).kind()).isEqualTo(65535);
    assertThat(batch.envelopes().get(1).destinationNodeId()).isEqualTo(-1);
    assertThat(batch.envelopes().get(1).payload()).containsExactly(1, 2, 3);
  }

  @Test
  void theBatchFastPathWritesTheSameBytesAsTheGenericEncoder() {
    List<Envelope> envelopes = List.of(new Envelope(1, 3, 1, 2, Bytes.ofLong(99)), new Envelope(1, 4, 1, 2, new byte[70]));
    ByteBuffer out = ByteBuffer.allocate(100 + (int) FrameCodec.batchFrameBytes(envelopes));
    out.position(100); // at an offset, as into a pooled buffer
    FrameCodec.encodeBatch(envelopes, out);
    byte[] fast = new byte[(int) FrameCodec.batchFrameBytes(envelopes)];
    out.position(100);
    out.get(fast);
    assertThat(fast).isEqualTo(FrameCodec.encode(new Frame.Batch(envelopes)));
  }

  @Test
  void aLongRefusalMessageIsTruncatedToFitAHandshakeFrame() {
    Frame.Refusal refusal = new Frame.Refusal(Frame.RefusalReason.UNAVAILABLE, "\u00e9".repeat(5_000));
    assertThat(FrameCodec.encodedBytes(refusal)).isLessThanOrEqualTo(FrameCodec.MAX_HANDSHAKE_FRAME_BYTES);
    assertThat(((Frame.Refusal) roundTrip(refusal)).message()).hasSize(200);
  }

  @Test
  void everySingleBitFlipIsCaught() {
    byte[] good = FrameCodec.encode(new Frame.Batch(List.of(new Envelope(1, 5, 1, 2, Bytes.ofLong(42)))));
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(bad), V1))
          .as("bit %d", bit)
          .isInstanceOf(FrameException.class);
    }
    byte[] flippedPayload = good.clone();
    flippedPayload[good.length - 6] ^= 1;
    assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(flippedPayload), V1))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.CHECKSUM));
  }

  @Test
  void anEnvelopeOfAnUnsupportedVersionFailsTheFrame() {
    byte[] v2 = FrameCodec.encode(new Frame.Batch(List.of(new Envelope(2, 5, 1, 2, new byte[1]))));
    assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(v2), V1))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.UNKNOWN_VERSION));
    assertThat(FrameCodec.decode(ByteBuffer.wrap(v2), new VersionRange(1, 2))).isInstanceOf(Frame.Batch.class);
  }

  @Test
  void declaredLengthsAreCheckedBeforeBuffering() {
    assertThat(FrameCodec.checkDeclaredLength(1020, 1024)).isEqualTo(1024);
    assertThatThrownBy(() -> FrameCodec.checkDeclaredLength(1021, 1024))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.OVERSIZED));
    assertThatThrownBy(() -> FrameCodec.checkDeclaredLength(-1, Integer.MAX_VALUE)) // 4 GiB unsigned
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.OVERSIZED));
    assertThatThrownBy(() -> FrameCodec.checkDeclaredLength(2, 1024))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.MALFORMED));
  }

  @Test
  void structuralLiesAreMalformedEvenWithAValidChecksum() {
    // A batch claiming 1000 envelopes in a body that holds one, re-checksummed by the liar.
    byte[] frame = FrameCodec.encode(new Frame.Batch(List.of(new Envelope(1, 5, 1, 2, new byte[1]))));
    Bytes.putInt(frame, 5, 1000);
    rechecksum(frame);
    assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(frame), V1))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.MALFORMED));
    byte[] hello = FrameCodec.encode(new Frame.Hello(1, 2, 3, V1, 1024));
    hello[5] ^= 0x7F; // magic
    rechecksum(hello);
    assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(hello), V1))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e).hasMessageContaining("magic"));
    byte[] unknownType = FrameCodec.encode(new Frame.Heartbeat());
    unknownType[4] = 99;
    rechecksum(unknownType);
    assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(unknownType), V1))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e).hasMessageContaining("unknown frame type 99"));
  }

  @Test
  void maxPayloadFillsTheFrameExactly() {
    int maxFrameBytes = 4096;
    Envelope largest = new Envelope(1, 1, 1, 2, new byte[FrameCodec.maxPayloadBytes(maxFrameBytes)]);
    assertThat(FrameCodec.batchFrameBytes(List.of(largest))).isEqualTo(maxFrameBytes);
  }

  private static void rechecksum(byte[] frame) {
    Bytes.putInt(frame, frame.length - 4, io.flywheel.base.Checksums.crc32c(frame, 0, frame.length - 4));
  }
}
