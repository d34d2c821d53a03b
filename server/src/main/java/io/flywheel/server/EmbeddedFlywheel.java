package io.flywheel.server;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.engine.rocksdb.RocksDbConfig;
import io.flywheel.engine.rocksdb.RocksDbKvEngine;
import io.flywheel.httpapi.HttpConfig;
import io.flywheel.httpapi.HttpServer;
import io.flywheel.httpapi.auth.CredentialStore;
import io.flywheel.httpapi.auth.SigV4Verifier;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.storagenode.IndexLocator;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.router.Router;
import io.flywheel.router.RouterConfig;
import io.flywheel.router.TransactionConfig;
import io.flywheel.router.TransactionCoordinator;
import io.flywheel.storagenode.StorageNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Every role in one process: the embedded default of {@code flywheel start}. */
final class EmbeddedFlywheel implements AutoCloseable {

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private final HttpServer http;

  private EmbeddedFlywheel(ServerConfig config) throws IOException {
    try {
      Path data = config.dataDir();
      Files.createDirectories(data);
      closeInReverse.add(lockDataDirectory(data));
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
      storage.startIndexPropagation((table, indexId, hash) -> {
        TableDescriptor t = metadata.table(table);
        if (t == null) {
          return null;
        }
        for (IndexDescriptor index : t.indexes()) {
          if (index.indexId() == indexId && index.global() && index.status() != IndexStatus.DELETING) {
            PartitionDescriptor p = index.partitionFor(hash);
            return new IndexLocator.Target(p.ref(), nodes.node(p.replicaNodes().get(0)));
          }
        }
        return null;
      }, clock, threads("index-propagator", false));
      closeInReverse.add(storage::stop);
      Router router = new Router(metadata, nodes, RouterConfig.defaults(), startTransactions(metadata, nodes, clock));
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

  /**
   * The transaction coordinator: creates the ledger and finishes or aborts every transaction a
   * crash left in doubt before the endpoint serves, then repeats recovery periodically for
   * transactions whose coordinator stalled.
   */
  private TransactionCoordinator startTransactions(MetadataNode metadata, StorageNodes nodes, Clock clock) {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(threads("transaction-timer", true));
    closeInReverse.add(timers::shutdownNow);
    Scheduler scheduler = (delayNanos, task) -> {
      ScheduledFuture<?> scheduled = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> scheduled.cancel(false);
    };
    TransactionConfig config = TransactionConfig.defaults();
    TransactionCoordinator coordinator = new TransactionCoordinator(metadata, nodes, RouterConfig.defaults(), clock,
        RandomSource.seeded(new SecureRandom().nextLong()), scheduler, config);
    TransactionCoordinator.RecoveryReport recovered = coordinator.start().join();
    if (recovered.committed() + recovered.aborted() + recovered.failed() > 0) {
      System.out.printf("flywheel: recovered in-doubt transactions: %d committed, %d aborted, %d left for later%n",
          recovered.committed(), recovered.aborted(), recovered.failed());
    }
    AtomicBoolean recovering = new AtomicBoolean();
    long periodMillis = Math.max(1_000, config.recoveryAgeMillis() / 2);
    timers.scheduleWithFixedDelay(() -> {
      if (recovering.compareAndSet(false, true)) {
        coordinator.recover(config.recoveryAgeMillis()).whenComplete((report, error) -> recovering.set(false));
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return coordinator;
  }

  static EmbeddedFlywheel start(ServerConfig config) throws IOException {
    return new EmbeddedFlywheel(config);
  }

  int port() {
    return http.port();
  }

  /** One process per data directory: a second one would corrupt it. */
  private static AutoCloseable lockDataDirectory(Path data) throws IOException {
    FileChannel channel = FileChannel.open(data.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("data directory " + data.toAbsolutePath() + " is in use by another Flywheel process");
    }
    FileLock held = lock;
    return () -> {
      held.release();
      channel.close();
    };
  }

  private static ThreadFactory threads(String name, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(daemon);
      return t;
    };
  }

  @Override
  public void close() {
    for (int i = closeInReverse.size() - 1; i >= 0; i--) {
      try {
        closeInReverse.get(i).close();
      } catch (Exception e) {
        System.err.println("flywheel: error while stopping: " + e);
      }
    }
    closeInReverse.clear();
  }
}
