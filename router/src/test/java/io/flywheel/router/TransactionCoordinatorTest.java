package io.flywheel.router;

import io.flywheel.protocol.StorageNodes;
import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.base.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.metadata.MetadataConfig;
import io.flywheel.metadata.MetadataNode;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.storagenode.StorageNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator against real metadata and a real storage node (in-memory engines), reached
 * through a scripted node that can fail, delay or swallow the calls of one coordinator: a
 * swallowed call is what a coordinator that crashed at that moment leaves behind. A second
 * coordinator over the same storage then recovers.
 */
class TransactionCoordinatorTest {
  static final KeySchema SCHEMA = new KeySchema(new KeyAttribute("pk", ScalarType.S), null);

  final MemoryKvEngine kv = new MemoryKvEngine();
  final MemoryKvEngine log = new MemoryKvEngine();
  final TestClock clock = new TestClock(1_700_000_000_000L);
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  final Scheduler scheduler = (delayNanos, task) -> {
    var scheduled = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> scheduled.cancel(false);
  };
  ReplicaHost host;
  StorageNode storage;
  MetadataNode metadata;
  /** What the first coordinator (the one that may "crash") talks to. */
  Scripted scripted;
  TransactionCoordinator coordinator;
  Router router;
  /** Keys of the test table in its first and second partition. */
  String inFirst;
  String inSecond;
  String alsoInFirst;

  /** A wall clock the test moves; safe to read from any thread. */
  static final class TestClock implements Clock {
    final AtomicLong millis;

    TestClock(long start) {
      millis = new AtomicLong(start);
    }

    @Override
    public long monotonicNanos() {
      return millis.get() * 1_000_000L;
    }

    @Override
    public long wallMillis() {
      return millis.get();
    }

    void advanceMillis(long ms) {
      millis.addAndGet(ms);
    }
  }

  /**
   * Delegates to the real node unless a rule says otherwise: {@code failPrepare} fails matching
   * prepares, {@code hangPrepare} never forwards them (a participant that does not answer), {@code
   * swallow*} forwards the call but never answers (the coordinator died after sending it), {@code
   * dropCommits} never forwards commits (the coordinator died before sending them).
   */
  static final class Scripted implements StorageNodeService {
    final StorageNodeService real;
    volatile Predicate<TxPrepareRequest> failPrepare = r -> false;
    volatile Predicate<TxPrepareRequest> hangPrepare = r -> false;
    volatile boolean swallowPrepareAnswers;
    volatile boolean dropCommits;
    /** Runs (once) after a first-round TransactGetItems read was answered, before the answer is delivered. */
    volatile java.util.function.Supplier<CompletableFuture<?>> afterFirstRoundRead;
    final List<TxFinishRequest> finishes = new java.util.concurrent.CopyOnWriteArrayList<>();

    Scripted(StorageNodeService real) {
      this.real = real;
    }

    @Override
    public long nodeId() {
      return real.nodeId();
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
      return real.write(request);
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest request) {
      return real.read(request);
    }

    @Override
    public CompletableFuture<RangeReadResult> readRange(RangeReadRequest request) {
      return real.readRange(request);
    }

    @Override
    public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, PartitionSchema schema) {
      return real.createReplica(descriptor, schema);
    }

    @Override
    public CompletableFuture<Void> updateSchema(PartitionRef partition, PartitionSchema schema) {
      return real.updateSchema(partition, schema);
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
      return real.applyIndexMutations(partition, mutations);
    }

