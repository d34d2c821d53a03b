package io.flywheel.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.FrameException;
import io.flywheel.transport.VersionRange;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder in a pipeline without sockets. */
class FrameDecoderTest {
  private static final VersionRange V1 = VersionRange.only(1);

  @Test
  void framesSplitAnywhereAndFramesGluedTogetherDecode() {
    FrameDecoder decoder = new FrameDecoder(V1);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    decoder.handshakeDone(1 << 20);
    byte[] one = FrameCodec.encode(new Frame.Batch(List.of(new Envelope(1, 1, 5, 6, Bytes.ofLong(1)))));
    byte[] two = FrameCodec.encode(new Frame.Heartbeat());
    byte[] stream = Bytes.concat(one, two);
    for (byte b : stream) { // one byte per read
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    FrameDecoder.Decoded first = channel.readInbound();
    FrameDecoder.Decoded second = channel.readInbound();
    assertThat(first.frameBytes()).isEqualTo(one.length);
    assertThat(((Frame.Batch) first.frame()).envelopes().get(0).sourceNodeId()).isEqualTo(5);
    assertThat(second.frame()).isEqualTo(new Frame.Heartbeat());
    assertThat((Object) channel.readInbound()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(stream)); // both in one read
    assertThat((Object) channel.readInbound()).isNotNull();
    assertThat((Object) channel.readInbound()).isNotNull();
  }

  @Test
  void beforeTheHandshakeOnlySmallFramesAreAccepted() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(V1));
    byte[] prefix = new byte[4];
    Bytes.putInt(prefix, 0, FrameCodec.MAX_HANDSHAKE_FRAME_BYTES);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(prefix)))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(FrameException.class)
        .cause().hasMessageContaining("OVERSIZED");
  }

  @Test
  void afterABadFrameEverythingElseIsDiscarded() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(V1));
    byte[] bad = FrameCodec.encode(new Frame.Heartbeat());
    bad[4] ^= 1;
    byte[] good = FrameCodec.encode(new Frame.Heartbeat());
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(Bytes.concat(bad, good))))
        .hasCauseInstanceOf(FrameException.class);
    channel.writeInbound(Unpooled.wrappedBuffer(good));
    assertThat((Object) channel.readInbound()).as("a poisoned decoder yields nothing").isNull();
  }
}
