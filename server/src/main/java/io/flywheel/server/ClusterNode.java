package io.flywheel.server;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.engine.rocksdb.RocksDbConfig;
import io.flywheel.engine.rocksdb.RocksDbKvEngine;
import io.flywheel.httpapi.HttpConfig;
import io.flywheel.httpapi.HttpServer;
import io.flywheel.httpapi.auth.SigV4Verifier;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.metadata.Placement;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.wire.MessageKind;
import io.flywheel.replicahost.BusPeerNetwork;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.router.Router;
import io.flywheel.router.RouterConfig;
import io.flywheel.rpc.MetadataServer;
import io.flywheel.rpc.RemoteMetadata;
import io.flywheel.rpc.RemoteStorageNode;
import io.flywheel.rpc.RpcConfig;
import io.flywheel.rpc.RpcEndpoint;
import io.flywheel.rpc.StorageNodeServer;
import io.flywheel.server.ClusterConfig.NodeSpec;
import io.flywheel.server.ClusterConfig.Role;
import io.flywheel.storagenode.IndexLocator;
import io.flywheel.storagenode.StorageNode;
import io.flywheel.transport.InboundHandler;
import io.flywheel.transport.MessageBusConfig;
import io.flywheel.transport.tcp.TcpMessageBus;
import io.flywheel.transport.tcp.TcpTransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One node of a cluster ({@code flywheel node}): the roles the cluster file gives it, talking to
 * the other nodes over one TCP bus. A storage node hosts its partitions' replicas (replication
 * messages and storage calls on the same bus); a metadata node also holds a replica of the
 * catalog group and serves it; a router serves the DynamoDB API, keeps a copy of the catalog
 * refreshed at a fixed rate, and reaches storage nodes only over RPC.
 */
final class ClusterNode implements AutoCloseable {
  /** How long startup waits for the rest of the cluster (metadata leader, ledger) before giving up. */
  static final long JOIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
  /** How often a router fetches the whole catalog. */
  static final long CATALOG_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private HttpServer http;

