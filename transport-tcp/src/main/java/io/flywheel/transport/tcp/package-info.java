/**
 * The {@link io.flywheel.transport.MessageBus} over TCP with Netty (DESIGN.md section 4, "one
 * connection per node pair; messages to one node batched"). The only module besides {@code
 * http-api} that imports Netty.
 *
 * <h2>Who dials, and the one connection per pair</h2>
 *
 * Either node dials, lazily: the first {@code send} to a node with no connection and no dial under
 * way dials it, at the address the {@link io.flywheel.transport.tcp.NodeAddressResolver} gives at
 * that moment (so membership can change). The dialer sends {@code Hello} (magic, node id,
 * incarnation, the node id it expects to reach, version range, frame limit); the acceptor answers
 * {@code Welcome} or {@code Refusal} (incompatible versions, wrong node, duplicate, unavailable),
 * logged on both sides. When two connections between the same pair meet, the acceptor keeps one
 * by these rules ({@link io.flywheel.transport.tcp.TcpMessageBus#onHello}):
 *
 * <ol>
 *   <li>both dialed at once: the connection dialed by the <b>lower node id</b> wins; the higher
 *       node gives up its own dial, the lower one refuses the higher one's as a duplicate;
 *   <li>a Hello from a peer already connected with a different incarnation: the peer restarted,
 *       the new connection replaces the old;
 *   <li>a Hello from a peer already connected with the same incarnation: the peer lost its side of
 *       the connection and redials; it replaces the old one, except when the old one was dialed
 *       by this (lower) node, which is the tail of case 1 and refused as a duplicate. A truly
 *       half-open old connection then dies by the idle timeout.
 * </ol>
 *
 * A replacing connection is welcomed only after the old one has closed on its event loop, and a
 * connection that is not its peer's current one delivers nothing; so a receiver never handles an
 * envelope of the old connection after one of the new: the per-pair order holds across
 * replacements.
 *
 * <h2>Sending: queue, batch, backpressure</h2>
 *
 * {@code send} appends to the destination's bounded {@link io.flywheel.transport.EnvelopeQueue}
 * (refusing when full) and schedules one drain task on the connection's event loop if none is
 * pending. The drain takes everything queued, one frame's worth at a time, writes the frames and
 * flushes once: all that was queued during one event-loop turn leaves in one write. It stops when
 * Netty reports the connection unwritable (above {@code writeBufferHighWaterMarkBytes}) and
 * resumes when it is writable again, so a slow receiver fills the bounded queue and then {@code
 * send} refuses. Memory per peer stays below {@code maxQueuedBytesPerPeer} + the high watermark +
 * one frame. Envelopes whose version the connected peer lacks, or too large for its frame limit,
 * are dropped at the sender and counted.
 *
 * <h2>Reconnecting</h2>
 *
 * When a connection closes or a dial fails and envelopes are waiting, the peer is redialed after a
 * {@link io.flywheel.transport.tcp.ReconnectBackoff} delay: exponential from {@code
 * initialReconnectDelayMillis} to {@code maxReconnectDelayMillis}, with jitter from the injected
 * {@link io.flywheel.base.RandomSource}; a completed handshake resets it. A node the resolver no
 * longer knows has its queue dropped (counted) and further sends refused. Heartbeat frames go out
 * on connections idle for {@code heartbeatIntervalMillis}; a connection silent for {@code
 * idleTimeoutMillis} is closed as dead.
 *
 * <h2>Threading</h2>
 *
 * The bus owns {@code ioThreads} event loops made by the caller's {@link
 * java.util.concurrent.ThreadFactory}. A connection lives on one loop: it reads, verifies
 * (length, CRC32C, versions), runs the inbound handler (see {@link
 * io.flywheel.transport.InboundHandler}), encodes and writes there. {@code send} may be called
 * from any thread and never blocks. Per-peer state is guarded by the peer's monitor, held only for
 * short, non-blocking sections.
 *
 * <h2>Errors</h2>
 *
 * A frame with a bad checksum, an unknown envelope version, an oversized length (checked before
 * buffering, against a 1 KiB limit until the handshake completes) or a broken structure closes
 * that connection, is counted in {@link io.flywheel.transport.TransportStats} and logged with the
 * peer's identity; other connections are not affected and the process never stops for it.
 *
 * <h2>Not yet</h2>
 *
 * Connections are neither encrypted nor authenticated: any process that speaks the handshake is
 * accepted. TLS (Netty's {@code SslHandler} in front of the decoder) and node identity (mutual TLS
 * certificates naming node ids) come with the cluster deployment work.
 */
package io.flywheel.transport.tcp;
