package io.flywheel.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.ByteWriter;
import io.flywheel.base.RandomSource;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.wire.MessageKind;
import io.flywheel.protocol.wire.StorageNodeMessages;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.LocalMessageBus;
import io.flywheel.transport.LocalMessageHub;
import io.flywheel.transport.MessageBusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RPC endpoint between two nodes of an in-process hub, with time in the test's hands: calls and
 * their answers, typed remote failures, deadlines, the in-flight bounds on both sides, and what it
 * does with calls it cannot make and envelopes it cannot read.
 */
class RpcEndpointTest {
  static final long CLIENT = 1;
  static final long SERVER = 2;
  static final long RAW = 3;
  static final long TIMEOUT_MILLIS = 5_000;

  final ManualScheduler scheduler = new ManualScheduler();
  final LocalMessageHub hub = new LocalMessageHub();
  final List<ExecutorService> executors = new ArrayList<>();
  final List<LocalMessageBus> buses = new ArrayList<>();
  /** What the server answers STATS with; swapped by tests. */
  volatile Function<StorageNodeMessages.Stats, CompletableFuture<PartitionStats>> stats =
      q -> CompletableFuture.completedFuture(new PartitionStats(q.keySpaceId(), q.partition().groupId()));
  /** What the server answers READ with; swapped by tests. */
  volatile Function<ReadRequest, CompletableFuture<ReadResult>> read = q -> CompletableFuture.completedFuture(new ReadResult(null));

  RpcEndpoint client = endpoint(CLIENT, RpcConfig.defaults().withCallTimeoutNanos(TIMEOUT_MILLIS * 1_000_000));
  RpcEndpoint server = serving(RpcConfig.defaults());

  ExecutorService executor(String name) {
    ExecutorService e = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executors.add(e);
    return e;
  }

  RpcEndpoint endpoint(long node, RpcConfig config) {
    RpcEndpoint endpoint = new RpcEndpoint(config, scheduler.syncClock, scheduler, RandomSource.seeded(node), executor("rpc-" + node));
    LocalMessageBus bus = hub.join(node, MessageBusConfig.defaults(), endpoint, executor("bus-" + node));
    buses.add(bus);
    endpoint.attach(bus);
    return endpoint;
  }

  RpcEndpoint serving(RpcConfig config) {
    RpcEndpoint endpoint = endpoint(SERVER, config);
    endpoint.serve(StorageNodeMessages.STATS, q -> stats.apply(q));
    endpoint.serve(StorageNodeMessages.READ, q -> read.apply(q));
    return endpoint;
  }

  @AfterEach
  void stop() {
    buses.forEach(LocalMessageBus::close);
    executors.forEach(ExecutorService::shutdownNow);
  }

  CompletableFuture<PartitionStats> callStats(long groupId) {
    return client.call(SERVER, StorageNodeMessages.STATS, new StorageNodeMessages.Stats(new PartitionRef(groupId, 1), 77));
  }

  static ReadRequest aRead() {
    return new ReadRequest(new PartitionRef(5, 3), 9, new PrimaryKey(AttributeValue.s("k"), null), true);
  }

  @Test
  void aCallGetsItsAnswer() {
    assertThat(Await.value(callStats(42))).isEqualTo(new PartitionStats(77, 42));
    assertThat(client.inFlight(SERVER)).isZero();
    assertThat(client.stats().callsAnswered()).isEqualTo(1);
    assertThat(server.stats().requestsServed()).isEqualTo(1);
    assertThat(scheduler.pendingTasks()).as("the deadline timer is cancelled").isZero();
  }