  private ClusterNode(ClusterConfig cluster, long nodeId, Path data, ServerConfig server) throws IOException {
    try {
      NodeSpec self = cluster.node(nodeId);
      Files.createDirectories(data);
      closeInReverse.add(Wiring.lockDataDirectory(data));
      Clock clock = new SystemClock();
      RandomSource random = RandomSource.seeded(new SecureRandom().nextLong());
      Scheduler scheduler = Wiring.scheduler("node-timer", closeInReverse);

      ExecutorService rpcExecutor = Executors.newFixedThreadPool(2, Wiring.threads("rpc", true));
      closeInReverse.add(rpcExecutor::shutdownNow);
      RpcEndpoint endpoint = new RpcEndpoint(RpcConfig.defaults().withCallTimeoutNanos(TimeUnit.SECONDS.toNanos(2)), clock, scheduler,
          RandomSource.seeded(random.nextLong()), rpcExecutor);
      closeInReverse.add(endpoint);
      BusPeerNetwork peers = new BusPeerNetwork(MessageKind.REPLICATION.code());
      InboundHandler inbound = e -> {
        if (peers.accepts(e)) {
          peers.receive(e);
        } else {
          endpoint.receive(e);
        }
      };
      Map<Long, InetSocketAddress> addresses = new HashMap<>();
      for (NodeSpec n : cluster.nodes().values()) {
        addresses.put(n.id(), new InetSocketAddress(n.address().getHostString(), n.address().getPort()));
      }
      TcpMessageBus bus = TcpMessageBus.start(nodeId,
          TcpTransportConfig.defaults(self.address().getHostString(), self.address().getPort()).withBus(MessageBusConfig.defaults()),
          id -> Optional.ofNullable(addresses.get(id)), inbound, RandomSource.seeded(random.nextLong()),
          Wiring.threads("bus", true));
      closeInReverse.add(bus);
      endpoint.attach(bus);
      peers.attach(bus);

      Map<Long, StorageNodeService> storageNodes = new HashMap<>();
      for (long id : cluster.ids(Role.STORAGE)) {
        storageNodes.put(id, new RemoteStorageNode(id, endpoint));
      }
      MetadataService catalog = null;
      if (self.has(Role.STORAGE)) {
        RocksDbKvEngine kv = RocksDbKvEngine.open(data.resolve("kvdb"), new RocksDbConfig(server.blockCacheBytes(), 64L << 20, 2));
        closeInReverse.add(kv);
        RocksDbKvEngine log = RocksDbKvEngine.open(data.resolve("logdb"), new RocksDbConfig(16L << 20, 64L << 20, 1));
        closeInReverse.add(log);
        ReplicaHost host = new ReplicaHost(kv, log, HostConfig.defaults(server.replicaWorkers()),
            new HostEnvironment(nodeId, clock, RandomSource.seeded(random.nextLong()), Wiring.threads("replica", false), peers));
        closeInReverse.add(host);
        peers.attach(host);
        StorageNode storage = new StorageNode(kv, host);
        storage.start();
        closeInReverse.add(storage::stop);
        storageNodes.put(nodeId, storage); // this node calls itself directly, never over the bus
        StorageNodeServer.serve(endpoint, storage);
        if (self.has(Role.METADATA)) {
          List<Placement.Node> placement = new ArrayList<>();
          for (long id : cluster.ids(Role.STORAGE)) {
            placement.add(MetadataConfig.node(id, cluster.node(id).availabilityZone()));
          }
          MetadataNode metadata = new MetadataNode(StorageNodes.of(storageNodes), clock, RandomSource.seeded(random.nextLong()),
              new MetadataConfig(cluster.partitionsPerTable(), cluster.replicationFactor(), placement, cluster.ids(Role.METADATA)));
          metadata.start(host, scheduler);
          closeInReverse.add(metadata::stop);
          MetadataServer.serve(endpoint, metadata);
          catalog = metadata;
        }
        if (catalog == null) {
          catalog = startRemoteMetadata(endpoint, cluster, scheduler);
        }
        storage.startIndexPropagation(IndexLocator.leadersOf(catalog, StorageNodes.of(storageNodes)), clock,
            Wiring.threads("index-propagator", false));
      }
      if (self.has(Role.ROUTER)) {
        // a router reads the catalog from its refreshed copy (a storage node's, when it is one too)
        MetadataService routerCatalog = catalog != null ? catalog : startRemoteMetadata(endpoint, cluster, scheduler);
        StorageNodes nodes = StorageNodes.of(storageNodes);
        var transactions = Wiring.startTransactions(routerCatalog, nodes, clock, closeInReverse,
            start -> untilJoined("the transaction ledger", start));
        Router router = new Router(routerCatalog, nodes, RouterConfig.defaults(), transactions);
        SigV4Verifier verifier = new SigV4Verifier(Credentials.load(server.credentialsFile()), clock, server.region());
        this.http = new HttpServer(HttpConfig.defaults(self.http().getHostString(), self.http().getPort(), server.ioThreads()), router,
            verifier, Wiring.threads("http", true), "FW" + nodeId + "X" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                .toUpperCase(java.util.Locale.ROOT));
        closeInReverse.add(http);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private RemoteMetadata startRemoteMetadata(RpcEndpoint endpoint, ClusterConfig cluster, Scheduler scheduler) {
    RemoteMetadata remote = new RemoteMetadata(endpoint, cluster.ids(Role.METADATA), scheduler, CATALOG_REFRESH_NANOS);
    closeInReverse.add(remote::stop);
    untilJoined("the metadata service", remote::start);
    return remote;
  }

  /** Repeats {@code step} until it succeeds, while the rest of the cluster starts; bounded by {@link #JOIN_TIMEOUT_NANOS}. */
  private static <T> T untilJoined(String what, Supplier<CompletableFuture<T>> step) {
    long deadline = System.nanoTime() + JOIN_TIMEOUT_NANOS;
    while (true) {
      try {
        return step.get().join();
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not reach " + what + " within " + TimeUnit.NANOSECONDS.toSeconds(JOIN_TIMEOUT_NANOS)
              + " s: " + e.getMessage(), e);
        }
        System.out.println("flywheel: waiting for " + what + " (" + e.getMessage() + ")");
        try {
          Thread.sleep(500); // the composition root waits for other processes to come up; no logic depends on the pause
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + what, interrupted);
        }
      }
    }
  }

  static ClusterNode start(ClusterConfig cluster, long nodeId, Path data, ServerConfig server) throws IOException {
    return new ClusterNode(cluster, nodeId, data, server);
  }

  /** The HTTP port, or -1 for a node that is not a router. */
  int httpPort() {
    return http == null ? -1 : http.port();
  }

  @Override
  public void close() {
    Wiring.closeInReverse(closeInReverse);
  }
}
