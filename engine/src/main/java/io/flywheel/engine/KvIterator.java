package io.flywheel.engine;

/**
 * A cursor over a key range. Usage: {@code for (it.seekFirst(); it.valid(); it.next())}. Must be
 * closed. Not thread-safe.
 */
public interface KvIterator extends AutoCloseable {
  /** Positions at the first key of the range (the last one when iterating in reverse). */
  void seekFirst();

  boolean valid();

  void next();

  byte[] key();

  byte[] value();

  @Override
  void close();
}
