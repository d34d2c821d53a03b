package io.flywheel.base;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte buffer for hand-written binary codecs. Not thread-safe. */
public final class ByteWriter {
  private byte[] buf;
  private int size;

  public ByteWriter() {
    this(64);
  }

  public ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }
  }

  public ByteWriter writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
    return this;
  }

  public ByteWriter writeBytes(byte[] b) {
    return writeBytes(b, 0, b.length);
  }

  public ByteWriter writeBytes(byte[] b, int offset, int length) {
    ensure(length);
    System.arraycopy(b, offset, buf, size, length);
    size += length;
    return this;
  }

  public ByteWriter writeInt(int v) {
    ensure(4);
    Bytes.putInt(buf, size, v);
    size += 4;
    return this;
  }

  public ByteWriter writeLong(long v) {
    ensure(8);
    Bytes.putLong(buf, size, v);
    size += 8;
    return this;
  }

  /** Unsigned LEB128 varint of a non-negative value. */
  public ByteWriter writeVarint(long v) {
    Invariants.checkArgument(v >= 0, "varint must be non-negative");
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
    return this;
  }

  /** A varint length followed by the bytes. */
  public ByteWriter writeLengthPrefixed(byte[] b) {
    writeVarint(b.length);
    return writeBytes(b);
  }

  public ByteWriter writeString(String s) {
    return writeLengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
