package io.flywheel.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code flywheel} command line. */
@Command(name = "flywheel", mixinStandardHelpOptions = true, version = "flywheel 0.1.0",
    description = "DynamoDB, rebuilt from the paper.", subcommands = {Main.Start.class, Main.Node.class, DevCluster.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** {@code flywheel start}: every role in this process, serving the DynamoDB API. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Serve the DynamoDB API from this process (router, metadata and one storage node).")
  static final class Start implements Callable<Integer> {
    @Option(names = {"--port", "-port"}, description = "HTTP port (default: ${DEFAULT-VALUE})", defaultValue = "8000")
    int port;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE})", defaultValue = "0.0.0.0")
    String host;

    @Option(names = {"--data-dir", "-dbPath"}, description = "where data lives (default: ${DEFAULT-VALUE})", defaultValue = "./data")
    Path dataDir;

    @Mixin
    ProcessOptions process;

    @Option(names = "--partitions-per-table", description = "partitions a new table starts with (default: ${DEFAULT-VALUE})",
        defaultValue = "2")
    int partitionsPerTable;

    @Option(names = "--block-cache-mb", description = "RocksDB block cache (default: ${DEFAULT-VALUE})", defaultValue = "256")
    long blockCacheMegabytes;

    @Option(names = {"-sharedDb", "-disableTelemetry", "-optimizeDbBeforeStartup"}, hidden = true,
        description = "DynamoDB Local flags accepted for compatibility; Flywheel always shares one database and sends no telemetry")
    boolean ignoredDynamoDbLocalFlag;

    @Override
    public Integer call() throws Exception {
      ServerConfig config = new ServerConfig(host, port, dataDir, process.credentialsFile, process.region,
          process.replicaWorkers(), process.ioThreads(), partitionsPerTable, blockCacheMegabytes << 20);
      long started = System.nanoTime();
      EmbeddedFlywheel flywheel;
      try {
        flywheel = EmbeddedFlywheel.start(config);
      } catch (IllegalStateException | IllegalArgumentException e) {
        System.err.println("flywheel: " + e.getMessage());
        return 1;
      }
      return runUntilStopped(flywheel, () -> System.out.printf(
          "Flywheel is serving the DynamoDB API on http://localhost:%d (data in %s, started in %d ms)%n",
          flywheel.port(), dataDir.toAbsolutePath().normalize(), (System.nanoTime() - started) / 1_000_000));
    }
  }

  /** {@code flywheel node}: one node of a cluster, with the roles the cluster file gives it. */
  @Command(name = "node", mixinStandardHelpOptions = true,
      description = "Run one node of a cluster (storage, metadata and/or router roles, from the cluster file).")
  static final class Node implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "the cluster file (the same on every node)")
    Path config;

    @Option(names = "--node-id", required = true, description = "which node of the cluster file this process is")
    long nodeId;

    @Option(names = "--data-dir", description = "where this node's data lives (default: ./data/node-<id>)")
    Path dataDir;

    @Mixin
    ProcessOptions process;

    @Option(names = "--block-cache-mb", description = "RocksDB block cache (default: ${DEFAULT-VALUE})", defaultValue = "128")
    long blockCacheMegabytes;

    @Override
    public Integer call() throws Exception {
      Path data = dataDir != null ? dataDir : Path.of("data", "node-" + nodeId);
      ServerConfig server = new ServerConfig("0.0.0.0", 0, data, process.credentialsFile, process.region,
          process.replicaWorkers(), process.ioThreads(), 1, blockCacheMegabytes << 20);
      long started = System.nanoTime();
      ClusterNode node;
      try {
        ClusterConfig cluster = ClusterConfig.load(config);
        node = ClusterNode.start(cluster, nodeId, data, server);
      } catch (IllegalStateException | IllegalArgumentException e) {
        System.err.println("flywheel: " + e.getMessage());
        return 1;
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      return runUntilStopped(node, () -> {
        if (node.httpPort() >= 0) {
          System.out.printf("Flywheel node %d is serving the DynamoDB API on http://localhost:%d (data in %s, started in %d ms)%n",
              nodeId, node.httpPort(), data.toAbsolutePath().normalize(), millis);
        } else {
          System.out.printf("Flywheel node %d is up (data in %s, started in %d ms)%n", nodeId, data.toAbsolutePath().normalize(), millis);
        }
      });
    }
  }

  /** What {@code start} and {@code node} are told alike: who may call, and the process's threads. */
  static final class ProcessOptions {
    @Option(names = "--credentials-file",
        description = "verify SigV4 signatures against these credentials (lines of accessKeyId:secretAccessKey[:accountId]); "
            + "without it any well-formed credentials are accepted, like DynamoDB Local")
    Path credentialsFile;

    @Option(names = "--region", description = "only accept credentials scoped to this region (default: any)")
    String region;

    @Option(names = "--replica-workers", description = "replication worker threads (default: half the cores, at least 1)")
    Integer replicaWorkers;

    @Option(names = "--io-threads", description = "HTTP event-loop threads (default: cores)")
    Integer ioThreads;

    int replicaWorkers() {
      return replicaWorkers != null ? replicaWorkers : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    int ioThreads() {
      return ioThreads != null ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * Arranges for {@code running} to be closed when the process is asked to stop (SIGTERM, Ctrl-C),
   * then announces it (tests and scripts wait for that line) and waits.
   */
  static int runUntilStopped(AutoCloseable running, Runnable announce) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("flywheel: error while stopping: " + e);
      }
      stopped.countDown();
    }, "shutdown"));
    announce.run();
    System.out.flush();
    stopped.await();
    return 0;
  }
}