  @Test
  void manyConcurrentCallsEachGetTheirOwnAnswer() {
    List<CompletableFuture<PartitionStats>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(callStats(i));
    }
    for (int i = 0; i < 500; i++) {
      assertThat(Await.value(calls.get(i)).sizeBytes()).isEqualTo(i);
    }
  }

  @Test
  void theServicesTypedFailuresArriveAsThemselves() {
    Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s("k"), "n", AttributeValue.n(3));
    PartitionDescriptor moved = new PartitionDescriptor(5, 9, 0, 1000, 4, List.of(2L, 3L));
    List<RuntimeException> failures = List.of(
        new ConditionalCheckFailedException(item),
        new TransactionCanceledException(List.of(CancellationReason.NONE, CancellationReason.conditionalCheckFailed(item),
            CancellationReason.transactionConflict())),
        new RoutingException.WrongPartition(new PartitionRef(5, 3), moved),
        new RoutingException.NotLeader(5, 3),
        new DynamoException(ErrorCode.THROTTLING, "Rate of requests exceeds the allowed throughput."),
        new IllegalStateException("a bug on the server"));
    for (RuntimeException failure : failures) {
      read = q -> CompletableFuture.failedFuture(failure);
      Throwable got = Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead()));
      switch (failure) {
        case ConditionalCheckFailedException c ->
            assertThat(got).isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.item()).isEqualTo(item));
        case TransactionCanceledException t -> assertThat(got).isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.reasons()).isEqualTo(t.reasons());
          assertThat(e.getMessage()).isEqualTo(t.getMessage());
        });
        case RoutingException.WrongPartition w -> assertThat(got).isInstanceOfSatisfying(RoutingException.WrongPartition.class, e -> {
          assertThat(e.requested()).isEqualTo(new PartitionRef(5, 3));
          assertThat(e.current()).isEqualTo(moved);
        });
        case RoutingException.NotLeader n -> assertThat(got).isInstanceOfSatisfying(RoutingException.NotLeader.class, e -> {
          assertThat(e.groupId()).isEqualTo(5);
          assertThat(e.leaderHint()).isEqualTo(3L);
        });
        case DynamoException d -> assertThat(got).isInstanceOfSatisfying(DynamoException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.THROTTLING);
          assertThat(e.getMessage()).isEqualTo(d.getMessage());
        });
        default -> assertThat(got).isInstanceOfSatisfying(io.flywheel.protocol.wire.RemoteFailureException.class,
            e -> assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName()));
      }
    }
  }

  @Test
  void aHandlerThatThrowsInsteadOfFailingItsFutureIsAnsweredToo() {
    read = q -> {
      throw new DynamoException(ErrorCode.VALIDATION, "thrown, not returned");
    };
    assertThat(Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead())))
        .isInstanceOf(DynamoException.class).hasMessage("thrown, not returned");
  }

  @Test
  void aCallWithoutAnAnswerFailsAtItsDeadlineAndALateAnswerIsDropped() {
    CompletableFuture<PartitionStats> held = new CompletableFuture<>();
    stats = q -> held;
    CompletableFuture<PartitionStats> call = callStats(1);
    Await.until("the server to hold the call", () -> server.stats().requestsServed() == 1);
    scheduler.advanceMillis(TIMEOUT_MILLIS - 1);
    assertThat(call).isNotDone();
    scheduler.advanceMillis(1);
    Throwable failure = Await.failure(call);
    assertThat(failure).isInstanceOf(RpcException.Timeout.class);
    assertThat(((RpcException) failure).retryable()).isTrue();
    assertThat(client.inFlight(SERVER)).isZero();
    assertThat(client.stats().callsTimedOut()).isEqualTo(1);
    held.complete(new PartitionStats(1, 1));
    Await.until("the late answer to arrive", () -> client.stats().lateAnswers() == 1);
    assertThat(client.stats().callsAnswered()).isZero();
  }

  @Test
  void aSchedulerThatFiresEarlyDoesNotCutTheCallShort() {
    stats = q -> new CompletableFuture<>();
    CompletableFuture<PartitionStats> call = callStats(1);
    scheduler.runEverything(); // the timer runs at once, but the clock says the deadline is 5 s away
    assertThat(call).isNotDone();
    scheduler.advanceMillis(TIMEOUT_MILLIS);
    assertThat(Await.failure(call)).isInstanceOf(RpcException.Timeout.class);
  }

  @Test
  void callsPastTheInFlightBoundAreRefusedAtOnceUntilOneIsAnswered() {
    RpcEndpoint bounded = endpoint(4, RpcConfig.defaults().withInFlightCallsMaxPerPeer(2));
    List<CompletableFuture<PartitionStats>> held = new ArrayList<>();
    stats = q -> {
      CompletableFuture<PartitionStats> f = new CompletableFuture<>();
      synchronized (held) {
        held.add(f);
      }
      return f;
    };
    var ref = new StorageNodeMessages.Stats(new PartitionRef(1, 1), 1);
    CompletableFuture<PartitionStats> first = bounded.call(SERVER, StorageNodeMessages.STATS, ref);
    CompletableFuture<PartitionStats> second = bounded.call(SERVER, StorageNodeMessages.STATS, ref);
    CompletableFuture<PartitionStats> third = bounded.call(SERVER, StorageNodeMessages.STATS, ref);
    assertThat(third).isCompletedExceptionally();
    Throwable refused = Await.failure(third);
    assertThat(refused).isInstanceOfSatisfying(RpcException.Overloaded.class, e -> {
      assertThat(e.remote()).isFalse();
      assertThat(e.retryable()).isTrue();
    });
    assertThat(bounded.stats().callsRefusedOverloaded()).isEqualTo(1);
    Await.until("both calls to reach the server", () -> {
      synchronized (held) {
        return held.size() == 2;
      }
    });
    synchronized (held) {
      held.get(0).complete(PartitionStats.EMPTY);
    }
    Await.value(first.applyToEither(second, s -> s));
    Await.until("the answered call to leave the bound", () -> bounded.inFlight(SERVER) == 1);
    CompletableFuture<PartitionStats> fourth = bounded.call(SERVER, StorageNodeMessages.STATS, ref);
    assertThat(fourth).isNotDone();
    assertThat(bounded.inFlight(SERVER)).isEqualTo(2);
  }

  @Test
  void requestsPastTheServersBoundAreAnsweredWithOverloadBeforeTheyRun() {
    server.close();
    buses.get(1).close();
    RpcEndpoint strict = serving(RpcConfig.defaults().withServedCallsMaxPerPeer(1));
    stats = q -> new CompletableFuture<>();
    CompletableFuture<PartitionStats> first = callStats(1);
    Await.until("the server to hold the first call", () -> strict.stats().requestsServed() == 1);
    Throwable refused = Await.failure(callStats(2));
    assertThat(refused).isInstanceOfSatisfying(RpcException.Overloaded.class, e -> {
      assertThat(e.remote()).isTrue();
      assertThat(e.retryable()).isTrue();
    });
    assertThat(strict.stats().requestsRefusedOverloaded()).isEqualTo(1);
    assertThat(strict.stats().requestsServed()).isEqualTo(1);
    assertThat(first).isNotDone();
  }

  @Test
  void aMethodThePeerDoesNotServeIsRejectedAndNotRetryable() {
    Throwable got = Await.failure(client.call(SERVER, StorageNodeMessages.TX_READ,
        new io.flywheel.protocol.TxReadRequest(new PartitionRef(1, 1), 9, List.of(), false)));
    assertThat(got).isInstanceOfSatisfying(RpcException.Rejected.class, e -> {
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("serves no message kind " + MessageKind.STORAGE_TX_READ.code());
    });
  }

  @Test
  void aCallToANodeTheBusCannotReachIsUnavailable() {
    Throwable got = Await.failure(client.call(99, StorageNodeMessages.STATS, new StorageNodeMessages.Stats(new PartitionRef(1, 1), 1)));
    assertThat(got).isInstanceOf(RpcException.Unavailable.class);
    assertThat(client.inFlight(99)).isZero();
    assertThat(client.stats().callsUnsent()).isEqualTo(1);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void closingTheEndpointFailsTheCallsStillWaiting() {
    stats = q -> new CompletableFuture<>();
    CompletableFuture<PartitionStats> call = callStats(1);
    client.close();
    assertThat(Await.failure(call)).isInstanceOf(RpcException.Unavailable.class);
    assertThat(Await.failure(callStats(2))).isInstanceOf(RpcException.Unavailable.class);
  }

  @Test
  void aServerThatRestartsMidCallLeavesTheCallToItsDeadlineAndServesTheNextOne() {
    CompletableFuture<PartitionStats> held = new CompletableFuture<>();
    stats = q -> held;
    CompletableFuture<PartitionStats> call = callStats(1);
    Await.until("the server to hold the call", () -> server.stats().requestsServed() == 1);
    server.close();
    buses.get(1).close(); // the server process dies with the call
    stats = q -> CompletableFuture.completedFuture(new PartitionStats(q.keySpaceId(), q.partition().groupId()));
    RpcEndpoint restarted = serving(RpcConfig.defaults()); // same node id, a new process that knows nothing of the call
    held.complete(new PartitionStats(9, 9)); // whatever the dead process had in hand never leaves it
    assertThat(call).isNotDone();
    scheduler.advanceMillis(TIMEOUT_MILLIS);
    Throwable failure = Await.failure(call);
    assertThat(failure).isInstanceOf(RpcException.Timeout.class);
    assertThat(((RpcException) failure).retryable()).isTrue();
    assertThat(Await.value(callStats(2))).isEqualTo(new PartitionStats(77, 2));
    assertThat(restarted.stats().requestsServed()).isEqualTo(1);
    assertThat(client.inFlight(SERVER)).isZero();
  }

  @Test
  void aRequestPastTheTransportsSizeBoundIsRejectedBeforeItIsSent() {
    RpcEndpoint small = new RpcEndpoint(RpcConfig.defaults(), scheduler.syncClock, scheduler, RandomSource.seeded(5), executor("rpc-5"));
    LocalMessageBus bus = hub.join(5, new MessageBusConfig(MessageBusConfig.MIN_MAX_FRAME_BYTES, 16, 1 << 20,
        io.flywheel.transport.VersionRange.only(1)), small, executor("bus-5"));
    buses.add(bus);
    small.attach(bus);
    var big = new io.flywheel.protocol.WriteRequest(new PartitionRef(1, 1), 9, new PrimaryKey(AttributeValue.s("k"), null),
        new io.flywheel.protocol.WriteRequest.WriteOp.Put(Map.of("pk", AttributeValue.s("k"), "blob", AttributeValue.s("x".repeat(4096)))),
        null, false, false, false);
    Throwable got = Await.failure(small.call(SERVER, StorageNodeMessages.WRITE, big));
    assertThat(got).isInstanceOfSatisfying(RpcException.Rejected.class, e -> {
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("exceeds the transport's");
    });
    assertThat(small.inFlight(SERVER)).isZero();
    assertThat(small.stats().callsStarted()).isZero();
  }

  @Test
  void aBusWhoseVersionsNoCodecOfThisReleaseWritesRefusesCallsAsRejected() {
    RpcEndpoint future = new RpcEndpoint(RpcConfig.defaults(), scheduler.syncClock, scheduler, RandomSource.seeded(6), executor("rpc-6"));
    LocalMessageBus bus = hub.join(6, MessageBusConfig.defaults().withVersions(new io.flywheel.transport.VersionRange(2, 3)), future,
        executor("bus-6"));
    buses.add(bus);
    future.attach(bus);
    assertThat(Await.failure(callStatsFrom(future))).isInstanceOf(RpcException.Rejected.class);
    assertThat(future.inFlight(SERVER)).isZero();
  }

  CompletableFuture<PartitionStats> callStatsFrom(RpcEndpoint endpoint) {
    return endpoint.call(SERVER, StorageNodeMessages.STATS, new StorageNodeMessages.Stats(new PartitionRef(1, 1), 77));
  }

  /** A node that speaks raw envelopes, to send what a correct endpoint never would. */
  BlockingQueue<Envelope> rawNode() {
    BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    buses.add(hub.join(RAW, MessageBusConfig.defaults(), inbox::add, executor("bus-raw")));
    return inbox;
  }

  @Test
  void anUnreadableRequestIsAnsweredAsMalformedAndAnUnreadableHeaderIsDropped() throws Exception {
    BlockingQueue<Envelope> inbox = rawNode();
    LocalMessageBus raw = buses.getLast();
    ByteWriter w = new ByteWriter(16);
    w.writeLong(123).writeVarint(7).writeByte(0xEE); // incarnation, call id, then a body no codec reads
    raw.send(new Envelope(1, MessageKind.STORAGE_STATS.code(), RAW, SERVER, w.toByteArray()));
    Envelope answer = inbox.poll(Await.BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(answer).isNotNull();
    assertThat(answer.kind()).isEqualTo(MessageKind.RPC_RESPONSE.code());
    io.flywheel.base.ByteReader r = new io.flywheel.base.ByteReader(answer.payload());
    assertThat(r.readLong()).isEqualTo(123);
    assertThat(r.readVarint()).isEqualTo(7);
    assertThat(r.readByte()).isEqualTo(RpcEndpoint.STATUS_MALFORMED);
    raw.send(new Envelope(1, MessageKind.STORAGE_STATS.code(), RAW, SERVER, new byte[] {1, 2}));
    Await.until("the short header to be counted", () -> server.stats().malformedInbound() == 2);
    assertThat(server.stats().requestsServed()).isEqualTo(1);
  }

  @Test
  void anAnswerForAnotherIncarnationIsDroppedNotMisdelivered() throws Exception {
    server.close();
    buses.get(1).close();
    BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    LocalMessageBus fake = hub.join(SERVER, MessageBusConfig.defaults(), inbox::add, executor("bus-fake-server"));
    buses.add(fake);
    CompletableFuture<PartitionStats> call = callStats(1);
    Envelope request = inbox.poll(Await.BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    io.flywheel.base.ByteReader header = new io.flywheel.base.ByteReader(request.payload());
    long incarnation = header.readLong();
    long callId = header.readVarint();
    // the same call id from the same node, but for an earlier life of the caller
    fake.send(new Envelope(1, MessageKind.RPC_RESPONSE.code(), SERVER, CLIENT, answer(incarnation + 1, callId, new PartitionStats(6, 6))));
    Await.until("the stray answer to be dropped", () -> client.stats().lateAnswers() == 1);
    assertThat(call).isNotDone();
    fake.send(new Envelope(1, MessageKind.RPC_RESPONSE.code(), SERVER, CLIENT, answer(incarnation, callId, new PartitionStats(7, 7))));
    assertThat(Await.value(call)).isEqualTo(new PartitionStats(7, 7));
  }

  @Test
  void anAnswerFromAnotherNodeIsDroppedNotMisdelivered() {
    stats = q -> new CompletableFuture<>();
    CompletableFuture<PartitionStats> call = callStats(1); // call id 1 of the client's incarnation
    rawNode();
    LocalMessageBus raw = buses.getLast();
    raw.send(new Envelope(1, MessageKind.RPC_RESPONSE.code(), RAW, CLIENT,
        answer(RandomSource.seeded(CLIENT).nextLong(), 1, new PartitionStats(9, 9))));
    Await.until("the stray answer to be dropped", () -> client.stats().lateAnswers() == 1);
    assertThat(call).isNotDone();
  }

  static byte[] answer(long incarnation, long callId, PartitionStats value) {
    ByteWriter w = new ByteWriter(32);
    w.writeLong(incarnation).writeVarint(callId).writeByte(RpcEndpoint.STATUS_OK);
    StorageNodeMessages.STATS_RESULT.write(w, value, 1);
    return w.toByteArray();
  }
}
