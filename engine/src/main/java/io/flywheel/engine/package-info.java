/**
 * The storage-engine SPI: an ordered key-value store with atomic batches, used twice per node —
 * once for items and per-replica state ({@code kvdb}), once for the replication log ({@code
 * logdb}) — plus a strict in-memory implementation for tests and the simulator.
 *
 * <p>Rules: keys are ordered by unsigned bytes; a {@link io.flywheel.engine.KvBatch} is applied
 * atomically; a write with {@code sync=true}, or any write followed by {@link
 * io.flywheel.engine.KvEngine#syncWal()}, survives a crash, and an unsynced write may be lost on a
 * crash together with every later write (a crash keeps a prefix). The in-memory engine implements
 * exactly that, so code that forgets to sync loses data in tests. No RocksDB types appear here.
 */
package io.flywheel.engine;
