package io.flywheel.base;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote. Every read is bounds-checked; malformed input raises
 * {@link CorruptDataException}, never an index error.
 */
public final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new CorruptDataException("truncated: need " + n + " bytes at " + pos + ", have " + (end - pos));
    }
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public int readInt() {
    need(4);
    int v = Bytes.getInt(buf, pos);
    pos += 4;
    return v;
  }

  public long readLong() {
    need(8);
    long v = Bytes.getLong(buf, pos);
    pos += 8;
    return v;
  }

  public long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CorruptDataException("varint too long at " + pos);
  }

  /** A varint that must fit in an int and not exceed the bytes that remain (a length or count). */
  public int readLength() {
    long v = readVarint();
    if (v > end - pos) {
      throw new CorruptDataException("length " + v + " exceeds remaining " + (end - pos));
    }
    return (int) v;
  }

  public byte[] readBytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  public byte[] readLengthPrefixed() {
    return readBytes(readLength());
  }

  public String readString() {
    int n = readLength();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  public byte[] array() {
    return buf;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }
}
