package io.flywheel.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a {@link Frame}, big-endian:
 *
 * <pre>
 * frame     = length:u32  type:u8  body  crc32c:u32
 *             length counts every byte after itself (type + body + crc);
 *             crc32c covers every byte before it, the length included
 * Hello     = type 1: magic:u32 nodeId:u64 incarnation:u64 expectedPeerNodeId:u64
 *                     minVersion:u16 maxVersion:u16 maxFrameBytes:u32
 * Welcome   = type 2: the same fields as Hello
 * Refusal   = type 3: reason:u8 messageLength:u16 message:utf8
 * Batch     = type 4: count:u32 then count x envelope
 * envelope  = version:u16 kind:u16 sourceNodeId:u64 destinationNodeId:u64 payloadLength:u32 payload
 * Heartbeat = type 5: empty body
 * </pre>
 *
 * <p>One CRC32C per frame covers every envelope in it. Decoding checks, in order: the declared
 * length against the receiver's limit ({@link #checkDeclaredLength}, before buffering the frame),
 * the checksum, then the structure and each envelope's version. Any failure is a {@link
 * FrameException}; nothing is skipped.
 */
public final class FrameCodec {
  /** "FWL1": the first field of every handshake. */
  public static final int MAGIC = 0x46574C31;
  public static final int LENGTH_PREFIX_BYTES = 4;
  /** Length prefix, type and checksum. */
  public static final int FRAME_OVERHEAD_BYTES = LENGTH_PREFIX_BYTES + 1 + 4;
  /** Frame overhead plus a batch's envelope count. */
  public static final int BATCH_OVERHEAD_BYTES = FRAME_OVERHEAD_BYTES + 4;
  /** The limit on frames before a handshake completes: a handshake is far smaller. */
  public static final int MAX_HANDSHAKE_FRAME_BYTES = 1024;
  private static final int HANDSHAKE_BODY_BYTES = 4 + 8 + 8 + 8 + 2 + 2 + 4;
  private static final int MAX_REFUSAL_MESSAGE_CHARS = 200;

  static final byte TYPE_HELLO = 1;
  static final byte TYPE_WELCOME = 2;
  static final byte TYPE_REFUSAL = 3;
  static final byte TYPE_BATCH = 4;
  static final byte TYPE_HEARTBEAT = 5;

  private FrameCodec() {}

  /** The largest payload of an envelope that travels alone in a frame of at most {@code maxFrameBytes}. */
  public static int maxPayloadBytes(int maxFrameBytes) {
    return maxFrameBytes - BATCH_OVERHEAD_BYTES - Envelope.HEADER_BYTES;
  }

  /** Bytes of a batch frame carrying these envelopes. */
  public static long batchFrameBytes(List<Envelope> envelopes) {
    long bytes = BATCH_OVERHEAD_BYTES;
    for (Envelope e : envelopes) {
      bytes += e.encodedBytes();
    }
    return bytes;
  }

  /** Bytes of this frame on the wire. */
  public static int encodedBytes(Frame frame) {
    return switch (frame) {
      case Frame.Hello h -> FRAME_OVERHEAD_BYTES + HANDSHAKE_BODY_BYTES;
      case Frame.Welcome w -> FRAME_OVERHEAD_BYTES + HANDSHAKE_BODY_BYTES;
      case Frame.Refusal r -> FRAME_OVERHEAD_BYTES + 1 + 2 + refusalMessage(r).length;
      case Frame.Batch b -> Math.toIntExact(batchFrameBytes(b.envelopes()));
      case Frame.Heartbeat h -> FRAME_OVERHEAD_BYTES;
    };
  }

  public static byte[] encode(Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(encodedBytes(frame));
    encode(frame, out);
    return out.array();
  }

