package io.flywheel.transport.tcp;

import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.FrameException;
import io.flywheel.transport.VersionRange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into verified {@link Frame}s. The length prefix is checked against the
 * current limit before any of the frame is buffered (so a bad length cannot make it buffer
 * gigabytes); the limit is the small handshake limit until the handshake completes.
 *
 * <p>After the first bad frame the decoder is poisoned: it discards everything else it is given,
 * so one corruption is reported once while the connection closes.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /** A verified frame and its size on the wire. */
  record Decoded(Frame frame, int frameBytes) {}

  private final VersionRange acceptedVersions;
  private int maxFrameBytes = FrameCodec.MAX_HANDSHAKE_FRAME_BYTES;
  private boolean poisoned;

  FrameDecoder(VersionRange acceptedVersions) {
    this.acceptedVersions = acceptedVersions;
  }

  /** Raises the limit once the handshake is done. Called on the channel's event loop. */
  void handshakeDone(int newMaxFrameBytes) {
    maxFrameBytes = newMaxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (poisoned) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < FrameCodec.LENGTH_PREFIX_BYTES) {
      return;
    }
    try {
      int frameBytes = FrameCodec.checkDeclaredLength(in.getInt(in.readerIndex()), maxFrameBytes);
      if (in.readableBytes() < frameBytes) {
        return;
      }
      Frame frame = FrameCodec.decode(in.nioBuffer(in.readerIndex(), frameBytes), acceptedVersions);
      in.skipBytes(frameBytes);
      out.add(new Decoded(frame, frameBytes));
    } catch (FrameException e) {
      poisoned = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }
}
