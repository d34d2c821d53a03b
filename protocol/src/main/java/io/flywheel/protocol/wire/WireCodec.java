package io.flywheel.protocol.wire;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;

/**
 * Writes and reads one message type in a given format version ({@link WireVersion}). Reading is
 * strict: anything but a well-formed message of that version is a {@link
 * io.flywheel.base.CorruptDataException}.
 */
public interface WireCodec<T> {
  void write(ByteWriter w, T value, int version);

  T read(ByteReader r, int version);
}
