package io.flywheel.engine;

/** Writes applied atomically by {@link KvEngine#write}. Not thread-safe; use once. */
public interface KvBatch extends AutoCloseable {
  void put(Space space, byte[] key, byte[] value);

  void delete(Space space, byte[] key);

  /** Deletes every key in [startInclusive, endExclusive). */
  void deleteRange(Space space, byte[] startInclusive, byte[] endExclusive);

  /** Number of operations added so far. */
  int count();

  /** Approximate bytes of keys and values added so far. */
  long sizeBytes();

  @Override
  void close();
}
