package io.flywheel.rpc;

import io.flywheel.replicahost.BusPeerNetwork;
import io.flywheel.transport.InboundHandler;
import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.transport.MessageBusConfig;
import io.flywheel.transport.tcp.NodeAddressResolver;
import io.flywheel.transport.tcp.TcpMessageBus;
import io.flywheel.transport.tcp.TcpTransportConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RPC endpoints on real TCP buses over loopback, on ports bound at runtime (a restarted node keeps
 * its port), with real time: a system clock and a scheduler on one timer thread.
 */
final class TcpNodes implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  final Map<Long, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  final NodeAddressResolver resolver = id -> Optional.ofNullable(addresses.get(id));
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("rpc-timer"));
  final Scheduler scheduler = (delayNanos, task) -> {
    ScheduledFuture<?> f = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  };
  final Clock clock = new Clock() {
    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }

    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }
  };
  private final List<AutoCloseable> running = new ArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();

  /** A running node: its endpoint and bus. */
  record Node(long id, RpcEndpoint endpoint, TcpMessageBus bus, ExecutorService executor) implements AutoCloseable {
    /** Stops the node as a crash would: the bus goes away, nothing is answered any more. */
    @Override
    public void close() {
      endpoint.close();
      bus.close();
      executor.shutdownNow();
    }
  }

  Node start(long nodeId, RpcConfig config) {
    return start(nodeId, config, null);
  }

  /** A node whose replication envelopes go to {@code peers} (when not null) and the rest to its endpoint. */
  Node start(long nodeId, RpcConfig config, BusPeerNetwork peers) {
    ExecutorService executor = Executors.newFixedThreadPool(2, daemon("rpc-" + nodeId));
    RpcEndpoint endpoint = new RpcEndpoint(config, clock, scheduler, RandomSource.seeded(nodeId * 1000 + starts.incrementAndGet()),
        executor);
    InetSocketAddress known = addresses.get(nodeId);
    TcpTransportConfig tcp = TcpTransportConfig.defaults(HOST, known == null ? 0 : known.getPort())
        .withBus(MessageBusConfig.defaults())
        .withReconnectDelaysMillis(20, 200);
    InboundHandler inbound = peers == null ? endpoint : e -> {
      if (peers.accepts(e)) {
        peers.receive(e);
      } else {
        endpoint.receive(e);
      }
    };
    TcpMessageBus bus = TcpMessageBus.start(nodeId, tcp, resolver, inbound, RandomSource.seeded(nodeId + starts.get()),
        daemon("node" + nodeId + "-io"));
    addresses.put(nodeId, new InetSocketAddress(HOST, bus.listenPort()));
    endpoint.attach(bus);
    if (peers != null) {
      peers.attach(bus);
    }
    Node node = new Node(nodeId, endpoint, bus, executor);
    synchronized (running) {
      running.add(node);
    }
    return node;
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (running) {
      all = List.copyOf(running);
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the test has its verdict already
      }
    }
    timers.shutdownNow();
  }
}
