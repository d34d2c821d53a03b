package io.flywheel.engine.rocksdb;

/**
 * Tunables of one RocksDB instance.
 *
 * @param blockCacheBytes shared LRU cache for data blocks
 * @param writeBufferBytes size of one memtable
 * @param maxBackgroundJobs flush and compaction threads
 */
public record RocksDbConfig(long blockCacheBytes, long writeBufferBytes, int maxBackgroundJobs) {
  public static RocksDbConfig defaults() {
    return new RocksDbConfig(256L << 20, 64L << 20, 2);
  }

  public static RocksDbConfig small() {
    return new RocksDbConfig(8L << 20, 4L << 20, 1);
  }
}
