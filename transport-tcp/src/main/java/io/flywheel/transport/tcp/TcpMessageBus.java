package io.flywheel.transport.tcp;

import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.FrameException;
import io.flywheel.transport.InboundHandler;
import io.flywheel.transport.MessageBus;
import io.flywheel.transport.MessageBusConfig;
import io.flywheel.transport.TransportCounters;
import io.flywheel.transport.TransportCounters.Counter;
import io.flywheel.transport.TransportStats;
import io.flywheel.transport.VersionRange;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageBus} over TCP: one connection per node pair, carrying batched, checksummed,
 * versioned frames ({@link FrameCodec}). See the package documentation for who dials, the
 * handshake and the tie-break, the bounds and the threading.
 */
public final class TcpMessageBus implements MessageBus {
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final Logger log = LoggerFactory.getLogger(TcpMessageBus.class);
  private final long nodeId;
  private final TcpTransportConfig config;
  private final NodeAddressResolver resolver;
  private final InboundHandler handler;
  /** Not thread-safe: draws hold its monitor. */
  private final RandomSource random;
  private final long incarnation;
  private final ReconnectBackoff backoff;
  private final TransportCounters counters = new TransportCounters();
  private final ConcurrentMap<Long, Peer> peers = new ConcurrentHashMap<>();
  /** Every open channel, handshake done or not, so that close() can close them all. */
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final boolean nativeTransport;
  private final EventLoopGroup group;
  private final Bootstrap dialBootstrap;
  private final Channel serverChannel;
  private volatile boolean closed;

