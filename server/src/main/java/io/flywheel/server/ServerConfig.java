package io.flywheel.server;

import java.nio.file.Path;

/**
 * Everything {@code flywheel start} can be told, with units in the names.
 *
 * @param credentialsFile null: accept any well-formed credentials (like DynamoDB Local)
 * @param region null: accept any region in credential scopes
 * @param replicaWorkers replication host worker threads
 * @param ioThreads HTTP event-loop threads
 * @param initialPartitions partitions per new table
 */
record ServerConfig(
    String host,
    int port,
    Path dataDir,
    Path credentialsFile,
    String region,
    int replicaWorkers,
    int ioThreads,
    int initialPartitions,
    long blockCacheBytes) {}
