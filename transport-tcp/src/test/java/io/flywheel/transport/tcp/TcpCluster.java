package io.flywheel.transport.tcp;

import io.flywheel.base.RandomSource;
import io.flywheel.transport.InboundHandler;
import io.flywheel.transport.MessageBus;
import io.flywheel.transport.MessageBusConfig;
import io.flywheel.transport.MessageBusContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * TCP buses on loopback that resolve each other through one shared address map. A node keeps its
 * port across restarts; ports are picked free at runtime (bind 0).
 */
final class TcpCluster implements MessageBusContract.Cluster {
  static final String HOST = "127.0.0.1";

  final Map<Long, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  final NodeAddressResolver resolver = id -> Optional.ofNullable(addresses.get(id));
  private final List<TcpMessageBus> buses = new ArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final UnaryOperator<TcpTransportConfig> tune;

  TcpCluster() {
    this(UnaryOperator.identity());
  }

  /** @param tune adjusts each node's config after the test defaults are applied */
  TcpCluster(UnaryOperator<TcpTransportConfig> tune) {
    this.tune = tune;
  }

  /** Test defaults: quick reconnects, a short handshake timeout, liveness checks on. */
  static TcpTransportConfig testConfig(MessageBusConfig bus, int port) {
    return TcpTransportConfig.defaults(HOST, port)
        .withBus(bus)
        .withReconnectDelaysMillis(20, 200)
        .withLiveness(5_000, 1_000, 10_000);
  }

  @Override
  public TcpMessageBus start(long nodeId, MessageBusConfig config, InboundHandler handler) {
    InetSocketAddress known = addresses.get(nodeId);
    TcpTransportConfig tcp = tune.apply(testConfig(config, known == null ? 0 : known.getPort()));
    TcpMessageBus bus = TcpMessageBus.start(nodeId, tcp, resolver, handler,
        RandomSource.seeded(nodeId * 1_000 + starts.incrementAndGet()), threads("node" + nodeId));
    addresses.put(nodeId, new InetSocketAddress(HOST, bus.listenPort()));
    synchronized (buses) {
      buses.add(bus);
    }
    return bus;
  }

  @Override
  public void declareDown(long nodeId) {
    addresses.put(nodeId, new InetSocketAddress(HOST, freePort()));
  }

  /** A port nothing listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    List<TcpMessageBus> all;
    synchronized (buses) {
      all = List.copyOf(buses);
    }
    all.forEach(MessageBus::close);
  }
}
