package io.flywheel.transport.tcp;

import io.flywheel.transport.Envelope;
import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.FrameException;
import io.flywheel.transport.VersionRange;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection's handler: the last stage of its pipeline (idle detection, {@link
 * FrameDecoder}, this). It runs the handshake, hands verified batches to the bus, and reports
 * anything wrong (counted, logged, connection closed). Every method runs on the connection's event
 * loop; the fields the bus reads from other threads are volatile or set before publication.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  enum State { AWAITING_HELLO, AWAITING_WELCOME, WELCOME_PENDING, ESTABLISHED, CLOSED }

  private final TcpMessageBus bus;
  private final FrameDecoder decoder;
  /** True if this node dialed. */
  final boolean dialer;
  /** Known from the start for a dial; set by the handshake for an accepted connection. */
  volatile Peer peer;
  /** What the peer announced in its handshake. */
  volatile Handshake peerHandshake;
  /** Envelopes may be written (the Welcome went out or came in). */
  volatile boolean ready;
  /** The peer refused our handshake (a failed attempt for the backoff). */
  volatile boolean refused;
  volatile Channel channel;
  /** The handshake completed at some point (for counting closes). */
  volatile boolean wasEstablished;
  /** connectionLost ran for this connection; guarded by the peer's monitor. */
  boolean lostHandled;
  /** A dial of ours given up for the peer's own connection (the tie-break). */
  private volatile boolean abandoned;
  private State state;
  private boolean failureReported;
  private ScheduledFuture<?> handshakeTimer;

  /** The facts of a Hello or Welcome. */
  record Handshake(long nodeId, long incarnation, VersionRange versions, int maxFrameBytes) {}

  Connection(TcpMessageBus bus, FrameDecoder decoder, Peer dialedPeer) {
    this.bus = bus;
    this.decoder = decoder;
    this.dialer = dialedPeer != null;
    this.peer = dialedPeer;
    this.state = dialer ? State.AWAITING_WELCOME : State.AWAITING_HELLO;
  }

  State state() {
    return state;
  }

  FrameDecoder decoder() {
    return decoder;
  }

  /** Gives up this dial: the peer's connection won the tie-break. Any thread. */
  void abandon() {
    abandoned = true;
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }

  boolean abandoned() {
    return abandoned;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    if (abandoned) {
      ctx.close();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    handshakeTimer = ctx.executor().schedule(() -> {
      if (state != State.ESTABLISHED && state != State.CLOSED) {
        bus.log().warn("node {}: handshake with {} not done after {} ms; closing", bus.localNodeId(),
            describe(), bus.tcpConfig().handshakeTimeoutMillis());
        ctx.close();
      }
    }, bus.tcpConfig().handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    if (dialer) {
      write(bus.hello(peer.nodeId));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    FrameDecoder.Decoded decoded = (FrameDecoder.Decoded) msg;
    bus.countFrameReceived(decoded.frameBytes());
    Frame frame = decoded.frame();
    switch (state) {
      case AWAITING_HELLO -> {
        if (frame instanceof Frame.Hello hello) {
          bus.onHello(this, hello);
        } else {
          protocolViolation(frame + " before the handshake");
        }
      }
      case AWAITING_WELCOME -> {
        switch (frame) {
          case Frame.Welcome welcome -> bus.onWelcome(this, welcome);
          case Frame.Refusal refusal -> {
            refused = true;
            bus.onRefused(this, refusal);
            ctx.close();
          }
          default -> protocolViolation(frame + " before the handshake");
        }
      }
      case ESTABLISHED -> {
        switch (frame) {
          case Frame.Batch batch -> bus.deliver(this, batch.envelopes());
          case Frame.Heartbeat heartbeat -> { }
          default -> protocolViolation(frame + " after the handshake");
        }
      }
      case WELCOME_PENDING -> protocolViolation(frame + " before our Welcome");
      case CLOSED -> { }
    }
  }

  /** Moves to ESTABLISHED: larger frames may come now. Called on this connection's event loop. */
  void established(Handshake handshake) {
    peerHandshake = handshake;
    state = State.ESTABLISHED;
    wasEstablished = true;
    decoder.handshakeDone(bus.config().maxFrameBytes());
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
  }

  /** The acceptor decided to accept and waits for a replaced connection to close first. */
  void welcomePending(Peer acceptedPeer, Handshake handshake) {
    peer = acceptedPeer;
    peerHandshake = handshake;
    state = State.WELCOME_PENDING;
  }

  /** Writes a control frame and flushes. */
  void write(Frame frame) {
    byte[] bytes = FrameCodec.encode(frame);
    bus.countFrameSent(bytes.length);
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
  }

  /** Refuses the peer's handshake: tell it why, then close. */
  void refuse(Frame.RefusalReason reason, String message) {
    state = State.CLOSED;
    byte[] bytes = FrameCodec.encode(new Frame.Refusal(reason, message));
    bus.countFrameSent(bytes.length);
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
  }

  /** The peer broke the protocol with frames that decoded fine: count, log, close. */
  void protocolViolation(String what) {
    fail(new FrameException(FrameException.Kind.MALFORMED, what));
  }

  private void fail(FrameException e) {
    if (!failureReported) {
      failureReported = true;
      bus.countFrameError(e.kind());
      bus.log().warn("node {}: closing the connection with {}: {}", bus.localNodeId(), describe(), e.getMessage());
    }
    state = State.CLOSED;
    channel.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof FrameException frameError) {
        fail(frameError);
        return;
      }
    }
    bus.log().debug("node {}: connection with {} failed: {}", bus.localNodeId(), describe(), cause.toString());
    state = State.CLOSED;
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent idle) {
      switch (idle.state()) {
        case READER_IDLE -> {
          bus.log().warn("node {}: nothing read from {} for {} ms; closing it as dead", bus.localNodeId(), describe(),
              bus.tcpConfig().idleTimeoutMillis());
          ctx.close();
        }
        case WRITER_IDLE -> {
          if (state == State.ESTABLISHED) {
            write(new Frame.Heartbeat());
          }
        }
        case ALL_IDLE -> { }
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && ready) {
      bus.scheduleDrain(peer);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    ready = false;
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    bus.connectionLost(this);
    ctx.fireChannelInactive();
  }

  /** "node 7 at /10.0.0.7:7100 (dialed)", for log lines. */
  String describe() {
    Peer p = peer;
    Handshake h = peerHandshake;
    String who = p != null ? "node " + p.nodeId : h != null ? "node " + h.nodeId() : "an unidentified peer";
    Channel c = channel;
    return who + " at " + (c == null ? "?" : c.remoteAddress()) + (dialer ? " (dialed)" : " (accepted)");
  }

  /** Whether every envelope of a batch is from this connection's peer to this node. */
  boolean addressedCorrectly(List<Envelope> envelopes) {
    long from = peer.nodeId;
    for (Envelope e : envelopes) {
      if (e.sourceNodeId() != from || e.destinationNodeId() != bus.localNodeId()) {
        protocolViolation(e + " on the connection from node " + from + " to node " + bus.localNodeId());
        return false;
      }
    }
    return true;
  }
}