  /** Writes exactly {@link #encodedBytes} bytes at {@code out}'s position and advances it. */
  public static void encode(Frame frame, ByteBuffer out) {
    int start = out.position();
    out.putInt(encodedBytes(frame) - LENGTH_PREFIX_BYTES);
    switch (frame) {
      case Frame.Hello h -> {
        out.put(TYPE_HELLO);
        putHandshake(out, h.nodeId(), h.incarnation(), h.expectedPeerNodeId(), h.versions(), h.maxFrameBytes());
      }
      case Frame.Welcome w -> {
        out.put(TYPE_WELCOME);
        putHandshake(out, w.nodeId(), w.incarnation(), w.expectedPeerNodeId(), w.versions(), w.maxFrameBytes());
      }
      case Frame.Refusal r -> {
        out.put(TYPE_REFUSAL);
        out.put((byte) r.reason().ordinal());
        byte[] message = refusalMessage(r);
        out.putShort((short) message.length);
        out.put(message);
      }
      case Frame.Batch b -> {
        out.put(TYPE_BATCH);
        out.putInt(b.envelopes().size());
        for (Envelope e : b.envelopes()) {
          putEnvelope(out, e);
        }
      }
      case Frame.Heartbeat h -> out.put(TYPE_HEARTBEAT);
    }
    out.putInt(crc(out, start, out.position() - start));
  }

  /**
   * Writes a batch frame of these envelopes at {@code out}'s position, {@link #batchFrameBytes}
   * long, without building a {@link Frame.Batch}: the sender's hot path.
   */
  public static void encodeBatch(List<Envelope> envelopes, ByteBuffer out) {
    int start = out.position();
    out.putInt(Math.toIntExact(batchFrameBytes(envelopes)) - LENGTH_PREFIX_BYTES);
    out.put(TYPE_BATCH);
    out.putInt(envelopes.size());
    for (Envelope e : envelopes) {
      putEnvelope(out, e);
    }
    out.putInt(crc(out, start, out.position() - start));
  }

  /**
   * Checks a frame's length prefix before the frame is buffered.
   *
   * @return the whole frame's bytes, prefix included
   * @throws FrameException OVERSIZED beyond {@code maxFrameBytes}, MALFORMED below the minimum
   */
  public static int checkDeclaredLength(int declaredLength, int maxFrameBytes) {
    long frameBytes = (declaredLength & 0xFFFFFFFFL) + LENGTH_PREFIX_BYTES;
    if (frameBytes > maxFrameBytes) {
      throw new FrameException(FrameException.Kind.OVERSIZED,
          "frame of " + frameBytes + " bytes exceeds the limit of " + maxFrameBytes);
    }
    if (frameBytes < FRAME_OVERHEAD_BYTES) {
      throw new FrameException(FrameException.Kind.MALFORMED, "frame of " + frameBytes + " bytes is too short");
    }
    return (int) frameBytes;
  }

  /**
   * Decodes one whole frame: {@code frame} holds exactly its bytes, length prefix included, from
   * its position to its limit. Envelope payloads are copied out.
   *
   * @param acceptedVersions the receiver's range: any envelope outside it fails the frame
   */
  public static Frame decode(ByteBuffer frame, VersionRange acceptedVersions) {
    ByteBuffer in = frame.slice();
    int total = in.remaining();
    if (total < FRAME_OVERHEAD_BYTES || in.getInt(0) + LENGTH_PREFIX_BYTES != total) {
      throw new FrameException(FrameException.Kind.MALFORMED, "frame length does not match its " + total + " bytes");
    }
    int expectedCrc = in.getInt(total - 4);
    int actualCrc = crc(in, 0, total - 4);
    if (expectedCrc != actualCrc) {
      throw new FrameException(FrameException.Kind.CHECKSUM, String.format(
          "frame of %d bytes: crc32c %08x, expected %08x", total, actualCrc, expectedCrc));
    }
    in.position(LENGTH_PREFIX_BYTES).limit(total - 4);
    byte type = in.get();
    try {
      Frame decoded = switch (type) {
        case TYPE_HELLO -> {
          checkMagic(in);
          yield new Frame.Hello(in.getLong(), in.getLong(), in.getLong(), getVersions(in), in.getInt());
        }
        case TYPE_WELCOME -> {
          checkMagic(in);
          yield new Frame.Welcome(in.getLong(), in.getLong(), in.getLong(), getVersions(in), in.getInt());
        }
        case TYPE_REFUSAL -> getRefusal(in);
        case TYPE_BATCH -> getBatch(in, acceptedVersions);
        case TYPE_HEARTBEAT -> new Frame.Heartbeat();
        default -> throw new FrameException(FrameException.Kind.MALFORMED, "unknown frame type " + type);
      };
      if (in.hasRemaining()) {
        throw new FrameException(FrameException.Kind.MALFORMED,
            in.remaining() + " trailing bytes after a frame of type " + type);
      }
      return decoded;
    } catch (BufferUnderflowException e) {
      throw new FrameException(FrameException.Kind.MALFORMED, "truncated frame of type " + type);
    } catch (IllegalArgumentException e) {
      throw new FrameException(FrameException.Kind.MALFORMED, "invalid field in frame of type " + type + ": " + e.getMessage());
    }
  }

