package io.flywheel.rpc;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Clock;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.protocol.wire.ErrorCodec;
import io.flywheel.protocol.wire.MessageKind;
import io.flywheel.protocol.wire.RpcMethod;
import io.flywheel.protocol.wire.WireVersion;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.InboundHandler;
import io.flywheel.transport.MessageBus;
import io.flywheel.transport.VersionRange;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Request/response calls between nodes over a {@link MessageBus}: one endpoint per node, both the
 * caller of remote services and the server of local ones, since a bus has one inbound handler.
 *
 * <h2>Calls</h2>
 *
 * <p>{@link #call} encodes the request in the format version the peer reads ({@link
 * WireVersion#choose}), sends it in an envelope of the method's {@link MessageKind}, and returns a
 * future that completes with the decoded answer, the remote failure (the same typed exception the
 * service threw: see {@link ErrorCodec}), or an {@link RpcException}:
 *
 * <ul>
 *   <li>every call has a deadline ({@link RpcConfig#callTimeoutNanos()} unless given), armed on the
 *       injected {@link Scheduler} and checked against the injected {@link Clock}: an answer lost
 *       with a broken connection, or a peer that restarted and forgot the call, ends in {@link
 *       RpcException.Timeout} — a call never hangs;
 *   <li>at most {@link RpcConfig#inFlightCallsMaxPerPeer()} calls wait for one peer; more are refused
 *       at once with {@link RpcException.Overloaded}, which is retryable;
 *   <li>a call the bus refuses to send fails with {@link RpcException.Unavailable}.
 * </ul>
 *
 * <h2>Serving</h2>
 *
 * <p>{@link #serve} registers a handler per method. A request is decoded and handed to its handler
 * on the injected executor (never on the transport thread, which must not block), and the answer is
 * sent in the request's version (rule 3 of {@link WireVersion}). At most {@link
 * RpcConfig#servedCallsMaxPerPeer()} requests of one peer are served at once; more are answered
 * with overload before they run.
 *
 * <h2>Wire layout</h2>
 *
 * <pre>
 * request  (kind = the method's)  : incarnation:8  callId:varint  body
 * answer   (kind = RPC_RESPONSE)  : incarnation:8  callId:varint  status:1  body
 *   status OK          body = the method's response codec
 *          FAILED      body = ErrorCodec (a typed failure of the service)
 *          OVERLOADED  body = message      (served-calls bound; nothing ran)
 *          UNSUPPORTED body = message      (no handler for the kind)
 *          MALFORMED   body = message      (the request could not be read)
 * </pre>
 *
 * The incarnation is drawn from the injected {@link RandomSource} when the endpoint is made and
 * echoed in answers: after a restart a node's call ids start over, and an answer meant for its
 * previous incarnation (still queued at the peer) must not complete a new call.
 *
 * <p>Thread-safe. The bus and the endpoint are wired in two steps, as the bus needs its handler
 * first: make the endpoint, start the bus with it as handler, then {@link #attach} the bus.
 */
public final class RpcEndpoint implements InboundHandler, AutoCloseable {
  static final int STATUS_OK = 0;
  static final int STATUS_FAILED = 1;
  static final int STATUS_OVERLOADED = 2;
  static final int STATUS_UNSUPPORTED = 3;
  static final int STATUS_MALFORMED = 4;

  private final RpcConfig config;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor executor;
  private final long incarnation;
  private final AtomicReference<MessageBus> bus = new AtomicReference<>();
  private final AtomicLong nextCallId = new AtomicLong();
  private final ConcurrentHashMap<Long, Pending<?>> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, AtomicInteger> inFlightByPeer = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, AtomicInteger> servedByPeer = new ConcurrentHashMap<>();
  private final Map<MessageKind, Served<?, ?>> handlers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private final AtomicLong callsStarted = new AtomicLong();
  private final AtomicLong callsAnswered = new AtomicLong();
  private final AtomicLong callsTimedOut = new AtomicLong();
  private final AtomicLong callsRefusedOverloaded = new AtomicLong();
  private final AtomicLong callsUnsent = new AtomicLong();
  private final AtomicLong lateAnswers = new AtomicLong();
  private final AtomicLong requestsServed = new AtomicLong();
  private final AtomicLong requestsRefusedOverloaded = new AtomicLong();
  private final AtomicLong malformedInbound = new AtomicLong();
  private final AtomicLong answersUnsent = new AtomicLong();

  /** A call waiting for its answer. */
  private record Pending<R>(long callId, long peer, RpcMethod<?, R> method, int version, long deadlineNanos,
      CompletableFuture<R> future, AtomicReference<Scheduler.Cancellable> timer) {}

  private record Served<Q, R>(RpcMethod<Q, R> method, Function<Q, CompletableFuture<R>> handler) {}

  /**
   * @param executor runs handlers, encodes answers and completes callers' futures; callers' {@code
   *     then...} stages run there too unless they name their own
   */
  public RpcEndpoint(RpcConfig config, Clock clock, Scheduler scheduler, RandomSource random, Executor executor) {
    this.config = Invariants.checkNotNull(config, "config");
    this.clock = Invariants.checkNotNull(clock, "clock");
    this.scheduler = Invariants.checkNotNull(scheduler, "scheduler");
    this.executor = Invariants.checkNotNull(executor, "executor");
    this.incarnation = random.nextLong();
  }

  /** Sends and receives through {@code messageBus} from now on; once. */
  public void attach(MessageBus messageBus) {
    Invariants.checkNotNull(messageBus, "messageBus");
    Invariants.check(bus.compareAndSet(null, messageBus), "a bus is already attached");
  }

  public RpcConfig config() {
    return config;
  }

  /** Serves {@code method} with {@code handler}: one handler per method. */
  public <Q, R> void serve(RpcMethod<Q, R> method, Function<Q, CompletableFuture<R>> handler) {
    Invariants.checkArgument(method.kind() != MessageKind.RPC_RESPONSE, "answers are not a method");
    Served<?, ?> previous = handlers.putIfAbsent(method.kind(), new Served<>(method, handler));
    Invariants.check(previous == null, method.name() + " is already served");
  }

  /** Calls {@code method} on node {@code peer} with the default timeout. */
  public <Q, R> CompletableFuture<R> call(long peer, RpcMethod<Q, R> method, Q request) {
    return call(peer, method, request, config.callTimeoutNanos());
  }

  /** Calls {@code method} on node {@code peer}, giving up after {@code timeoutNanos}. */
  public <Q, R> CompletableFuture<R> call(long peer, RpcMethod<Q, R> method, Q request, long timeoutNanos) {
    Invariants.checkArgument(timeoutNanos > 0, "timeoutNanos > 0");
    MessageBus b = bus.get();
    Invariants.check(b != null, "no bus attached");
    if (closed) {
      return CompletableFuture.failedFuture(new RpcException.Unavailable("endpoint is closed", false));
    }
    AtomicInteger inFlight = inFlightByPeer.computeIfAbsent(peer, p -> new AtomicInteger());
    if (inFlight.incrementAndGet() > config.inFlightCallsMaxPerPeer()) {
      inFlight.decrementAndGet();
      callsRefusedOverloaded.incrementAndGet();
      return CompletableFuture.failedFuture(new RpcException.Overloaded(
          config.inFlightCallsMaxPerPeer() + " calls already in flight to node " + peer, false));
    }
    int version = versionFor(b, peer);
    if (version < 0) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new RpcException.Rejected("node " + peer + " reads no format version this node writes"));
    }
    long callId = nextCallId.incrementAndGet();
    byte[] payload;
    try {
      ByteWriter w = new ByteWriter(128);
      w.writeLong(incarnation).writeVarint(callId);
      method.request().write(w, request, version);
      payload = w.toByteArray();
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(e);
    }
    if (payload.length > b.config().maxPayloadBytes()) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new RpcException.Rejected(method.name() + " request of " + payload.length
          + " bytes exceeds the transport's " + b.config().maxPayloadBytes()));
    }
    CompletableFuture<R> future = new CompletableFuture<>();
    Pending<R> call = new Pending<>(callId, peer, method, version, clock.monotonicNanos() + timeoutNanos, future,
        new AtomicReference<>());
    pending.put(callId, call);
    call.timer().set(scheduler.schedule(timeoutNanos, () -> expire(call)));
    callsStarted.incrementAndGet();
    boolean sent;
    try {
      sent = b.send(new Envelope(version, method.kind().code(), b.localNodeId(), peer, payload));
    } catch (RuntimeException e) {
      sent = false;
    }
    if (!sent && finish(call)) {
      callsUnsent.incrementAndGet();
      completeExceptionally(future, new RpcException.Unavailable("the bus refused the " + method.name() + " call to node " + peer, false));
    }
    return future;
  }

  /** Calls waiting for an answer from {@code peer}. */
  public int inFlight(long peer) {
    AtomicInteger n = inFlightByPeer.get(peer);
    return n == null ? 0 : n.get();
  }

  public RpcStats stats() {
    return new RpcStats(callsStarted.get(), callsAnswered.get(), callsTimedOut.get(), callsRefusedOverloaded.get(),
        callsUnsent.get(), lateAnswers.get(), requestsServed.get(), requestsRefusedOverloaded.get(), malformedInbound.get(),
        answersUnsent.get());
  }

  /** The newest version both this node's bus and codecs and the peer read; -1 if none. */
  private static int versionFor(MessageBus b, long peer) {
    VersionRange local = b.config().versions();
    int low = Math.max(local.minVersion(), WireVersion.MIN);
    int high = Math.min(local.maxVersion(), WireVersion.MAX);
    if (low > high) {
      return -1;
    }
    Optional<VersionRange> theirs = b.peerVersions(peer);
    if (theirs.isEmpty()) {
      return low; // not connected yet: the oldest format this node writes (WireVersion, rule 2)
    }
    int version = Math.min(high, theirs.get().maxVersion());
    return version >= Math.max(low, theirs.get().minVersion()) ? version : -1;
  }

  /** Removes a call from the waiting ones; true for the one thread that gets to complete it. */
  private boolean finish(Pending<?> call) {
    if (!pending.remove(call.callId(), call)) {
      return false;
    }
    inFlightByPeer.get(call.peer()).decrementAndGet();
    Scheduler.Cancellable timer = call.timer().get();
    if (timer != null) {
      timer.cancel();
    }
    return true;
  }

  private void expire(Pending<?> call) {
    long left = call.deadlineNanos() - clock.monotonicNanos();
    if (left > 0 && pending.get(call.callId()) == call) {
      call.timer().set(scheduler.schedule(left, () -> expire(call))); // the scheduler ran early by our clock
      return;
    }
    if (finish(call)) {
      callsTimedOut.incrementAndGet();
      completeExceptionally(call.future(), new RpcException.Timeout(
          call.method().name() + " call to node " + call.peer() + " got no answer in time"));
    }
  }

  private <R> void completeExceptionally(CompletableFuture<R> future, Throwable error) {
    onExecutor(() -> future.completeExceptionally(error));
  }

  /** Runs {@code task} on the executor, or here when the executor no longer takes work (shutting down). */
  private void onExecutor(Runnable task) {
    try {
      executor.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      task.run();
    }
  }

  // ---- inbound ---------------------------------------------------------------------------------

  @Override
  public void receive(Envelope envelope) {
    if (closed) {
      return;
    }
    if (envelope.kind() == MessageKind.RPC_RESPONSE.code()) {
      receiveAnswer(envelope);
    } else {
      receiveRequest(envelope);
    }
  }

  private void receiveAnswer(Envelope envelope) {
    ByteReader r = new ByteReader(envelope.payload());
    long echoedIncarnation;
    long callId;
    int status;
    try {
      echoedIncarnation = r.readLong();
      callId = r.readVarint();
      status = r.readByte();
    } catch (CorruptDataException e) {
      malformedInbound.incrementAndGet();
      return;
    }
    Pending<?> call = echoedIncarnation == incarnation ? pending.get(callId) : null;
    if (call == null || call.peer() != envelope.sourceNodeId()) {
      lateAnswers.incrementAndGet();
      return;
    }
    if (!finish(call)) {
      lateAnswers.incrementAndGet();
      return;
    }
    callsAnswered.incrementAndGet();
    onExecutor(() -> completeFromAnswer(call, envelope.version(), status, r));
  }

  private <R> void completeFromAnswer(Pending<R> call, int version, int status, ByteReader r) {
    try {
      switch (status) {
        case STATUS_OK -> {
          R value = call.method().response().read(r, version);
          requireEnd(r);
          call.future().complete(value);
        }
        case STATUS_FAILED -> {
          RuntimeException failure = ErrorCodec.read(r, version);
          requireEnd(r);
          call.future().completeExceptionally(failure);
        }
        case STATUS_OVERLOADED -> call.future().completeExceptionally(new RpcException.Overloaded(r.readString(), true));
        case STATUS_UNSUPPORTED, STATUS_MALFORMED -> call.future().completeExceptionally(new RpcException.Rejected(r.readString()));
        default -> throw new CorruptDataException("unknown answer status " + status);
      }
    } catch (CorruptDataException e) {
      malformedInbound.incrementAndGet();
      call.future().completeExceptionally(new RpcException.Rejected(
          "unreadable answer to " + call.method().name() + " from node " + call.peer() + ": " + e.getMessage()));
    }
  }

  private static void requireEnd(ByteReader r) {
    if (r.remaining() != 0) {
      throw new CorruptDataException(r.remaining() + " bytes after the message");
    }
  }

  private void receiveRequest(Envelope envelope) {
    long peer = envelope.sourceNodeId();
    ByteReader r = new ByteReader(envelope.payload());
    long callerIncarnation;
    long callId;
    try {
      callerIncarnation = r.readLong();
      callId = r.readVarint();
    } catch (CorruptDataException e) {
      malformedInbound.incrementAndGet(); // no call id to answer to
      return;
    }
    int version = envelope.version();
    if (!WireVersion.supported(version)) {
      malformedInbound.incrementAndGet(); // no version to answer in
      return;
    }
    MessageKind kind = MessageKind.find(envelope.kind());
    Served<?, ?> served = kind == null ? null : handlers.get(kind);
    if (served == null) {
      malformedInbound.incrementAndGet();
      answer(peer, version, callerIncarnation, callId, STATUS_UNSUPPORTED,
          w -> w.writeString("node " + localNodeId() + " serves no message kind " + envelope.kind()));
      return;
    }
    AtomicInteger serving = servedByPeer.computeIfAbsent(peer, p -> new AtomicInteger());
    if (serving.incrementAndGet() > config.servedCallsMaxPerPeer()) {
      serving.decrementAndGet();
      requestsRefusedOverloaded.incrementAndGet();
      answer(peer, version, callerIncarnation, callId, STATUS_OVERLOADED,
          w -> w.writeString("node " + localNodeId() + " is serving " + config.servedCallsMaxPerPeer() + " calls of node " + peer));
      return;
    }
    requestsServed.incrementAndGet();
    try {
      executor.execute(() -> serve(served, peer, version, callerIncarnation, callId, r, serving));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      serving.decrementAndGet(); // stopping: the caller times out, as if this node had stopped a moment earlier
    }
  }

  private <Q, R> void serve(Served<Q, R> served, long peer, int version, long callerIncarnation, long callId, ByteReader r,
      AtomicInteger serving) {
    Q request;
    try {
      request = served.method().request().read(r, version);
      requireEnd(r);
    } catch (CorruptDataException e) {
      serving.decrementAndGet();
      malformedInbound.incrementAndGet();
      answer(peer, version, callerIncarnation, callId, STATUS_MALFORMED,
          w -> w.writeString("unreadable " + served.method().name() + " request: " + e.getMessage()));
      return;
    }
    CompletableFuture<R> result;
    try {
      result = served.handler().apply(request);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenCompleteAsync((value, error) -> {
      serving.decrementAndGet();
      if (error == null) {
        answer(peer, version, callerIncarnation, callId, STATUS_OK, w -> served.method().response().write(w, value, version));
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        answer(peer, version, callerIncarnation, callId, STATUS_FAILED, w -> ErrorCodec.write(w, cause, version));
      }
    }, executor);
  }

  private void answer(long peer, int version, long callerIncarnation, long callId, int status,
      java.util.function.Consumer<ByteWriter> body) {
    MessageBus b = bus.get();
    byte[] payload;
    try {
      payload = answerPayload(callerIncarnation, callId, status, body);
    } catch (RuntimeException e) {
      // The answer could not be encoded (a bug): tell the caller rather than let it time out.
      payload = answerPayload(callerIncarnation, callId, STATUS_FAILED, w -> ErrorCodec.write(w, e, version));
    }
    if (payload.length > b.config().maxPayloadBytes()) {
      String message = "answer of " + payload.length + " bytes exceeds the transport's " + b.config().maxPayloadBytes();
      payload = answerPayload(callerIncarnation, callId, STATUS_FAILED,
          w -> ErrorCodec.write(w, new IllegalStateException(message), version));
    }
    boolean sent;
    try {
      sent = b.send(new Envelope(version, MessageKind.RPC_RESPONSE.code(), b.localNodeId(), peer, payload));
    } catch (RuntimeException e) {
      sent = false;
    }
    if (!sent) {
      answersUnsent.incrementAndGet();
    }
  }

  private static byte[] answerPayload(long callerIncarnation, long callId, int status, java.util.function.Consumer<ByteWriter> body) {
    ByteWriter w = new ByteWriter(64);
    w.writeLong(callerIncarnation).writeVarint(callId).writeByte(status);
    body.accept(w);
    return w.toByteArray();
  }

  private long localNodeId() {
    MessageBus b = bus.get();
    return b == null ? -1 : b.localNodeId();
  }

  /**
   * Stops calling and serving: calls still waiting fail with {@link RpcException.Unavailable}
   * (their outcome is unknown), inbound envelopes are dropped. Does not close the bus, which its
   * owner closes. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (Pending<?> call : pending.values()) {
      if (finish(call)) {
        completeExceptionally(call.future(), new RpcException.Unavailable("endpoint closed while waiting for node " + call.peer(), true));
      }
    }
  }
}
