package io.flywheel.transport;

import io.flywheel.base.CorruptDataException;

/**
 * Bytes from a peer that are not a valid frame. Always fatal to the connection that carried them:
 * the receiver counts it by {@link #kind()}, logs it and closes the connection. Never a silent
 * skip (a skipped frame would be an invisible hole in a replication stream).
 */
public final class FrameException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** The frame's CRC32C does not match its bytes. */
    CHECKSUM,
    /** An envelope's version is outside the receiver's supported range. */
    UNKNOWN_VERSION,
    /** The declared frame length exceeds the receiver's limit. */
    OVERSIZED,
    /** Anything else: bad magic, unknown frame type, truncated or trailing bytes, bad counts. */
    MALFORMED
  }

  private final Kind kind;

  public FrameException(Kind kind, String message) {
    super(kind + ": " + message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
