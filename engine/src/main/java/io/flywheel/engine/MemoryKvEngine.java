package io.flywheel.engine;

import io.flywheel.base.Bytes;
import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An in-memory {@link KvEngine} with the crash semantics of a write-ahead log: unsynced batches can
 * be lost by {@link #crash}, always as a suffix. Strict: use after close fails. Thread-safe by a
 * single lock; meant for tests and the simulator, not speed.
 */
public final class MemoryKvEngine implements KvEngine {
  /** What survives a crash. */
  private final Map<Space, TreeMap<byte[], byte[]>> durable = new EnumMap<>(Space.class);
  /** Durable state plus every batch written since the last sync: what reads see. */
  private final Map<Space, TreeMap<byte[], byte[]>> visible = new EnumMap<>(Space.class);
  private final List<MemoryBatch> unsynced = new ArrayList<>();
  private boolean closed;
  private long syncCount;

  public MemoryKvEngine() {
    for (Space space : Space.values()) {
      durable.put(space, new TreeMap<>(Arrays::compareUnsigned));
      visible.put(space, new TreeMap<>(Arrays::compareUnsigned));
    }
  }

  @Override
  public synchronized byte[] get(Space space, byte[] key) {
    checkOpen();
    byte[] v = visible.get(space).get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public KvBatch newBatch() {
    return new MemoryBatch();
  }

  @Override
  public synchronized void write(KvBatch batch, boolean sync) {
    checkOpen();
    MemoryBatch b = (MemoryBatch) batch;
    Invariants.checkArgument(!b.written, "a batch is written once");
    b.written = true;
    b.applyTo(visible);
    unsynced.add(b);
    if (sync) {
      syncLocked();
    }
  }

  @Override
  public synchronized void syncWal() {
    checkOpen();
    syncLocked();
  }

  private void syncLocked() {
    for (MemoryBatch b : unsynced) {
      b.applyTo(durable);
    }
    unsynced.clear();
    syncCount++;
  }

  /** Number of syncs so far (tests use it to check group commit). */
  public synchronized long syncCount() {
    return syncCount;
  }

  /**
   * Simulates a power loss: keeps the durable state plus a random prefix of the unsynced batches
   * (possibly none), then reopens.
   */
  public synchronized void crash(RandomSource random) {
    int keep = unsynced.isEmpty() ? 0 : random.nextInt(unsynced.size() + 1);
    for (int i = 0; i < keep; i++) {
      unsynced.get(i).applyTo(durable);
    }
    unsynced.clear();
    for (Space space : Space.values()) {
      TreeMap<byte[], byte[]> copy = new TreeMap<>(Arrays::compareUnsigned);
      copy.putAll(durable.get(space));
      visible.put(space, copy);
    }
    closed = false;
  }

  @Override
  public synchronized KvIterator iterator(Space space, byte[] startInclusive, byte[] endExclusive, boolean reverse) {
    checkOpen();
    NavigableMap<byte[], byte[]> range = visible.get(space);
    if (startInclusive != null && endExclusive != null) {
      range = range.subMap(startInclusive, true, endExclusive, false);
    } else if (startInclusive != null) {
      range = range.tailMap(startInclusive, true);
    } else if (endExclusive != null) {
      range = range.headMap(endExclusive, false);
    }
    // Point-in-time view: copy the range.
    TreeMap<byte[], byte[]> snapshot = new TreeMap<>(Arrays::compareUnsigned);
    snapshot.putAll(range);
    return new SnapshotIterator(reverse ? snapshot.descendingMap() : snapshot);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    Invariants.check(!closed, "engine is closed");
  }

  private static final class SnapshotIterator implements KvIterator {
    private final NavigableMap<byte[], byte[]> entries;
    private Iterator<Map.Entry<byte[], byte[]>> it;
    private Map.Entry<byte[], byte[]> current;

    SnapshotIterator(NavigableMap<byte[], byte[]> entries) {
      this.entries = entries;
    }

    @Override
    public void seekFirst() {
      it = entries.entrySet().iterator();
      next();
    }

    @Override
    public boolean valid() {
      return current != null;
    }

    @Override
    public void next() {
      Invariants.check(it != null, "seekFirst before next");
      current = it.hasNext() ? it.next() : null;
    }

    @Override
    public byte[] key() {
      return current.getKey().clone();
    }

    @Override
    public byte[] value() {
      return current.getValue().clone();
    }

    @Override
    public void close() {}
  }

  private static final class MemoryBatch implements KvBatch {
    private record Op(Space space, byte[] key, byte[] value, byte[] end) {}

    private final List<Op> ops = new ArrayList<>();
    private long sizeBytes;
    private boolean written;

    @Override
    public void put(Space space, byte[] key, byte[] value) {
      ops.add(new Op(space, key.clone(), value.clone(), null));
      sizeBytes += key.length + value.length;
    }

    @Override
    public void delete(Space space, byte[] key) {
      ops.add(new Op(space, key.clone(), null, null));
      sizeBytes += key.length;
    }

    @Override
    public void deleteRange(Space space, byte[] startInclusive, byte[] endExclusive) {
      Invariants.checkArgument(Bytes.compareUnsigned(startInclusive, endExclusive) <= 0, "range start after end");
      ops.add(new Op(space, startInclusive.clone(), null, endExclusive.clone()));
      sizeBytes += startInclusive.length + endExclusive.length;
    }

    void applyTo(Map<Space, TreeMap<byte[], byte[]>> target) {
      for (Op op : ops) {
        TreeMap<byte[], byte[]> map = target.get(op.space);
        if (op.end != null) {
          map.subMap(op.key, true, op.end, false).clear();
        } else if (op.value == null) {
          map.remove(op.key);
        } else {
          map.put(op.key, op.value);
        }
      }
    }

    @Override
    public int count() {
      return ops.size();
    }

    @Override
    public long sizeBytes() {
      return sizeBytes;
    }

    @Override
    public void close() {}
  }
}
