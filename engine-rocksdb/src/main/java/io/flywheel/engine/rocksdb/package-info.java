/**
 * The RocksDB implementation of the engine SPI: the only code that imports {@code org.rocksdb}.
 *
 * <p>One instance holds the node's items and replica state ({@code kvdb}: two column families,
 * writes not synced, the replication log makes them durable); a second holds the replication log
 * ({@code logdb}: synced writes, one per worker loop). Point-in-time recovery of the WAL gives the
 * "a crash keeps a prefix" semantic the SPI promises.
 */
package io.flywheel.engine.rocksdb;
