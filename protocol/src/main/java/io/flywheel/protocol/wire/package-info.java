/**
 * The protocol on the wire: how the messages of {@code io.flywheel.protocol} travel between
 * processes in the envelopes of a {@code MessageBus}.
 *
 * <ul>
 *   <li>{@link io.flywheel.protocol.wire.MessageKind}: the one registry of envelope kinds;
 *   <li>{@link io.flywheel.protocol.wire.WireVersion}: format versions and the upgrade/downgrade
 *       rule (read the previous format, write what the peer reads, answer in the request's
 *       version, never guess);
 *   <li>{@link io.flywheel.protocol.wire.StorageNodeMessages}: an {@link
 *       io.flywheel.protocol.wire.RpcMethod} with request and response codecs for every method of
 *       {@link io.flywheel.protocol.StorageNodeService};
 *   <li>{@link io.flywheel.protocol.wire.ErrorCodec}: typed failures (DynamoDB errors with their
 *       payloads, routing errors) that cross the wire as the same exceptions.
 * </ul>
 *
 * <p>Rules: messages are plain data (records, typed expression trees), never code; expression
 * trees are parsed once, at the router, and only evaluated by storage nodes; decoding is strict and
 * bounded — counts are bounded by the bytes left, trees by a nesting limit, and anything malformed
 * is a {@link io.flywheel.base.CorruptDataException}. The whole message is bounded by the
 * transport's frame limit; the envelope's CRC32C covers it.
 */
package io.flywheel.protocol.wire;