  private TcpMessageBus(long nodeId, TcpTransportConfig config, NodeAddressResolver resolver, InboundHandler handler,
      RandomSource random, ThreadFactory threads) {
    this.nodeId = nodeId;
    this.config = Invariants.checkNotNull(config, "config");
    this.resolver = Invariants.checkNotNull(resolver, "resolver");
    this.handler = Invariants.checkNotNull(handler, "handler");
    this.random = Invariants.checkNotNull(random, "random");
    this.incarnation = random.nextLong();
    this.backoff = new ReconnectBackoff(config.initialReconnectDelayMillis(), config.maxReconnectDelayMillis());
    this.nativeTransport = config.preferNativeTransport() && Epoll.isAvailable();
    IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverChannelType = nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends SocketChannel> channelType = nativeTransport ? EpollSocketChannel.class : NioSocketChannel.class;
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), threads, io);
    WriteBufferWaterMark waterMark =
        new WriteBufferWaterMark(config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes());
    this.dialBootstrap = new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    ServerBootstrap accept = new ServerBootstrap()
        .group(group)
        .channel(serverChannelType)
        .option(ChannelOption.SO_BACKLOG, 256)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            FrameDecoder decoder = new FrameDecoder(config.bus().versions());
            install(ch, decoder, new Connection(TcpMessageBus.this, decoder, null));
          }
        });
    try {
      this.serverChannel = accept.bind(new InetSocketAddress(config.listenHost(), config.listenPort()))
          .syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      throw e;
    }
    log.info("node {}: transport listening on {} ({}, versions {}, incarnation {})", nodeId, serverChannel.localAddress(),
        nativeTransport ? "epoll" : "nio", config.bus().versions(), Long.toHexString(incarnation));
  }

  /**
   * Binds the listen address and starts the event loops.
   *
   * @param handler receives envelopes addressed to this node, on the event loops (see {@link
   *     InboundHandler} for the threading contract)
   * @param random for the incarnation and the reconnect jitter; used under a lock
   * @param threads makes the event loop threads (names, daemon flag)
   */
  public static TcpMessageBus start(long nodeId, TcpTransportConfig config, NodeAddressResolver resolver,
      InboundHandler handler, RandomSource random, ThreadFactory threads) {
    return new TcpMessageBus(nodeId, config, resolver, handler, random, threads);
  }

  @Override
  public long localNodeId() {
    return nodeId;
  }

  @Override
  public MessageBusConfig config() {
    return config.bus();
  }

  TcpTransportConfig tcpConfig() {
    return config;
  }

  Logger log() {
    return log;
  }

  /** The port this bus accepts on (the bound one when configured with 0). */
  public int listenPort() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Whether the native (epoll) transport is in use rather than NIO. */
  public boolean nativeTransport() {
    return nativeTransport;
  }

  // ---- sending ----

  @Override
  public boolean send(Envelope envelope) {
    config.bus().checkSendable(envelope, nodeId);
    if (closed) {
      counters.increment(Counter.REFUSED_CLOSED);
      return false;
    }
    long destination = envelope.destinationNodeId();
    Peer peer = peers.get(destination);
    if (!isConnected(destination) && resolver.resolve(destination).isEmpty()) {
      counters.increment(Counter.REFUSED_UNKNOWN_NODE);
      return false;
    }
    if (peer == null) {
      peer = peerFor(destination);
      if (peer == null) {
        counters.increment(Counter.REFUSED_UNKNOWN_NODE);
        return false;
      }
    }
    Connection drainOn = null;
    Connection dial = null;
    synchronized (peer) {
      if (!peer.queue.offer(envelope)) {
        counters.increment(Counter.REFUSED_QUEUE_FULL);
        return false;
      }
      if (peer.ready()) {
        if (!peer.drainScheduled) {
          peer.drainScheduled = true;
          drainOn = peer.established;
        }
      } else if (peer.established == null && peer.dialing == null && peer.reconnectTimer == null && !closed) {
        dial = newDial(peer);
      }
    }
    if (drainOn != null) {
      executeDrain(peer, drainOn);
    }
    if (dial != null) {
      connect(dial);
    }
    return true;
  }

  /** The state for a node, created within the {@code maxPeers} bound; null beyond it. */
  private Peer peerFor(long peerNodeId) {
    Peer peer = peers.get(peerNodeId);
    if (peer != null) {
      return peer;
    }
    if (peers.size() >= config.maxPeers()) {
      log.warn("node {}: at maxPeers {}; not tracking node {}", nodeId, config.maxPeers(), peerNodeId);
      return null;
    }
    return peers.computeIfAbsent(peerNodeId, id -> new Peer(id, config.bus()));
  }

  /** Queues a drain of the peer's queue on its established connection's event loop, if needed. */
  void scheduleDrain(Peer peer) {
    Connection on;
    synchronized (peer) {
      if (!peer.ready() || peer.drainScheduled || peer.queue.isEmpty() || closed) {
        return;
      }
      peer.drainScheduled = true;
      on = peer.established;
    }
    executeDrain(peer, on);
  }

  private void executeDrain(Peer peer, Connection on) {
    try {
      on.channel.eventLoop().execute(() -> drain(peer, on));
    } catch (RejectedExecutionException e) {
      synchronized (peer) {
        peer.drainScheduled = false; // the event loop is shutting down with the bus
      }
    }
  }

  /**
   * On the connection's event loop: moves what is queued into frames (as much as one frame holds
   * each) while the connection is writable, then flushes once. Everything queued since the last
   * drain leaves in one write, which is the batching; stopping at Netty's high watermark leaves
   * the rest in the bounded queue, which is the backpressure.
   */
  private void drain(Peer peer, Connection conn) {
    Connection.Handshake peerHandshake = conn.peerHandshake;
    int maxFrameBytes = Math.min(config.bus().maxFrameBytes(), peerHandshake.maxFrameBytes());
    int frameTargetBytes = Math.min(config.frameTargetBytes(), maxFrameBytes);
    boolean wrote = false;
    boolean connectionChanged = false;
    while (true) {
      List<Envelope> batch;
      synchronized (peer) {
        if (closed || peer.established != conn || !conn.ready) {
          peer.drainScheduled = false;
          connectionChanged = true;
          break;
        }
        if (!conn.channel.isWritable()) {
          peer.drainScheduled = false; // channelWritabilityChanged schedules the next drain
          break;
        }
        batch = peer.queue.pollBatch(frameTargetBytes); // a larger lone envelope still comes out
        if (batch.isEmpty()) {
          peer.drainScheduled = false;
          break;
        }
      }
      batch = compatible(batch, peerHandshake.versions(), maxFrameBytes, conn);
      if (!batch.isEmpty()) {
        writeBatch(conn, batch);
        wrote = true;
      }
    }
    if (wrote) {
      conn.channel.flush();
    }
    if (connectionChanged) {
      scheduleDrain(peer); // a newer connection may be ready and waiting for this flag
    }
  }

  /** The envelopes the peer can take; the others are dropped here and counted. */
  private List<Envelope> compatible(List<Envelope> batch, VersionRange peerVersions, int maxFrameBytes, Connection conn) {
    int maxEnvelopeBytes = maxFrameBytes - FrameCodec.BATCH_OVERHEAD_BYTES;
    boolean allFit = true;
    for (Envelope e : batch) {
      allFit &= peerVersions.contains(e.version()) && e.encodedBytes() <= maxEnvelopeBytes;
    }
    if (allFit) {
      return batch;
    }
    List<Envelope> kept = new ArrayList<>(batch.size());
    for (Envelope e : batch) {
      if (peerVersions.contains(e.version()) && e.encodedBytes() <= maxEnvelopeBytes) {
        kept.add(e);
      } else {
        counters.increment(Counter.DROPPED_INCOMPATIBLE);
        if (Long.bitCount(counters.get(Counter.DROPPED_INCOMPATIBLE)) == 1) {
          log.warn("node {}: dropped {} for {}: it supports versions {} and frames up to {} bytes ({} such drops)", nodeId,
              e, conn.describe(), peerVersions, maxFrameBytes, counters.get(Counter.DROPPED_INCOMPATIBLE));
        }
      }
    }
    return kept;
  }

  private void writeBatch(Connection conn, List<Envelope> batch) {
    int frameBytes = Math.toIntExact(FrameCodec.batchFrameBytes(batch));
    ByteBuf frame = conn.channel.alloc().directBuffer(frameBytes, frameBytes);
    FrameCodec.encodeBatch(batch, frame.nioBuffer(0, frameBytes));
    frame.writerIndex(frameBytes);
    conn.channel.write(frame, conn.channel.voidPromise());
    countFrameSent(frameBytes);
    counters.add(Counter.ENVELOPES_SENT, batch.size());
  }

  // ---- dialing ----

  /** Creates the connection object of a dial and records it as the peer's. Caller holds the monitor. */
  private Connection newDial(Peer peer) {
    FrameDecoder decoder = new FrameDecoder(config.bus().versions());
    Connection conn = new Connection(this, decoder, peer);
    peer.dialing = conn;
    return conn;
  }

  private void connect(Connection conn) {
    Peer peer = conn.peer;
    Optional<InetSocketAddress> address = resolver.resolve(peer.nodeId);
    if (address.isEmpty()) {
      int dropped;
      synchronized (peer) {
        if (peer.dialing == conn) {
          peer.dialing = null;
        }
        dropped = peer.queue.clear();
      }
      counters.add(Counter.DROPPED_UNDELIVERABLE, dropped);
      log.warn("node {}: node {} has no address any more (left the membership); dropped {} queued envelopes", nodeId,
          peer.nodeId, dropped);
      return;
    }
    FrameDecoder decoder = conn.decoder();
    try {
      ChannelFuture connected = dialBootstrap.clone()
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              install(ch, decoder, conn);
            }
          })
          .connect(address.get());
      conn.channel = connected.channel();
      if (conn.abandoned()) {
        conn.channel.close();
      }
      connected.addListener(done -> {
        if (!done.isSuccess()) {
          log.debug("node {}: dialing node {} at {} failed: {}", nodeId, peer.nodeId, address.get(), done.cause().toString());
          connectionLost(conn);
        }
      });
    } catch (RuntimeException e) { // the event loops are shutting down
      connectionLost(conn);
    }
  }

  private void install(Channel ch, FrameDecoder decoder, Connection conn) {
    channels.add(ch);
    ch.closeFuture().addListener(f -> channels.remove(ch));
    if (closed) {
      ch.close();
      return;
    }
    if (config.idleTimeoutMillis() > 0 || config.heartbeatIntervalMillis() > 0) {
      ch.pipeline().addLast(new IdleStateHandler(
          config.idleTimeoutMillis(), config.heartbeatIntervalMillis(), 0, TimeUnit.MILLISECONDS));
    }
    ch.pipeline().addLast(decoder, conn);
  }

  /**
   * A connection closed, failed to connect or was refused. Clears it from its peer and, if
   * envelopes are waiting and nothing else is under way, schedules a redial after the backoff.
   * Idempotent per connection.
   */
  void connectionLost(Connection conn) {
    Peer peer = conn.peer;
    if (peer == null) {
      return; // accepted, never identified itself
    }
    boolean wasEstablished = false;
    boolean dialFailed = false;
    synchronized (peer) {
      if (conn.lostHandled) {
        return;
      }
      conn.lostHandled = true;
      if (peer.established == conn) {
        peer.established = null;
        wasEstablished = conn.wasEstablished;
      }
      if (peer.dialing == conn) {
        peer.dialing = null;
        dialFailed = true;
        peer.consecutiveFailures++;
      }
      scheduleRedialIfNeeded(peer);
    }
    if (dialFailed) {
      counters.increment(Counter.CONNECT_ATTEMPTS_FAILED);
    }
    if (wasEstablished) {
      counters.increment(Counter.CONNECTIONS_CLOSED);
      if (!closed) {
        log.info("node {}: connection with {} closed", nodeId, conn.describe());
      }
    }
  }

  /** Caller holds the peer's monitor. */
  private void scheduleRedialIfNeeded(Peer peer) {
    if (closed || peer.queue.isEmpty() || peer.established != null || peer.dialing != null || peer.reconnectTimer != null) {
      return;
    }
    long delayMillis;
    synchronized (random) {
      delayMillis = backoff.delayMillis(peer.consecutiveFailures, random);
    }
    try {
      peer.reconnectTimer = group.next().schedule(() -> redial(peer), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      peer.reconnectTimer = null; // shutting down
    }
  }

  private void redial(Peer peer) {
    Connection dial = null;
    synchronized (peer) {
      peer.reconnectTimer = null;
      if (!closed && peer.established == null && peer.dialing == null && !peer.queue.isEmpty()) {
        dial = newDial(peer);
      }
    }
    if (dial != null) {
      connect(dial);
    }
  }

  // ---- the handshake ----

  Frame.Hello hello(long peerNodeId) {
    return new Frame.Hello(nodeId, incarnation, peerNodeId, config.bus().versions(), config.bus().maxFrameBytes());
  }

  private Frame.Welcome welcome(long peerNodeId) {
    return new Frame.Welcome(nodeId, incarnation, peerNodeId, config.bus().versions(), config.bus().maxFrameBytes());
  }

  /**
   * The acceptor's decision, on the new connection's event loop. At most one connection per pair
   * survives: see the package documentation for the rules.
   */
  void onHello(Connection conn, Frame.Hello hello) {
    String from = "node " + hello.nodeId() + " at " + conn.channel.remoteAddress();
    if (closed) {
      refuse(conn, Frame.RefusalReason.UNAVAILABLE, "node " + nodeId + " is stopping");
      return;
    }
    if (hello.expectedPeerNodeId() != nodeId || hello.nodeId() == nodeId) {
      log.warn("node {}: refusing {}: it expected node {} at this address", nodeId, from, hello.expectedPeerNodeId());
      refuse(conn, Frame.RefusalReason.WRONG_NODE, "this is node " + nodeId + ", not node " + hello.expectedPeerNodeId());
      return;
    }
    if (!hello.versions().overlaps(config.bus().versions())) {
      log.warn("node {}: refusing {}: its versions {} do not overlap ours {}", nodeId, from, hello.versions(),
          config.bus().versions());
      refuse(conn, Frame.RefusalReason.INCOMPATIBLE_VERSION,
          "node " + nodeId + " supports versions " + config.bus().versions() + ", you " + hello.versions());
      return;
    }
    if (hello.maxFrameBytes() < MessageBusConfig.MIN_MAX_FRAME_BYTES) {
      conn.protocolViolation("Hello announcing frames of at most " + hello.maxFrameBytes() + " bytes");
      return;
    }
    Peer peer = peerFor(hello.nodeId());
    if (peer == null) {
      refuse(conn, Frame.RefusalReason.UNAVAILABLE, "node " + nodeId + " is at its bound of " + config.maxPeers() + " peers");
      return;
    }
    Connection.Handshake handshake =
        new Connection.Handshake(hello.nodeId(), hello.incarnation(), hello.versions(), hello.maxFrameBytes());
    Connection replaced = null;
    Connection abandoned = null;
    boolean duplicate = false;
    synchronized (peer) {
      if (peer.dialing != null) {
        // Both dialed at once: the connection dialed by the lower node id wins on both sides.
        if (nodeId < hello.nodeId()) {
          duplicate = true;
        } else {
          abandoned = peer.dialing;
          peer.dialing = null;
        }
      } else if (peer.established != null) {
        Connection current = peer.established;
        boolean sameIncarnation = current.peerHandshake != null && current.peerHandshake.incarnation() == hello.incarnation();
        if (sameIncarnation && current.dialer && nodeId < hello.nodeId()) {
          duplicate = true; // the lower node's connection is up; the peer drops its dial when ours reaches it
        } else {
          replaced = current; // the peer restarted, or lost its side of this connection and redialed
        }
      }
      if (!duplicate) {
        peer.established = conn;
        conn.welcomePending(peer, handshake);
        if (peer.reconnectTimer != null) {
          peer.reconnectTimer.cancel(false);
          peer.reconnectTimer = null;
        }
      }
    }
    if (duplicate) {
      log.debug("node {}: refusing a second connection from {}: the one dialed by the lower id wins", nodeId, from);
      refuse(conn, Frame.RefusalReason.DUPLICATE_CONNECTION, "node " + nodeId + " keeps the connection the lower node id dialed");
      return;
    }
    if (abandoned != null) {
      abandoned.abandon();
    }
    if (replaced == null) {
      sendWelcome(conn);
    } else {
      log.info("node {}: {} replaces the connection {}", nodeId, from, replaced.describe());
      // Welcome only once the old connection is closed: nothing it still held can then be
      // delivered after what comes on the new one, which keeps the per-pair order.
      replaced.channel.close().addListener(f -> {
        try {
          conn.channel.eventLoop().execute(() -> sendWelcome(conn));
        } catch (RejectedExecutionException e) {
          conn.channel.close();
        }
      });
    }
  }

  private void refuse(Connection conn, Frame.RefusalReason reason, String message) {
    counters.increment(Counter.HANDSHAKES_REFUSED);
    conn.refuse(reason, message);
  }

  private void sendWelcome(Connection conn) {
    Peer peer = conn.peer;
    synchronized (peer) {
      if (peer.established != conn || closed || !conn.channel.isActive()) {
        conn.channel.close();
        return;
      }
    }
    conn.write(welcome(peer.nodeId));
    becomeReady(peer, conn, conn.peerHandshake);
  }

  /** The dialer's side: the acceptor welcomed us. On the connection's event loop. */
  void onWelcome(Connection conn, Frame.Welcome welcome) {
    Peer peer = conn.peer;
    if (welcome.nodeId() != peer.nodeId || welcome.expectedPeerNodeId() != nodeId) {
      counters.increment(Counter.HANDSHAKES_REFUSED);
      log.warn("node {}: dialed node {} at {} but node {} answered (for node {}); closing", nodeId, peer.nodeId,
          conn.channel.remoteAddress(), welcome.nodeId(), welcome.expectedPeerNodeId());
      conn.channel.close();
      return;
    }
    if (!welcome.versions().overlaps(config.bus().versions()) || welcome.maxFrameBytes() < MessageBusConfig.MIN_MAX_FRAME_BYTES) {
      counters.increment(Counter.HANDSHAKES_REFUSED);
      log.warn("node {}: node {} welcomed us with versions {} and frames of {} bytes, which we cannot use (ours: {}); closing",
          nodeId, peer.nodeId, welcome.versions(), welcome.maxFrameBytes(), config.bus().versions());
      conn.channel.close();
      return;
    }
    synchronized (peer) {
      if (peer.dialing != conn || closed) {
        conn.channel.close(); // abandoned for an accepted connection meanwhile
        return;
      }
      peer.dialing = null;
      peer.established = conn;
    }
    becomeReady(peer, conn,
        new Connection.Handshake(welcome.nodeId(), welcome.incarnation(), welcome.versions(), welcome.maxFrameBytes()));
  }

  private void becomeReady(Peer peer, Connection conn, Connection.Handshake handshake) {
    conn.established(handshake);
    synchronized (peer) {
      if (peer.established != conn) {
        return;
      }
      conn.ready = true;
      peer.consecutiveFailures = 0;
      if (peer.reconnectTimer != null) {
        peer.reconnectTimer.cancel(false);
        peer.reconnectTimer = null;
      }
    }
    counters.increment(Counter.CONNECTIONS_ESTABLISHED);
    log.info("node {}: connected with {}, versions {}", nodeId, conn.describe(), handshake.versions());
    scheduleDrain(peer);
  }

  void onRefused(Connection conn, Frame.Refusal refusal) {
    counters.increment(Counter.HANDSHAKES_REFUSED);
    if (refusal.reason() == Frame.RefusalReason.DUPLICATE_CONNECTION) {
      log.debug("node {}: {} refused our dial: {}", nodeId, conn.describe(), refusal.message());
    } else {
      log.warn("node {}: {} refused our connection: {}: {}", nodeId, conn.describe(), refusal.reason(), refusal.message());
    }
  }

  // ---- receiving ----

  /** Every frame counts, handshakes and heartbeats included, so both ends' figures match. */
  void countFrameSent(int frameBytes) {
    counters.increment(Counter.FRAMES_SENT);
    counters.add(Counter.BYTES_SENT, frameBytes);
  }

  void countFrameReceived(int frameBytes) {
    counters.increment(Counter.FRAMES_RECEIVED);
    counters.add(Counter.BYTES_RECEIVED, frameBytes);
  }

  void countFrameError(FrameException.Kind kind) {
    counters.increment(TransportCounters.of(kind));
  }

  /** Hands a verified batch to the handler, on the connection's event loop. */
  void deliver(Connection conn, List<Envelope> envelopes) {
    Peer peer = conn.peer;
    synchronized (peer) {
      if (peer.established != conn) {
        return; // a replaced connection's last bytes: its successor carries on
      }
    }
    if (!conn.addressedCorrectly(envelopes)) {
      return;
    }
    for (Envelope envelope : envelopes) {
      if (closed) {
        return;
      }
      counters.increment(Counter.ENVELOPES_RECEIVED);
      try {
        handler.receive(envelope);
      } catch (RuntimeException e) {
        counters.increment(Counter.HANDLER_FAILURES);
        long failures = counters.get(Counter.HANDLER_FAILURES);
        if (Long.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th...: loud without flooding
          log.warn("node {}: inbound handler failed on {} ({} failures so far)", nodeId, envelope, failures, e);
        }
      }
    }
  }

  // ---- state ----

  @Override
  public boolean isConnected(long peerNodeId) {
    Peer peer = peers.get(peerNodeId);
    if (peer == null || closed) {
      return false;
    }
    synchronized (peer) {
      return peer.ready();
    }
  }

  @Override
  public Optional<VersionRange> peerVersions(long peerNodeId) {
    Peer peer = peers.get(peerNodeId);
    if (peer == null || closed) {
      return Optional.empty();
    }
    synchronized (peer) {
      return peer.ready() ? Optional.of(peer.established.peerHandshake.versions()) : Optional.empty();
    }
  }

  @Override
  public TransportStats stats() {
    return counters.snapshot();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      serverChannel.close();
      long dropped = 0;
      for (Peer peer : peers.values()) {
        synchronized (peer) {
          if (peer.reconnectTimer != null) {
            peer.reconnectTimer.cancel(false);
            peer.reconnectTimer = null;
          }
          dropped += peer.queue.clear();
        }
      }
      counters.add(Counter.DROPPED_UNDELIVERABLE, dropped);
      for (Channel channel : channels) {
        channel.close();
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      log.info("node {}: transport stopped", nodeId);
    }
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return; // called from a handler: the loops end once it returns
      }
    }
    group.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "TcpMessageBus[node " + nodeId + " on " + serverChannel.localAddress() + (closed ? ", closed" : "") + "]";
  }
}
