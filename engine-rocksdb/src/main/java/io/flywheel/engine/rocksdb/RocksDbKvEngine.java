package io.flywheel.engine.rocksdb;

import io.flywheel.base.Invariants;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** A {@link KvEngine} on one RocksDB database with a column family per {@link Space}. */
public final class RocksDbKvEngine implements KvEngine {
  static {
    RocksDB.loadLibrary();
  }

  private final Path path;
  private final LRUCache cache;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrite;
  private final WriteOptions asyncWrite;
  private final ReadOptions readOptions;
  private volatile boolean closed;

  private RocksDbKvEngine(Path path, RocksDbConfig config) throws RocksDBException {
    this.path = path;
    this.cache = new LRUCache(config.blockCacheBytes());
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setBlockSize(16 * 1024)
        .setCacheIndexAndFilterBlocks(true)
        .setFilterPolicy(new org.rocksdb.BloomFilter(10, false));
    this.cfOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(config.writeBufferBytes())
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
    this.dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(config.maxBackgroundJobs())
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        .setKeepLogFileNum(4)
        // Write back WAL and table files in 1 MB steps, so a later sync (or the OS) never has to
        // flush tens of megabytes at once: that burst is what stalls foreground writes.
        .setWalBytesPerSync(1L << 20)
        .setBytesPerSync(1L << 20)
        .setMaxTotalWalSize(config.writeBufferBytes() * 4);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (Space space : Space.values()) {
      byte[] name = space == Space.DATA ? RocksDB.DEFAULT_COLUMN_FAMILY : space.name().toLowerCase().getBytes(StandardCharsets.UTF_8);
      descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
    }
    this.handles = new ArrayList<>();
    this.db = RocksDB.open(dbOptions, path.toString(), descriptors, handles);
    this.syncWrite = new WriteOptions().setSync(true);
    this.asyncWrite = new WriteOptions().setSync(false);
    this.readOptions = new ReadOptions();
  }

  /** Opens (creating if needed) the database in {@code directory}. */
  public static RocksDbKvEngine open(Path directory, RocksDbConfig config) {
    try {
      Files.createDirectories(directory);
      return new RocksDbKvEngine(directory, config);
    } catch (RocksDBException e) {
      throw new StorageException("cannot open RocksDB at " + directory + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new StorageException("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  private ColumnFamilyHandle handle(Space space) {
    return handles.get(space.ordinal());
  }

  @Override
  public byte[] get(Space space, byte[] key) {
    checkOpen();
    try {
      return db.get(handle(space), readOptions, key);
    } catch (RocksDBException e) {
      throw new StorageException("get failed in " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public KvBatch newBatch() {
    return new RocksBatch();
  }

  @Override
  public void write(KvBatch batch, boolean sync) {
    checkOpen();
    RocksBatch b = (RocksBatch) batch;
    try {
      db.write(sync ? syncWrite : asyncWrite, b.batch);
    } catch (RocksDBException e) {
      throw new StorageException("write failed in " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void syncWal() {
    checkOpen();
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw new StorageException("WAL sync failed in " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public KvIterator iterator(Space space, byte[] startInclusive, byte[] endExclusive, boolean reverse) {
    checkOpen();
    return new RocksRangeIterator(space, startInclusive, endExclusive, reverse);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    db.cancelAllBackgroundWork(true);
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    syncWrite.close();
    asyncWrite.close();
    readOptions.close();
    dbOptions.close();
    cfOptions.close();
    cache.close();
  }

  private void checkOpen() {
    Invariants.check(!closed, "engine is closed: " + path);
  }

  private final class RocksBatch implements KvBatch {
    private final WriteBatch batch = new WriteBatch();
    private long sizeBytes;

    @Override
    public void put(Space space, byte[] key, byte[] value) {
      try {
        batch.put(handle(space), key, value);
      } catch (RocksDBException e) {
        throw new StorageException("batch put failed: " + e.getMessage(), e);
      }
      sizeBytes += key.length + value.length;
    }

    @Override
    public void delete(Space space, byte[] key) {
      try {
        batch.delete(handle(space), key);
      } catch (RocksDBException e) {
        throw new StorageException("batch delete failed: " + e.getMessage(), e);
      }
      sizeBytes += key.length;
    }

    @Override
    public void deleteRange(Space space, byte[] startInclusive, byte[] endExclusive) {
      try {
        batch.deleteRange(handle(space), startInclusive, endExclusive);
      } catch (RocksDBException e) {
        throw new StorageException("batch deleteRange failed: " + e.getMessage(), e);
      }
      sizeBytes += startInclusive.length + endExclusive.length;
    }

    @Override
    public int count() {
      return batch.count();
    }

    @Override
    public long sizeBytes() {
      return sizeBytes;
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  private final class RocksRangeIterator implements KvIterator {
    private final Snapshot snapshot;
    private final ReadOptions options;
    private final Slice lower;
    private final Slice upper;
    private final RocksIterator it;
    private final boolean reverse;

    RocksRangeIterator(Space space, byte[] start, byte[] end, boolean reverse) {
      this.reverse = reverse;
      this.snapshot = db.getSnapshot();
      this.options = new ReadOptions().setSnapshot(snapshot);
      this.lower = start == null ? null : new Slice(start);
      this.upper = end == null ? null : new Slice(end);
      if (lower != null) {
        options.setIterateLowerBound(lower);
      }
      if (upper != null) {
        options.setIterateUpperBound(upper);
      }
      this.it = db.newIterator(handle(space), options);
    }

    @Override
    public void seekFirst() {
      if (reverse) {
        it.seekToLast();
      } else {
        it.seekToFirst();
      }
    }

    @Override
    public boolean valid() {
      return it.isValid();
    }

    @Override
    public void next() {
      if (reverse) {
        it.prev();
      } else {
        it.next();
      }
    }

    @Override
    public byte[] key() {
      return it.key();
    }

    @Override
    public byte[] value() {
      return it.value();
    }

    @Override
    public void close() {
      it.close();
      options.close();
      if (lower != null) {
        lower.close();
      }
      if (upper != null) {
        upper.close();
      }
      db.releaseSnapshot(snapshot);
    }
  }
}
