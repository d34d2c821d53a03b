package io.flywheel.engine;

/** An ordered, durable key-value store. Thread-safe. */
public interface KvEngine extends AutoCloseable {
  /** The value of {@code key}, or null. */
  byte[] get(Space space, byte[] key);

  KvBatch newBatch();

  /**
   * Applies the batch atomically. With {@code sync}, returns only once the batch is durable;
   * without, the batch is visible at once but may be lost by a crash (with everything after it).
   */
  void write(KvBatch batch, boolean sync);

  /** Makes every write that returned before this call durable. */
  void syncWal();

  /**
   * Iterates keys in [startInclusive, endExclusive) ({@code endExclusive} null: to the end of the
   * space), ascending or descending. Sees a consistent point-in-time view.
   */
  KvIterator iterator(Space space, byte[] startInclusive, byte[] endExclusive, boolean reverse);

  @Override
  void close();
}