    @Override
    public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
      return real.backfillIndex(partition, indexId, fromKey, maxItems);
    }

    @Override
    public CompletableFuture<Void> dropReplica(long groupId) {
      return real.dropReplica(groupId);
    }

    @Override
    public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
      return real.stats(partition, keySpaceId);
    }

    @Override
    public CompletableFuture<TxPrepareResult> txPrepare(TxPrepareRequest request) {
      if (failPrepare.test(request)) {
        return CompletableFuture.failedFuture(new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error"));
      }
      if (hangPrepare.test(request)) {
        return new CompletableFuture<>();
      }
      CompletableFuture<TxPrepareResult> answer = real.txPrepare(request);
      return swallowPrepareAnswers ? new CompletableFuture<>() : answer;
    }

    @Override
    public CompletableFuture<Void> txFinish(TxFinishRequest request) {
      finishes.add(request);
      if (dropCommits && request.commit()) {
        return new CompletableFuture<>();
      }
      return real.txFinish(request);
    }

    @Override
    public CompletableFuture<TxReadResult> txRead(TxReadRequest request) {
      var hook = afterFirstRoundRead;
      if (request.withImages() && hook != null) {
        afterFirstRoundRead = null;
        return real.txRead(request).thenCompose(answer -> hook.get().thenApply(ignored -> answer));
      }
      return real.txRead(request);
    }
  }

  @BeforeEach
  void boot() {
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    storage = new StorageNode(kv, host);
    storage.start();
    scripted = new Scripted(storage);
    metadata = new MetadataNode(StorageNodes.of(Map.of(1L, scripted)), clock, RandomSource.seeded(7), MetadataConfig.singleNode(2));
    metadata.start(host);
    metadata.createTable(new CreateTableSpec("accounts", SCHEMA, List.of(new AttributeDefinition("pk", ScalarType.S)),
        BillingMode.PAY_PER_REQUEST, 0, 0, List.of())).join();
    coordinator = coordinator(scripted, config(2_000));
    coordinator.start().join();
    router = new Router(metadata, StorageNodes.of(Map.of(1L, scripted)), RouterConfig.defaults(), coordinator);
    TableDescriptor t = metadata.table("accounts");
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; first.size() < 2 || second.isEmpty(); i++) {
      String k = "acct-" + i;
      (t.partitionFor(KeyEncoding.partitionHash(AttributeValue.s(k))) == t.partitions().get(0) ? first : second).add(k);
    }
    inFirst = first.get(0);
    alsoInFirst = first.get(1);
    inSecond = second.get(0);
  }

  @AfterEach
  void tearDown() {
    host.close();
    timers.shutdownNow();
  }

  static TransactionConfig config(long participantTimeoutMillis) {
    return new TransactionConfig(participantTimeoutMillis, 3, 5_000, 10 * 60 * 1000, 30_000, 2);
  }

  TransactionCoordinator coordinator(StorageNodeService node, TransactionConfig config) {
    return new TransactionCoordinator(metadata, StorageNodes.of(Map.of(1L, node)), RouterConfig.defaults(), clock, RandomSource.seeded(11),
        scheduler, config);
  }

  // ---- helpers ----

  void put(String pk, long balance) {
    router.putItem(new PutItemRequest("accounts", Map.of("pk", AttributeValue.s(pk), "balance", AttributeValue.n(balance)),
        ExpressionInput.NONE, ReturnValues.NONE, ReturnConsumedCapacity.NONE, false)).join();
  }

  Long balance(String pk) {
    GetItemResult r = router.getItem(new GetItemRequest("accounts", Map.of("pk", AttributeValue.s(pk)), true, ExpressionInput.NONE,
        ReturnConsumedCapacity.NONE)).join();
    if (r.image() == null) {
      return null;
    }
    return Long.parseLong(((AttributeValue.N) ItemCodec.decode(r.image()).get("balance")).value().toString());
  }

  /** Adds {@code delta} to an account, on condition that it exists and stays non-negative. */
  static TransactWriteAction add(String pk, long delta) {
    return new TransactWriteAction(TransactWriteAction.Kind.UPDATE, "accounts", null, Map.of("pk", AttributeValue.s(pk)),
        ExpressionInput.builder().updateExpression("SET balance = balance + :d").conditionExpression("balance >= :min")
            .values(Map.of(":d", AttributeValue.n(delta), ":min", AttributeValue.n(Math.max(0, -delta)))).build(),
        true);
  }

  static TransactWriteItemsRequest transfer(String token, String from, String to, long amount) {
    return new TransactWriteItemsRequest(List.of(add(from, -amount), add(to, amount)), token, ReturnConsumedCapacity.TOTAL, false);
  }

  /** A plain write goes through: no transaction holds the item. */
  void assertNotHeld(String pk) {
    Long before = balance(pk);
    put(pk, before == null ? 0 : before);
  }

  TransactionLedger.Record ledgerRecord(String id) {
    return allRecords().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }

  static Throwable cause(Throwable t) {
    return TransactionLedger.unwrap(t);
  }

  // ---- the tests ----

  @Test
  void aTransferAcrossPartitionsCommitsBothSidesAndReportsDoubleWriteCapacity() {
    put(inFirst, 100);
    put(inSecond, 0);
    TransactWriteItemsResult result = coordinator.transactWriteItems(transfer("t-1", inFirst, inSecond, 30)).join();
    assertThat(balance(inFirst)).isEqualTo(70);
    assertThat(balance(inSecond)).isEqualTo(30);
    assertThat(result.consumedCapacity()).singleElement().satisfies(cc -> assertThat(cc.total().units()).isEqualTo(4.0));
    assertNotHeld(inFirst);
    assertNotHeld(inSecond);
    assertThat(ledgerRecord("t:t-1").state()).isIn(TransactionLedger.State.COMMITTED, TransactionLedger.State.DONE);
  }

  @Test
  void aTransactionWithoutATokenLeavesNoRecordOnceCommitted() {
    put(inFirst, 100);
    put(inSecond, 0);
    coordinator.transactWriteItems(transfer(null, inFirst, inSecond, 1)).join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!allRecords().isEmpty()) {
      assertThat(System.nanoTime()).as("the record is still there: %s", allRecords()).isLessThan(deadline);
      sleep();
    }
    assertThat(balance(inSecond)).isEqualTo(1);
  }

  List<TransactionLedger.Record> allRecords() {
    List<TransactionLedger.Record> found = new ArrayList<>();
    new TransactionLedger(metadata, new Routing(metadata, StorageNodes.of(Map.of(1L, storage)), RouterConfig.defaults()))
        .scan(100, page -> {
          found.addAll(page);
          return CompletableFuture.completedFuture(null);
        }).join();
    return found;
  }

  @Test
  void aFailedConditionCancelsEveryPartitionAndReportsReasonsInRequestOrder() {
    put(inFirst, 10);
    put(inSecond, 0);
    assertThatThrownBy(() -> coordinator.transactWriteItems(transfer("t-2", inSecond, inFirst, 5)).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(TransactionCanceledException.class, c -> {
          assertThat(c.reasons()).extracting(CancellationReason::code)
              .containsExactly(CancellationReason.Code.CONDITIONAL_CHECK_FAILED, CancellationReason.Code.NONE);
          assertThat(c.reasons().get(0).item()).containsEntry("balance", AttributeValue.n(0));
          assertThat(c).hasMessage("Transaction cancelled, please refer cancellation reasons for specific reasons "
              + "[ConditionalCheckFailed, None]");
        }));
    assertThat(balance(inFirst)).isEqualTo(10);
    assertNotHeld(inFirst);
    assertNotHeld(inSecond);
    assertThat(ledgerRecord("t:t-2")).as("a cancelled transaction leaves no record; its token may run again").isNull();
  }

  @Test
  void aParticipantThatFailsMakesTheCoordinatorCancelTheOthers() {
    put(inFirst, 100);
    put(inSecond, 0);
    long secondGroup = metadata.table("accounts").partitions().get(1).groupId();
    scripted.failPrepare = r -> r.partition().groupId() == secondGroup;
    assertThatThrownBy(() -> coordinator.transactWriteItems(transfer("t-3", inFirst, inSecond, 30)).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(DynamoException.class,
            d -> assertThat(d.code()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR)));
    assertThat(balance(inFirst)).isEqualTo(100);
    assertNotHeld(inFirst);
    assertThat(ledgerRecord("t:t-3")).isNull();
  }

  @Test
  void aParticipantThatNeverAnswersTimesOutAndTheTransactionIsCancelled() {
    coordinator = coordinator(scripted, config(200));
    put(inFirst, 100);
    put(inSecond, 0);
    long secondGroup = metadata.table("accounts").partitions().get(1).groupId();
    scripted.hangPrepare = r -> r.partition().groupId() == secondGroup;
    assertThatThrownBy(() -> coordinator.transactWriteItems(transfer("t-4", inFirst, inSecond, 30)).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(DynamoException.class,
            d -> assertThat(d.code()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR)));
    assertThat(scripted.finishes).as("cancels went to both partitions").hasSize(2).noneMatch(TxFinishRequest::commit);
    assertThat(balance(inFirst)).isEqualTo(100);
    assertNotHeld(inFirst);
  }

  @Test
  void aCoordinatorThatCrashesAfterTheDecisionIsFinishedByRecovery() {
    put(inFirst, 100);
    put(inSecond, 0);
    scripted.dropCommits = true; // the decision is durable, then the coordinator is gone
    CompletableFuture<TransactWriteItemsResult> lost = coordinator.transactWriteItems(transfer("t-5", inFirst, inSecond, 30));
    awaitRecordState("t:t-5", TransactionLedger.State.COMMITTED);
    assertThat(lost).isNotDone();
    assertThat(balance(inFirst)).as("held, not yet committed").isEqualTo(100);

    TransactionCoordinator.RecoveryReport report = coordinator(storage, config(2_000)).start().join();
    assertThat(report.committed()).isEqualTo(1);
    assertThat(balance(inFirst)).isEqualTo(70);
    assertThat(balance(inSecond)).isEqualTo(30);
    assertNotHeld(inFirst);
    assertNotHeld(inSecond);
    awaitRecordState("t:t-5", TransactionLedger.State.DONE);
  }

  @Test
  void aCoordinatorThatCrashesBeforeTheDecisionIsAbortedByRecovery() {
    put(inFirst, 100);
    put(inSecond, 0);
    scripted.swallowPrepareAnswers = true; // prepares arrive, then the coordinator is gone
    CompletableFuture<TransactWriteItemsResult> lost = coordinator.transactWriteItems(transfer("t-6", inFirst, inSecond, 30));
    awaitHeld(inFirst);
    awaitHeld(inSecond);
    assertThat(lost).isNotDone();
    assertThat(ledgerRecord("t:t-6").state()).isEqualTo(TransactionLedger.State.PENDING);

    TransactionCoordinator.RecoveryReport report = coordinator(storage, config(2_000)).start().join();
    assertThat(report.aborted()).isEqualTo(1);
    assertThat(balance(inFirst)).isEqualTo(100);
    assertThat(balance(inSecond)).isEqualTo(0);
    assertNotHeld(inFirst);
    assertNotHeld(inSecond);
    assertThat(ledgerRecord("t:t-6")).isNull();
  }

  @Test
  void aRetryWithTheSameTokenAnswersTheFirstOutcomeWithoutRunningAgainForTenMinutes() {
    put(inFirst, 100);
    put(inSecond, 0);
    coordinator.transactWriteItems(transfer("same", inFirst, inSecond, 10)).join();
    awaitRecordState("t:same", TransactionLedger.State.DONE);
    TransactWriteItemsResult replay = coordinator.transactWriteItems(transfer("same", inFirst, inSecond, 10)).join();
    assertThat(balance(inFirst)).isEqualTo(90);
    assertThat(replay.consumedCapacity()).singleElement().satisfies(cc -> {
      assertThat(cc.total().readUnits()).isPositive();
      assertThat(cc.total().writeUnits()).isZero();
    });
    assertThatThrownBy(() -> coordinator.transactWriteItems(transfer("same", inFirst, inSecond, 11)).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(DynamoException.class,
            d -> assertThat(d.code()).isEqualTo(ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH)));
    clock.advanceMillis(10 * 60 * 1000);
    coordinator.transactWriteItems(transfer("same", inFirst, inSecond, 11)).join();
    assertThat(balance(inFirst)).as("after the window the token is new again").isEqualTo(79);
  }

  @Test
  void aTokenStillInProgressIsRefusedUntilItHasRunLongEnoughForARetryToTakeItOver() {
    put(inFirst, 100);
    put(inSecond, 0);
    scripted.swallowPrepareAnswers = true;
    coordinator.transactWriteItems(transfer("stalled", inFirst, inSecond, 30));
    awaitHeld(inFirst);
    awaitHeld(inSecond);
    TransactionCoordinator other = coordinator(storage, config(2_000));
    assertThatThrownBy(() -> other.transactWriteItems(transfer("stalled", inFirst, inSecond, 30)).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(DynamoException.class, d -> {
          assertThat(d.code()).isEqualTo(ErrorCode.TRANSACTION_IN_PROGRESS);
          assertThat(d).hasMessage("The transaction with the given request token is already in progress.");
        }));
    clock.advanceMillis(5_000);
    other.transactWriteItems(transfer("stalled", inFirst, inSecond, 30)).join();
    assertThat(balance(inFirst)).as("the stalled attempt was aborted, the retry ran once").isEqualTo(70);
    assertThat(balance(inSecond)).isEqualTo(30);
  }

  @Test
  void recoveryForgetsFinishedTransactionsOnlyAfterTheIdempotencyWindow() {
    put(inFirst, 100);
    put(inSecond, 0);
    // More records than a page of the ledger scan (2 in these tests), over both of its partitions.
    for (int i = 0; i < 5; i++) {
      coordinator.transactWriteItems(transfer("gc-" + i, inFirst, inSecond, 1)).join();
      awaitRecordState("t:gc-" + i, TransactionLedger.State.DONE);
    }
    assertThat(coordinator.recover(0).join().expired()).isZero();
    clock.advanceMillis(10 * 60 * 1000);
    assertThat(coordinator.recover(0).join().expired()).isEqualTo(5);
    assertThat(allRecords()).isEmpty();
  }

  @Test
  void transactGetItemsReadsASnapshotAndRefusesItemsATransactionHolds() {
    put(inFirst, 60);
    put(alsoInFirst, 40);
    put(inSecond, 0);
    TransactGetItemsRequest all = new TransactGetItemsRequest(List.of(
        new TransactGetItemsRequest.Get("accounts", Map.of("pk", AttributeValue.s(inFirst)), null),
        new TransactGetItemsRequest.Get("accounts", Map.of("pk", AttributeValue.s(inSecond)),
            ExpressionInput.builder().projectionExpression("balance").build()),
        new TransactGetItemsRequest.Get("accounts", Map.of("pk", AttributeValue.s("nobody")), null)),
        ReturnConsumedCapacity.TOTAL);
    TransactGetItemsResult read = coordinator.transactGetItems(all).join();
    assertThat(ItemCodec.decode(read.responses().get(0).image())).containsEntry("balance", AttributeValue.n(60));
    assertThat(read.responses().get(1).item()).isEqualTo(Map.of("balance", AttributeValue.n(0)));
    assertThat(read.responses().get(2).image()).isNull();
    assertThat(read.consumedCapacity()).singleElement().satisfies(cc -> assertThat(cc.total().readUnits()).isEqualTo(6.0));

    scripted.dropCommits = true;
    coordinator.transactWriteItems(transfer("held", inFirst, alsoInFirst, 10));
    awaitRecordState("t:held", TransactionLedger.State.COMMITTED);
    assertThatThrownBy(() -> coordinator.transactGetItems(all).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(TransactionCanceledException.class, c ->
            assertThat(c.reasons()).extracting(CancellationReason::code).containsExactly(
                CancellationReason.Code.TRANSACTION_CONFLICT, CancellationReason.Code.NONE, CancellationReason.Code.NONE)));
  }

  @Test
  void aTransactGetItemsThatSeesAnItemChangeBetweenItsRoundsIsCancelled() {
    put(inFirst, 60);
    put(inSecond, 40);
    TransactGetItemsRequest both = new TransactGetItemsRequest(List.of(
        new TransactGetItemsRequest.Get("accounts", Map.of("pk", AttributeValue.s(inFirst)), null),
        new TransactGetItemsRequest.Get("accounts", Map.of("pk", AttributeValue.s(inSecond)), null)),
        ReturnConsumedCapacity.NONE);
    // Whichever item is read first changes before the second round: the values read no longer form a snapshot.
    scripted.afterFirstRoundRead = () -> CompletableFuture.allOf(
        storage.write(plainPut(inFirst, 61)), storage.write(plainPut(inSecond, 41)));
    assertThatThrownBy(() -> coordinator.transactGetItems(both).join())
        .satisfies(e -> assertThat(cause(e)).isInstanceOfSatisfying(TransactionCanceledException.class, c ->
            assertThat(c.reasons()).extracting(CancellationReason::code).contains(CancellationReason.Code.TRANSACTION_CONFLICT)));
    TransactGetItemsResult again = coordinator.transactGetItems(both).join();
    assertThat(ItemCodec.decode(again.responses().get(0).image())).containsEntry("balance", AttributeValue.n(61));
  }

  WriteRequest plainPut(String pk, long balance) {
    TableDescriptor t = metadata.table("accounts");
    var key = new io.flywheel.model.PrimaryKey(AttributeValue.s(pk), null);
    return new WriteRequest(t.partitionFor(KeyEncoding.partitionHash(key.partition())).ref(), t.tableId(), key,
        new WriteRequest.WriteOp.Put(Map.of("pk", AttributeValue.s(pk), "balance", AttributeValue.n(balance))), null, false, false, false);
  }

  @Test
  void invalidRequestsFailBeforeAnythingIsClaimedOrPrepared() {
    put(inFirst, 1);
    TransactWriteAction badKey = new TransactWriteAction(TransactWriteAction.Kind.DELETE, "accounts", null,
        Map.of("pk", AttributeValue.n(7)), null, false);
    assertThatThrownBy(() -> coordinator.transactWriteItems(new TransactWriteItemsRequest(
            List.of(add(inFirst, 1), badKey, badKey), null, ReturnConsumedCapacity.NONE, false)))
        .isInstanceOfSatisfying(TransactionCanceledException.class, c -> assertThat(c.reasons()).extracting(CancellationReason::code)
            .containsExactly(CancellationReason.Code.NONE, CancellationReason.Code.VALIDATION_ERROR, CancellationReason.Code.NONE));
    assertThatThrownBy(() -> coordinator.transactWriteItems(new TransactWriteItemsRequest(
            List.of(add(inFirst, 1), add(inFirst, 2)), null, ReturnConsumedCapacity.NONE, false)))
        .hasMessage("Transaction request cannot include multiple operations on one item");
    assertThatThrownBy(() -> coordinator.transactWriteItems(new TransactWriteItemsRequest(
            List.of(add(inFirst, 1), new TransactWriteAction(TransactWriteAction.Kind.PUT, "missing", Map.of("pk", AttributeValue.s("x")),
                null, null, false)), null, ReturnConsumedCapacity.NONE, false)))
        .isInstanceOfSatisfying(DynamoException.class, d -> assertThat(d.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    assertThat(scripted.finishes).isEmpty();
    assertThat(balance(inFirst)).isEqualTo(1);
  }

  @Test
  void theLedgerIsNotListedAsATable() {
    assertThat(metadata.tableNames()).contains(TransactionLedger.TABLE_NAME);
    assertThat(router.listTables(null, null).tableNames()).containsExactly("accounts");
  }

  // ---- waiting for asynchronous steps ----

  void awaitRecordState(String id, TransactionLedger.State state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      TransactionLedger.Record r = ledgerRecord(id);
      if (r != null && r.state() == state) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("record " + id + " never reached " + state + ": " + r);
      }
      sleep();
    }
  }

  void awaitHeld(String pk) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        router.putItem(new PutItemRequest("accounts", Map.of("pk", AttributeValue.s(pk), "probe", AttributeValue.s("x")),
            ExpressionInput.builder().conditionExpression("attribute_not_exists(pk)").build(), ReturnValues.NONE,
            ReturnConsumedCapacity.NONE, false)).join();
        throw new AssertionError("the probe was written: " + pk + " is not held");
      } catch (CompletionException e) {
        if (cause(e) instanceof DynamoException d && d.code() == ErrorCode.TRANSACTION_CONFLICT) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(pk + " never became held");
      }
      sleep();
    }
  }

  static void sleep() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
