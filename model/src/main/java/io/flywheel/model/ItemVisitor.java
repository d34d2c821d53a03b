package io.flywheel.model;

/**
 * Receives a stored item image as a stream of events, without building the item ({@link
 * ItemCodec#visit}). Names and strings arrive as UTF-8 slices of the image, numbers as their
 * canonical ASCII text: a transcoder (the HTTP layer writing JSON) copies bytes without decoding.
 * Slices are valid only during the call.
 */
public interface ItemVisitor {
  /** An attribute name or a map key; its value follows. */
  void name(byte[] utf8, int offset, int length);

  void string(byte[] utf8, int offset, int length);

  void number(byte[] ascii, int offset, int length);

  void binary(byte[] bytes, int offset, int length);

  void bool(boolean value);

  void nul();

  /** A map ({@code M}), or the item itself at depth 0: {@code size} (name, value) pairs follow. */
  void beginMap(int size);

  void endMap();

  void beginList(int size);

  void endList();

  /** A set: {@code type} is "SS", "NS" or "BS"; {@code size} strings, numbers or binaries follow. */
  void beginSet(String type, int size);

  void endSet();
}
