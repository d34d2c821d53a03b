package io.flywheel.transport.tcp;

import io.flywheel.base.Invariants;
import io.flywheel.transport.MessageBusConfig;

/**
 * Tunables of the TCP bus, on top of the bounds every bus has.
 *
 * @param bus frame limit, per-peer queue bounds and versions
 * @param listenHost address to accept connections on
 * @param listenPort port to accept on; 0 picks a free one ({@link TcpMessageBus#listenPort()})
 * @param ioThreads Netty event loops: they read, decode, run the inbound handler, encode and write
 * @param connectTimeoutMillis a dial that has not connected by then fails (and backs off)
 * @param handshakeTimeoutMillis a connection whose handshake has not completed by then is closed
 * @param initialReconnectDelayMillis backoff step after the first failure; it doubles per failure
 * @param maxReconnectDelayMillis the cap of the backoff step
 * @param heartbeatIntervalMillis an established connection with nothing written for this long
 *     sends a heartbeat frame; 0 disables heartbeats
 * @param idleTimeoutMillis a connection with nothing read for this long is closed as dead (a
 *     half-open connection otherwise blocks its pair until TCP gives up); 0 disables. Must exceed
 *     the heartbeat interval
 * @param writeBufferLowWaterMarkBytes a connection becomes writable again below this
 * @param writeBufferHighWaterMarkBytes a connection stops taking frames from its queue above this:
 *     Netty's writability is the backpressure that leaves envelopes in the bounded queue
 * @param frameTargetBytes a drain closes a batch frame once the next envelope would take it past
 *     this size, so the receiver can start on a batch before the sender has written everything
 *     queued; a single larger envelope still travels alone, up to {@code maxFrameBytes}
 * @param maxPeers distinct nodes this bus keeps state for (queues and connections)
 * @param preferNativeTransport use epoll where available, NIO otherwise
 */
public record TcpTransportConfig(
    MessageBusConfig bus,
    String listenHost,
    int listenPort,
    int ioThreads,
    int connectTimeoutMillis,
    int handshakeTimeoutMillis,
    int initialReconnectDelayMillis,
    int maxReconnectDelayMillis,
    int heartbeatIntervalMillis,
    int idleTimeoutMillis,
    int writeBufferLowWaterMarkBytes,
    int writeBufferHighWaterMarkBytes,
    int frameTargetBytes,
    int maxPeers,
    boolean preferNativeTransport) {

  public TcpTransportConfig {
    Invariants.checkNotNull(bus, "bus");
    Invariants.checkNotNull(listenHost, "listenHost");
    Invariants.checkArgument(listenPort >= 0 && listenPort <= 65535, "listenPort in [0, 65535]");
    Invariants.checkArgument(ioThreads >= 1, "ioThreads >= 1");
    Invariants.checkArgument(connectTimeoutMillis >= 1, "connectTimeoutMillis >= 1");
    Invariants.checkArgument(handshakeTimeoutMillis >= 1, "handshakeTimeoutMillis >= 1");
    Invariants.checkArgument(initialReconnectDelayMillis >= 1, "initialReconnectDelayMillis >= 1");
    Invariants.checkArgument(maxReconnectDelayMillis >= initialReconnectDelayMillis,
        "maxReconnectDelayMillis >= initialReconnectDelayMillis");
    Invariants.checkArgument(heartbeatIntervalMillis >= 0, "heartbeatIntervalMillis >= 0");
    Invariants.checkArgument(idleTimeoutMillis == 0 || idleTimeoutMillis > heartbeatIntervalMillis,
        "idleTimeoutMillis is 0 or exceeds heartbeatIntervalMillis");
    Invariants.checkArgument(writeBufferLowWaterMarkBytes >= 1, "writeBufferLowWaterMarkBytes >= 1");
    Invariants.checkArgument(writeBufferHighWaterMarkBytes >= writeBufferLowWaterMarkBytes,
        "writeBufferHighWaterMarkBytes >= writeBufferLowWaterMarkBytes");
    Invariants.checkArgument(frameTargetBytes >= 1 && frameTargetBytes <= bus.maxFrameBytes(),
        "frameTargetBytes in [1, maxFrameBytes]");
    Invariants.checkArgument(maxPeers >= 1, "maxPeers >= 1");
  }

  /**
   * One event loop; reconnects from 50 ms doubling to 5 s; heartbeats each second and a dead
   * connection noticed after 10 s without a byte; 256 KiB / 1 MiB write watermarks; frames of
   * about 1 MiB.
   */
  public static TcpTransportConfig defaults(String listenHost, int listenPort) {
    return new TcpTransportConfig(MessageBusConfig.defaults(), listenHost, listenPort, 1, 2_000, 5_000, 50, 5_000,
        1_000, 10_000, 256 * 1024, 1024 * 1024, 1024 * 1024, 1024, true);
  }

  public TcpTransportConfig withBus(MessageBusConfig newBus) {
    return new TcpTransportConfig(newBus, listenHost, listenPort, ioThreads, connectTimeoutMillis, handshakeTimeoutMillis,
        initialReconnectDelayMillis, maxReconnectDelayMillis, heartbeatIntervalMillis, idleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, Math.min(frameTargetBytes, newBus.maxFrameBytes()), maxPeers,
        preferNativeTransport);
  }

  public TcpTransportConfig withListenPort(int newListenPort) {
    return new TcpTransportConfig(bus, listenHost, newListenPort, ioThreads, connectTimeoutMillis, handshakeTimeoutMillis,
        initialReconnectDelayMillis, maxReconnectDelayMillis, heartbeatIntervalMillis, idleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, frameTargetBytes, maxPeers, preferNativeTransport);
  }

  public TcpTransportConfig withReconnectDelaysMillis(int newInitialMillis, int newMaxMillis) {
    return new TcpTransportConfig(bus, listenHost, listenPort, ioThreads, connectTimeoutMillis, handshakeTimeoutMillis,
        newInitialMillis, newMaxMillis, heartbeatIntervalMillis, idleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, frameTargetBytes, maxPeers, preferNativeTransport);
  }

  public TcpTransportConfig withLiveness(int newHandshakeTimeoutMillis, int newHeartbeatIntervalMillis, int newIdleTimeoutMillis) {
    return new TcpTransportConfig(bus, listenHost, listenPort, ioThreads, connectTimeoutMillis, newHandshakeTimeoutMillis,
        initialReconnectDelayMillis, maxReconnectDelayMillis, newHeartbeatIntervalMillis, newIdleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, frameTargetBytes, maxPeers, preferNativeTransport);
  }

  public TcpTransportConfig withFrameTargetBytes(int newFrameTargetBytes) {
    return new TcpTransportConfig(bus, listenHost, listenPort, ioThreads, connectTimeoutMillis, handshakeTimeoutMillis,
        initialReconnectDelayMillis, maxReconnectDelayMillis, heartbeatIntervalMillis, idleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, newFrameTargetBytes, maxPeers, preferNativeTransport);
  }

  public TcpTransportConfig withNativeTransport(boolean prefer) {
    return new TcpTransportConfig(bus, listenHost, listenPort, ioThreads, connectTimeoutMillis, handshakeTimeoutMillis,
        initialReconnectDelayMillis, maxReconnectDelayMillis, heartbeatIntervalMillis, idleTimeoutMillis,
        writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, frameTargetBytes, maxPeers, prefer);
  }
}
