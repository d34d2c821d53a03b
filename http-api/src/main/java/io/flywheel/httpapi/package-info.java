/**
 * The DynamoDB endpoint: JSON 1.0 over HTTP/1.1 on Netty.
 *
 * <p>Pipeline of one connection: {@code HttpServerCodec} → {@link
 * io.flywheel.httpapi.BoundedBodyAggregator} (whole bodies up to the request limit; a larger body
 * is read and discarded, then answered with 413, so the connection stays usable) → {@link
 * io.flywheel.httpapi.DynamoHttpHandler}, whose stages each have one job: check method and content
 * type; resolve {@code X-Amz-Target} to an operation; authenticate (SigV4, {@code auth}); parse the
 * body against the operation's shape and validate its constraints ({@code json}); call the {@link
 * io.flywheel.router.Router}; encode the result or the DynamoDB error, with {@code
 * x-amzn-RequestId} and {@code x-amz-crc32}.
 *
 * <p>Rules: no routing or storage logic here; every failure becomes a DynamoDB error response,
 * never a dropped connection; router completions hop back to the connection's event loop before
 * encoding.
 */
package io.flywheel.httpapi;
