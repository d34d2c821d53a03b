/**
 * Calls between roles in different processes: request/response over the {@code MessageBus}, and
 * the remote forms of the role services (DESIGN.md section 2: "roles talk only through protocol
 * messages"; issue 5: one connection per node pair carrying batched, checksummed, versioned
 * messages).
 *
 * <ol>
 *   <li>{@link io.flywheel.rpc.RpcEndpoint}: one per node; correlates answers with calls by
 *       incarnation and call id, bounds calls in flight per peer both ways, times calls out through
 *       an injected {@code Scheduler} and {@code Clock}, and answers in the request's format
 *       version;
 *   <li>{@link io.flywheel.rpc.RpcException}: what the RPC layer itself can fail with, typed and
 *       marked retryable or not; the services' own failures cross as themselves;
 *   <li>{@link io.flywheel.rpc.RemoteStorageNode} / {@link io.flywheel.rpc.StorageNodeServer}: a
 *       {@code StorageNodeService} in another process, and the adapter that serves a local one.
 * </ol>
 *
 * <p>Rules: no threads, clocks or randomness of its own (all injected, as in every logic module);
 * nothing blocks a transport thread (decoding of bodies, handlers and completions run on the
 * injected executor); every wait has a deadline and every table a bound. The embedded single-JVM
 * server does not use this package: it calls its storage node directly, so the hot path has no
 * serialization (see docs/benchmarks.md, "Protocol codec", for what it would cost).
 */
package io.flywheel.rpc;
