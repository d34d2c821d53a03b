package io.flywheel.server;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.rocksdb.RocksDbConfig;
import io.flywheel.engine.rocksdb.RocksDbKvEngine;
import io.flywheel.httpapi.HttpConfig;
import io.flywheel.httpapi.HttpServer;
import io.flywheel.httpapi.auth.CredentialStore;
import io.flywheel.httpapi.auth.SigV4Verifier;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.storagenode.IndexLocator;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.router.Router;
import io.flywheel.router.RouterConfig;
import io.flywheel.storagenode.StorageNode;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** Every role in one process: the embedded default of {@code flywheel start}. */
final class EmbeddedFlywheel implements AutoCloseable {
  private static java.util.concurrent.ThreadFactory threads(String name, boolean daemon) {
    return Wiring.threads(name, daemon);
  }

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private final HttpServer http;

  private EmbeddedFlywheel(ServerConfig config) throws IOException {
    try {
      Path data = config.dataDir();
      Files.createDirectories(data);
      closeInReverse.add(Wiring.lockDataDirectory(data));
      Clock clock = new SystemClock();
      RandomSource random = RandomSource.seeded(new SecureRandom().nextLong());
      RocksDbKvEngine kv = RocksDbKvEngine.open(data.resolve("kvdb"),
          new RocksDbConfig(config.blockCacheBytes(), 64L << 20, 2));
      closeInReverse.add(kv);
      RocksDbKvEngine log = RocksDbKvEngine.open(data.resolve("logdb"), new RocksDbConfig(16L << 20, 64L << 20, 1));
      closeInReverse.add(log);
      ReplicaHost host = new ReplicaHost(kv, log, HostConfig.defaults(config.replicaWorkers()),
          HostEnvironment.singleNode(clock, RandomSource.seeded(random.nextLong()), threads("replica", false)));
      closeInReverse.add(host);
      StorageNode storage = new StorageNode(kv, host);
      storage.start();
      StorageNodes nodes = StorageNodes.of(Map.of(storage.nodeId(), storage));
      MetadataNode metadata = new MetadataNode(nodes, clock, random, MetadataConfig.singleNode(config.initialPartitions()));
      metadata.start(host);
      storage.cleanOrphanLogs();
      storage.startIndexPropagation(IndexLocator.leadersOf(metadata, nodes), clock, threads("index-propagator", false));
      closeInReverse.add(storage::stop);
      Router router = new Router(metadata, nodes, RouterConfig.defaults(), Wiring.startTransactions(metadata, nodes, clock, closeInReverse));
      CredentialStore credentials = Credentials.load(config.credentialsFile());
      SigV4Verifier verifier = new SigV4Verifier(credentials, clock, config.region());
      this.http = new HttpServer(HttpConfig.defaults(config.host(), config.port(), config.ioThreads()), router, verifier,
          threads("http", true), "FW" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(java.util.Locale.ROOT));
      closeInReverse.add(http);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  static EmbeddedFlywheel start(ServerConfig config) throws IOException {
    return new EmbeddedFlywheel(config);
  }

  int port() {
    return http.port();
  }

  @Override
  public void close() {
    Wiring.closeInReverse(closeInReverse);
  }
}
