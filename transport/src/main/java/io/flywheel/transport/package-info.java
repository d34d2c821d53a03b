/**
 * How nodes talk to each other (DESIGN.md section 2 and section 4, "one connection per node pair;
 * messages to one node batched"): the {@link io.flywheel.transport.MessageBus} SPI that storage
 * nodes, metadata and routers send {@code protocol} messages through, its wire format, and an
 * in-process implementation.
 *
 * <p>What a bus carries: {@link io.flywheel.transport.Envelope}s addressed by node id, with a
 * version and a kind the caller owns and an opaque payload. What it promises ({@link
 * io.flywheel.transport.MessageBus}): per (source, destination) pair, delivery at most once and in
 * send order; loss when connections break or bounds are hit, never duplication or reordering; a
 * {@code send} that never blocks. The replication layer is built for exactly that network: it
 * retransmits, and ballots make stale messages harmless.
 *
 * <p>The pieces:
 *
 * <ol>
 *   <li>{@link io.flywheel.transport.FrameCodec}: length-prefixed frames, each one CRC32C over all
 *       its bytes, carrying a handshake or a batch of envelopes ({@link
 *       io.flywheel.transport.Frame});
 *   <li>the handshake: magic, node id, incarnation, supported {@link
 *       io.flywheel.transport.VersionRange} and frame limit; peers whose ranges do not overlap are
 *       refused;
 *   <li>{@link io.flywheel.transport.EnvelopeQueue}: the per-destination queue, bounded in
 *       envelopes and bytes, drained one frame's worth at a time;
 *   <li>{@link io.flywheel.transport.LocalMessageHub} / {@link
 *       io.flywheel.transport.LocalMessageBus}: buses in one JVM for the embedded mode and tests;
 *       the TCP implementation lives in {@code transport-tcp};
 *   <li>{@code MessageBusContract} (test jar): the behaviour every implementation must pass.
 * </ol>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>JDK and {@code base} only: no Netty, no threads of its own (the in-process bus runs on the
 *       executor its owner supplies), no clock reads, no randomness;
 *   <li>every bound is a named field of {@link io.flywheel.transport.MessageBusConfig}; a full
 *       queue refuses, it never blocks or grows;
 *   <li>bad bytes from a peer (checksum, unknown version, oversized or malformed frame) are a
 *       {@link io.flywheel.transport.FrameException}: counted in {@link
 *       io.flywheel.transport.TransportStats}, logged, and the connection is closed. Never a silent
 *       skip, never a crash of the process;
 *   <li>handlers run on transport threads and must not block ({@link
 *       io.flywheel.transport.InboundHandler} states the threading contract).
 * </ul>
 */
package io.flywheel.transport;