  private static void putHandshake(ByteBuffer out, long nodeId, long incarnation, long expectedPeerNodeId,
      VersionRange versions, int maxFrameBytes) {
    out.putInt(MAGIC);
    out.putLong(nodeId);
    out.putLong(incarnation);
    out.putLong(expectedPeerNodeId);
    out.putShort((short) versions.minVersion());
    out.putShort((short) versions.maxVersion());
    out.putInt(maxFrameBytes);
  }

  private static void putEnvelope(ByteBuffer out, Envelope e) {
    out.putShort((short) e.version());
    out.putShort((short) e.kind());
    out.putLong(e.sourceNodeId());
    out.putLong(e.destinationNodeId());
    out.putInt(e.payload().length);
    out.put(e.payload());
  }

  private static void checkMagic(ByteBuffer in) {
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new FrameException(FrameException.Kind.MALFORMED, String.format("bad magic %08x", magic));
    }
  }

  private static VersionRange getVersions(ByteBuffer in) {
    return new VersionRange(Short.toUnsignedInt(in.getShort()), Short.toUnsignedInt(in.getShort()));
  }

  private static Frame.Refusal getRefusal(ByteBuffer in) {
    int reason = Byte.toUnsignedInt(in.get());
    Frame.RefusalReason[] reasons = Frame.RefusalReason.values();
    if (reason >= reasons.length) {
      throw new FrameException(FrameException.Kind.MALFORMED, "unknown refusal reason " + reason);
    }
    byte[] message = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(message);
    return new Frame.Refusal(reasons[reason], new String(message, StandardCharsets.UTF_8));
  }

  private static Frame.Batch getBatch(ByteBuffer in, VersionRange acceptedVersions) {
    int count = in.getInt();
    if (count <= 0 || (long) count * Envelope.HEADER_BYTES > in.remaining()) {
      throw new FrameException(FrameException.Kind.MALFORMED,
          "batch count " + Integer.toUnsignedString(count) + " does not fit " + in.remaining() + " bytes");
    }
    List<Envelope> envelopes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int version = Short.toUnsignedInt(in.getShort());
      if (!acceptedVersions.contains(version)) {
        throw new FrameException(FrameException.Kind.UNKNOWN_VERSION,
            "envelope version " + version + " outside the supported " + acceptedVersions);
      }
      int kind = Short.toUnsignedInt(in.getShort());
      long source = in.getLong();
      long destination = in.getLong();
      int payloadLength = in.getInt();
      if (payloadLength < 0 || payloadLength > in.remaining()) {
        throw new FrameException(FrameException.Kind.MALFORMED,
            "payload of " + Integer.toUnsignedString(payloadLength) + " bytes exceeds the " + in.remaining() + " left");
      }
      byte[] payload = new byte[payloadLength];
      in.get(payload);
      envelopes.add(new Envelope(version, kind, source, destination, payload));
    }
    return new Frame.Batch(envelopes);
  }

  private static byte[] refusalMessage(Frame.Refusal refusal) {
    String message = refusal.message();
    if (message.length() > MAX_REFUSAL_MESSAGE_CHARS) {
      message = message.substring(0, MAX_REFUSAL_MESSAGE_CHARS);
    }
    return message.getBytes(StandardCharsets.UTF_8);
  }

  /** CRC32C of {@code length} bytes of {@code buffer} from absolute index {@code from}. */
  private static int crc(ByteBuffer buffer, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate().limit(from + length).position(from));
    return (int) crc.getValue();
  }
}
