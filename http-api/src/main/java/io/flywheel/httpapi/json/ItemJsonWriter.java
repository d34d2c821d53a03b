package io.flywheel.httpapi.json;

import com.fasterxml.jackson.core.SerializableString;
import io.flywheel.base.ByteWriter;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemVisitor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Transcodes a stored item image straight to DynamoDB's JSON, byte by byte, without building the
 * item: the read path's hot loop. Produces the same JSON as {@link AttributeValueJson#writeMap}.
 */
public final class ItemJsonWriter implements ItemVisitor {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private static final int MAP = 0;
  private static final int LIST = 1;
  private static final int SET = 2;
  /** Deeper than any stored item (32 levels of documents plus the item). */
  private static final int MAX_DEPTH = 72;

  private final ByteWriter out;
  /** Per open container: its kind, and whether its next entry needs a comma. */
  private final int[] kind = new int[MAX_DEPTH];
  private final boolean[] needsComma = new boolean[MAX_DEPTH];
  private int depth;

  private ItemJsonWriter(ByteWriter out) {
    this.out = out;
  }

  /** The JSON of an item image, as a raw value Jackson can embed. */
  public static SerializableString toJson(byte[] image) {
    ByteWriter out = new ByteWriter(image.length + image.length / 2 + 64);
    ItemCodec.visit(image, new ItemJsonWriter(out));
    return new RawJson(out.toByteArray());
  }

  private void ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      out.writeByte(s.charAt(i));
    }
  }

  /** A comma before every entry of a container but the first. */
  private void comma() {
    if (needsComma[depth]) {
      out.writeByte(',');
    }
    needsComma[depth] = true;
  }

  private boolean inSet() {
    return kind[depth] == SET;
  }

  /** Starts a value: in a list it is an element; map values follow their name. */
  private void startValue(String type) {
    if (kind[depth] != MAP) {
      comma();
    }
    if (type != null) {
      out.writeByte('{').writeByte('"');
      ascii(type);
      out.writeByte('"').writeByte(':');
    }
  }

  private void open(int containerKind) {
    depth++;
    kind[depth] = containerKind;
    needsComma[depth] = false;
  }

  private void quoted(byte[] utf8, int offset, int length) {
    out.writeByte('"');
    int end = offset + length;
    int run = offset;
    for (int i = offset; i < end; i++) {
      int b = utf8[i] & 0xFF;
      if (b >= 0x20 && b != '"' && b != '\\') {
        continue;
      }
      out.writeBytes(utf8, run, i - run);
      run = i + 1;
      out.writeByte('\\');
      switch (b) {
        case '"' -> out.writeByte('"');
        case '\\' -> out.writeByte('\\');
        case '\n' -> out.writeByte('n');
        case '\r' -> out.writeByte('r');
        case '\t' -> out.writeByte('t');
        case '\b' -> out.writeByte('b');
        case '\f' -> out.writeByte('f');
        default -> {
          out.writeByte('u').writeByte('0').writeByte('0');
          out.writeByte(HEX[b >> 4]).writeByte(HEX[b & 0xF]);
        }
      }
    }
    out.writeBytes(utf8, run, end - run);
    out.writeByte('"');
  }

  @Override
  public void name(byte[] utf8, int offset, int length) {
    comma();
    quoted(utf8, offset, length);
    out.writeByte(':');
  }

  @Override
  public void string(byte[] utf8, int offset, int length) {
    boolean set = inSet();
    startValue(set ? null : "S");
    quoted(utf8, offset, length);
    if (!set) {
      out.writeByte('}');
    }
  }

  @Override
  public void number(byte[] ascii, int offset, int length) {
    boolean set = inSet();
    startValue(set ? null : "N");
    out.writeByte('"').writeBytes(ascii, offset, length).writeByte('"');
    if (!set) {
      out.writeByte('}');
    }
  }

  @Override
  public void binary(byte[] bytes, int offset, int length) {
    boolean set = inSet();
    startValue(set ? null : "B");
    ByteBuffer encoded = Base64.getEncoder().encode(ByteBuffer.wrap(bytes, offset, length));
    out.writeByte('"').writeBytes(encoded.array(), encoded.arrayOffset(), encoded.remaining()).writeByte('"');
    if (!set) {
      out.writeByte('}');
    }
  }

  @Override
  public void bool(boolean value) {
    startValue("BOOL");
    ascii(value ? "true}" : "false}");
  }

  @Override
  public void nul() {
    startValue("NULL");
    ascii("true}");
  }

  @Override
  public void beginMap(int size) {
    if (depth == 0 && out.size() == 0) {
      out.writeByte('{'); // the item itself
    } else {
      startValue("M");
      out.writeByte('{');
    }
    open(MAP);
  }

  @Override
  public void endMap() {
    depth--;
    out.writeByte('}');
    if (depth > 0) {
      out.writeByte('}'); // closes {"M":
    }
  }

  @Override
  public void beginList(int size) {
    startValue("L");
    out.writeByte('[');
    open(LIST);
  }

  @Override
  public void endList() {
    depth--;
    out.writeByte(']').writeByte('}');
  }

  @Override
  public void beginSet(String type, int size) {
    startValue(type);
    out.writeByte('[');
    open(SET);
  }

  @Override
  public void endSet() {
    depth--;
    out.writeByte(']').writeByte('}');
  }

  /** Pre-encoded JSON that Jackson writes verbatim as a value. */
  private record RawJson(byte[] utf8) implements SerializableString {
    @Override
    public String getValue() {
      return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + utf8.length > buffer.length) {
        return -1;
      }
      System.arraycopy(utf8, 0, buffer, offset, utf8.length);
      return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String s = getValue();
      if (offset + s.length() > buffer.length) {
        return -1;
      }
      s.getChars(0, s.length(), buffer, offset);
      return s.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(utf8);
      return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (buffer.remaining() < utf8.length) {
        return -1;
      }
      buffer.put(utf8);
      return utf8.length;
    }
  }
}
