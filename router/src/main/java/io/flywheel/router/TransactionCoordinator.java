package io.flywheel.router;

import io.flywheel.base.Bytes;
import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.model.TransactionErrors;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.router.TransactionLedger.Participant;
import io.flywheel.router.TransactionLedger.Record;
import io.flywheel.router.TransactionLedger.State;
import io.flywheel.router.TransactionRequests.GetAction;
import io.flywheel.router.TransactionRequests.WriteAction;
import io.flywheel.router.TransactionRequests.WritePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The transaction coordinator (DESIGN.md section 8; "Distributed Transactions at Scale in Amazon
 * DynamoDB", USENIX ATC 2023): TransactWriteItems as two-phase commit over the partition leaders
 * with timestamp ordering, TransactGetItems as two rounds of reads, a durable ledger record per
 * transaction so any coordinator can finish or abort it, and ClientRequestToken idempotency. There
 * is no global lock: a transaction touches only its own partitions and its ledger record.
 *
 * <h2>TransactWriteItems</h2>
 *
 * <ol>
 *   <li>Validate ({@link TransactionRequests}); assign the transaction a timestamp from the clock
 *       (unique and increasing for this coordinator) and an id (from the ClientRequestToken, else
 *       random).
 *   <li><b>Claim</b>: put the ledger record PENDING, with the participants, unless one with this id
 *       exists ({@link TransactionLedger#claim}). An existing one is the same token again: a
 *       different request is IdempotentParameterMismatchException; a DONE one answers with the
 *       first outcome for 10 minutes; a COMMITTED one is finished and answered as committed; a
 *       PENDING one is TransactionInProgressException, or, once it has run longer than {@link
 *       TransactionConfig#inlineRecoveryAfterMillis()}, is aborted and this request runs anew.
 *   <li><b>Prepare</b> at every partition the transaction touches, in parallel (one command per
 *       partition with all its actions). Participants never wait; see {@code TxParticipant}.
 *   <li><b>Decide</b>. All prepared: move the record PENDING → COMMITTED. This conditional write is
 *       the commit point. Otherwise: cancel at every partition, delete the record, answer
 *       TransactionCanceledException with one reason per action.
 *   <li><b>Commit</b> at every partition (retried; idempotent); answer the client once all are
 *       applied, so its next read sees every write; then mark the record DONE (in the background).
 * </ol>
 *
 * <h2>Recovery</h2>
 *
 * <p>{@link #recover} scans the ledger: COMMITTED records are committed again at every partition
 * (idempotent) and marked DONE; PENDING ones are aborted (PENDING → ABORTING, conditional, so a
 * live coordinator's commit and a recovery's abort cannot both win), cancelled everywhere and
 * deleted; DONE ones older than the idempotency window are deleted. {@link #start} runs it for
 * every record before the server serves; the server repeats it periodically for records older
 * than {@link TransactionConfig#recoveryAgeMillis()}.
 *
 * <h2>TransactGetItems</h2>
 *
 * <p>Round one reads every item with its version at its partition's leader, in order with the
 * partition's writes; an item held by a prepared transaction cancels the read with
 * TransactionConflict. With more than one partition, round two reads the versions again: all
 * unchanged means every item had the value read during the whole time between the rounds, so
 * the values form one consistent snapshot; a change cancels with TransactionConflict.
 *
 * <p>Thread-safe. Every step is asynchronous; continuations run on the threads that complete the
 * participants' futures and only send further requests, never block.
 */
public final class TransactionCoordinator {
  /** Claims of one request at most (a claim may find an expired or stalled record first). */
  private static final int CLAIM_ATTEMPTS_MAX = 3;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** Ledger ids: a ClientRequestToken's, or a random one for a request without a token. */
  private static final String TOKEN_ID_PREFIX = "t:";
  private static final String GENERATED_ID_PREFIX = "g:";

  private final MetadataService metadata;
  private final Routing routing;
  private final TransactionLedger ledger;
  private final Clock clock;
  private final RandomSource random;
  private final Scheduler scheduler;
  private final TransactionConfig config;
  private long lastTimestamp;

  public TransactionCoordinator(MetadataService metadata, StorageNodes storageNodes, RouterConfig routerConfig,
      Clock clock, RandomSource random, Scheduler scheduler, TransactionConfig config) {
    this.metadata = metadata;
    this.routing = new Routing(metadata, storageNodes, routerConfig);
    this.ledger = new TransactionLedger(metadata, routing);
    this.clock = clock;
    this.random = random;
    this.scheduler = scheduler;
    this.config = config;
  }

  /** What a recovery pass did. */
  public record RecoveryReport(int committed, int aborted, int expired, int failed) {}

  /**
   * Creates the ledger table if needed, then finishes or aborts every transaction it records: the
   * transactions a crash of their coordinator left in doubt. Call before serving.
   */
  public CompletableFuture<RecoveryReport> start() {
    return ledger.ensureTable().thenCompose(ignored -> recover(0));
  }

  /** Whether a table is internal to Flywheel (the ledger): listed to no client. */
  public static boolean isInternalTable(String name) {
    return TransactionLedger.isInternalTable(name);
  }

  private synchronized long nextTimestamp() {
    lastTimestamp = Math.max(lastTimestamp + 1, clock.wallMillis() * 1000);
    return lastTimestamp;
  }

  private String newId() {
    byte[] b = new byte[16];
    synchronized (random) {
      random.nextBytes(b);
    }
    return Bytes.hex(b);
  }

  // ---- TransactWriteItems ----

  public CompletableFuture<TransactWriteItemsResult> transactWriteItems(TransactWriteItemsRequest request) {
    WritePlan plan = TransactionRequests.planWrite(request, routing);
    String id = request.clientRequestToken() == null ? GENERATED_ID_PREFIX + newId() : TOKEN_ID_PREFIX + request.clientRequestToken();
    List<Participant> participants = new ArrayList<>(plan.actions().size());
    for (WriteAction a : plan.actions()) {
      participants.add(new Participant(a.table().name(), a.table().tableId(), a.table().keySchema().keyMap(a.key())));
    }
    Record record = new Record(id, State.PENDING, nextTimestamp(), clock.wallMillis(), 0, plan.fingerprint(), participants);
    return new WriteTransaction(request, plan, record).claim(0);
  }

  /** One TransactWriteItems request on its way through claim, prepare, decision and commit. */
  private final class WriteTransaction {
    final TransactWriteItemsRequest request;
    final WritePlan plan;
    final Record record;
    final List<Group> groups;

    WriteTransaction(TransactWriteItemsRequest request, WritePlan plan, Record record) {
      this.request = request;
      this.plan = plan;
      this.record = record;
      Map<Long, Group> byPartition = new LinkedHashMap<>();
      for (WriteAction a : plan.actions()) {
        long hash = TransactionRequests.hash(a.key());
        PartitionDescriptor p = a.table().partitionFor(hash);
        byPartition.computeIfAbsent(p.groupId(), g -> new Group(a.table(), hash, new ArrayList<>(), new ArrayList<>()))
            .add(a.action());
      }
      this.groups = List.copyOf(byPartition.values());
    }

    CompletableFuture<TransactWriteItemsResult> claim(int attempt) {
      return ledger.claim(record).thenCompose(existing -> existing == null ? prepare() : resolve(existing, attempt));
    }

    /** The token was used before: answer as DynamoDB does for a retry, or take over a stalled attempt. */
    private CompletableFuture<TransactWriteItemsResult> resolve(Record existing, int attempt) {
      long now = clock.wallMillis();
      if (existing.state() == State.DONE && now - existing.doneMillis() >= config.idempotencyWindowMillis()) {
        return ledger.replace(existing, record).thenCompose(replaced -> replaced ? prepare() : claimAgain(attempt));
      }
      if (!Arrays.equals(existing.fingerprint(), record.fingerprint())) {
        return CompletableFuture.failedFuture(TransactionErrors.parameterMismatch());
      }
      return switch (existing.state()) {
        case DONE -> CompletableFuture.completedFuture(replayed());
        case COMMITTED -> finishCommitted(existing).thenApply(all -> {
          if (!all) {
            throw internalError();
          }
          return replayed();
        });
        case PENDING, ABORTING -> {
          if (now - existing.startedMillis() < config.inlineRecoveryAfterMillis()) {
            yield CompletableFuture.failedFuture(TransactionErrors.inProgress());
          }
          yield recoverRecord(existing).thenCompose(outcome ->
              outcome == State.COMMITTED ? CompletableFuture.completedFuture(replayed()) : claimAgain(attempt));
        }
      };
    }

    private CompletableFuture<TransactWriteItemsResult> claimAgain(int attempt) {
      if (attempt + 1 >= CLAIM_ATTEMPTS_MAX) {
        return CompletableFuture.failedFuture(internalError());
      }
      return claim(attempt + 1);
    }

    private CompletableFuture<TransactWriteItemsResult> prepare() {
      List<CompletableFuture<TxPrepareResult>> votes = new ArrayList<>(groups.size());
      for (Group g : groups) {
        votes.add(send(g, p -> routing.node(p).txPrepare(
            new TxPrepareRequest(p.ref(), g.table().tableId(), record.id(), record.timestamp(), g.actions()))));
      }
      return settled(votes).thenCompose(ignored -> decide(votes));
    }

    private CompletableFuture<TransactWriteItemsResult> decide(List<CompletableFuture<TxPrepareResult>> votes) {
      int n = plan.actions().size();
      CancellationReason[] reasons = new CancellationReason[n];
      Arrays.fill(reasons, CancellationReason.NONE);
      int[] sizes = new int[n];
      boolean allPrepared = true;
      boolean anyReason = false;
      for (int i = 0; i < votes.size(); i++) {
        TxPrepareResult vote;
        try {
          vote = votes.get(i).join();
        } catch (CompletionException failed) {
          allPrepared = false;
          if (TransactionLedger.unwrap(failed) instanceof DynamoException d && d.code() == ErrorCode.THROTTLING) {
            for (TxAction a : groups.get(i).actions()) {
              reasons[a.index()] = new CancellationReason(CancellationReason.Code.THROTTLING_ERROR, THROTTLED, null);
            }
            anyReason = true;
          }
          continue;
        }
        for (TxPrepareResult.Outcome o : vote.outcomes()) {
          reasons[o.index()] = o.reason();
          sizes[o.index()] = Math.max(o.oldSizeBytes(), o.newSizeBytes());
          anyReason |= o.reason().code() != CancellationReason.Code.NONE;
        }
        allPrepared &= vote.prepared();
      }
      if (allPrepared) {
        return commit(sizes);
      }
      boolean cancelled = anyReason;
      return abort().thenApply(ignored -> {
        // A participant that failed without a vote leaves no reason to report: that is our error.
        throw cancelled ? new TransactionCanceledException(Arrays.asList(reasons)) : internalError();
      });
    }

    private CompletableFuture<TransactWriteItemsResult> commit(int[] sizes) {
      return ledger.transition(record, Set.of(State.PENDING), State.COMMITTED, 0).handle((t, error) -> {
        if (error != null) {
          // The decision may or may not be durable: recovery will find out and finish either way.
          return CompletableFuture.<TransactWriteItemsResult>failedFuture(internalError());
        }
        if (!t.applied()) {
          // Recovery took the transaction over and aborted it.
          return abort().<TransactWriteItemsResult>thenApply(ignored -> {
            throw internalError();
          });
        }
        return commitAll(groups, record).thenApply(all -> {
          if (!all) {
            throw internalError(); // committed; recovery or a retry with the token delivers the rest
          }
          markDone(record);
          return new TransactWriteItemsResult(writeCapacity(sizes));
        });
      }).thenCompose(Function.identity());
    }

    /** Cancels at every partition, then forgets the transaction; what fails is left to recovery. */
    private CompletableFuture<Void> abort() {
      return cancelAll(groups, record);
    }

    private List<ConsumedCapacity> writeCapacity(int[] sizes) {
      Map<String, Double> units = new LinkedHashMap<>();
      for (WriteAction a : plan.actions()) {
        units.merge(a.table().name(), 2 * ConsumedCapacity.writeUnits(sizes[a.index()]), Double::sum);
      }
      return capacityList(units, request.returnConsumedCapacity(), true);
    }

    /**
     * A repeated request answers with read capacity (DynamoDB: "the number of read capacity units
     * consumed in reading the item"): one transactional read unit per action.
     */
    private TransactWriteItemsResult replayed() {
      Map<String, Double> units = new LinkedHashMap<>();
      for (WriteAction a : plan.actions()) {
        units.merge(a.table().name(), 2 * ConsumedCapacity.readUnits(0, true), Double::sum);
      }
      return new TransactWriteItemsResult(capacityList(units, request.returnConsumedCapacity(), false));
    }
  }

  private static final String THROTTLED = "Throughput exceeds the current capacity of your table or index. DynamoDB is "
      + "automatically scaling your table or index so please try again shortly. If exceptions persist, check if you "
      + "have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html.";

  private static List<ConsumedCapacity> capacityList(Map<String, Double> units, ReturnConsumedCapacity mode, boolean write) {
    List<ConsumedCapacity> list = new ArrayList<>();
    units.forEach((table, u) -> {
      ConsumedCapacity cc = ConsumedCapacity.of(table, mode);
      if (cc != null) {
        list.add(cc.withTable(write ? new ConsumedCapacity.Capacity(0, u) : new ConsumedCapacity.Capacity(u, 0)));
      }
    });
    return list;
  }

  private static DynamoException internalError() {
    return new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
  }

  // ---- the partitions of a transaction ----

  /** The actions (or keys) of one transaction that fall into one partition. */
  private record Group(TableDescriptor table, long hash, List<TxAction> actions, List<PrimaryKey> keys) {
    void add(TxAction action) {
      actions.add(action);
      keys.add(action.key());
    }
  }

  /** The partitions of a ledger record's participants, as the tables are now; deleted tables are skipped. */
  private List<Group> groupsOf(Record r) {
    Map<Long, Group> byPartition = new LinkedHashMap<>();
    for (Participant p : r.participants()) {
      TableDescriptor table = metadata.table(p.tableName());
      if (table == null || table.tableId() != p.tableId() || table.status() != TableStatus.ACTIVE) {
        continue; // the table and its items (and what was held of them) are gone
      }
      PrimaryKey key = table.keySchema().validateKey(p.key());
      long hash = TransactionRequests.hash(key);
      PartitionDescriptor partition = table.partitionFor(hash);
      byPartition.computeIfAbsent(partition.groupId(), g -> new Group(table, hash, new ArrayList<>(), new ArrayList<>()))
          .keys().add(key);
    }
    return List.copyOf(byPartition.values());
  }

  /** Sends to a group's partition (refreshing the partition map as needed), bounded by the participant timeout. */
  private <T> CompletableFuture<T> send(Group g, Function<PartitionDescriptor, CompletableFuture<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(config.participantTimeoutMillis() * NANOS_PER_MILLI,
        () -> out.completeExceptionally(internalError()));
    CompletableFuture<T> sent;
    try {
      sent = routing.routed(g.table(), g.hash(), call);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((value, error) -> {
      timer.cancel();
      if (error != null) {
        out.completeExceptionally(TransactionLedger.unwrap(error));
      } else {
        out.complete(value);
      }
    });
    return out;
  }

  /** Completes when every future has completed, normally or not. */
  private static CompletableFuture<Void> settled(List<? extends CompletableFuture<?>> futures) {
    return CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> delay(long millis) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.schedule(millis * NANOS_PER_MILLI, () -> done.complete(null));
    return done;
  }

  /** Commits at every partition, each retried up to the configured attempts; true when all are applied. */
  private CompletableFuture<Boolean> commitAll(List<Group> groups, Record r) {
    List<CompletableFuture<Boolean>> commits = new ArrayList<>(groups.size());
    for (Group g : groups) {
      commits.add(finish(g, r, true, 1));
    }
    return CompletableFuture.allOf(commits.toArray(new CompletableFuture[0]))
        .thenApply(ignored -> commits.stream().allMatch(CompletableFuture::join));
  }

  private CompletableFuture<Boolean> finish(Group g, Record r, boolean commit, int attempt) {
    return send(g, p -> routing.node(p).txFinish(new TxFinishRequest(p.ref(), g.table().tableId(), r.id(), r.timestamp(), commit, g.keys())))
        .handle((ignored, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(true);
          }
          if (attempt >= config.commitAttemptsMax()) {
            return CompletableFuture.completedFuture(false);
          }
          return delay(10L * attempt).thenCompose(x -> finish(g, r, commit, attempt + 1));
        }).thenCompose(Function.identity());
  }

  /** Cancels at every partition, then deletes the record; leaves it to recovery when a cancel fails. */
  private CompletableFuture<Void> cancelAll(List<Group> groups, Record r) {
    List<CompletableFuture<Boolean>> cancels = new ArrayList<>(groups.size());
    for (Group g : groups) {
      cancels.add(finish(g, r, false, config.commitAttemptsMax()));
    }
    return CompletableFuture.allOf(cancels.toArray(new CompletableFuture[0])).thenCompose(ignored -> {
      if (!cancels.stream().allMatch(CompletableFuture::join)) {
        return CompletableFuture.completedFuture(null);
      }
      return ledger.delete(r, Set.of(State.PENDING, State.ABORTING)).handle((deleted, error) -> null);
    });
  }

  /**
   * Every partition has committed: keep the record for the idempotency window, or, when the
   * request had no ClientRequestToken (no one can ask again), forget it.
   */
  private void markDone(Record r) {
    if (r.id().startsWith(GENERATED_ID_PREFIX)) {
      ledger.delete(r, Set.of(State.COMMITTED));
    } else {
      ledger.transition(r, Set.of(State.COMMITTED), State.DONE, clock.wallMillis());
    }
  }

  /** Commits a COMMITTED transaction everywhere and marks it DONE; true when every partition has it. */
  private CompletableFuture<Boolean> finishCommitted(Record r) {
    return commitAll(groupsOf(r), r).thenApply(all -> {
      if (all) {
        markDone(r);
      }
      return all;
    });
  }

  /**
   * Takes over a transaction whose coordinator is presumed gone: finishes a COMMITTED one, aborts a
   * PENDING or ABORTING one. Completes with the outcome: COMMITTED, or ABORTING for aborted (or
   * found gone).
   */
  private CompletableFuture<State> recoverRecord(Record r) {
    return switch (r.state()) {
      case DONE -> CompletableFuture.completedFuture(State.COMMITTED);
      case COMMITTED -> finishCommitted(r).thenApply(all -> State.COMMITTED);
      case ABORTING -> cancelAll(groupsOf(r), r).thenApply(ignored -> State.ABORTING);
      case PENDING -> ledger.transition(r, Set.of(State.PENDING), State.ABORTING, 0).thenCompose(t -> {
        if (t.applied()) {
          return cancelAll(groupsOf(r), t.current()).thenApply(ignored -> State.ABORTING);
        }
        Record now = t.current();
        if (now == null || now.timestamp() != r.timestamp()) {
          return CompletableFuture.completedFuture(State.ABORTING); // gone: it was aborted and forgotten
        }
        return recoverRecord(now); // its coordinator decided meanwhile
      });
    };
  }

  /**
   * One recovery pass over the ledger: takes over every transaction claimed at least {@code
   * minAgeMillis} ago (see the class documentation) and deletes DONE records whose idempotency
   * window has passed. A record that cannot be resolved now is counted as failed and left for the
   * next pass.
   */
  public CompletableFuture<RecoveryReport> recover(long minAgeMillis) {
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger aborted = new AtomicInteger();
    AtomicInteger expired = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    return ledger.scan(config.ledgerPageItemsMax(), page -> {
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (Record r : page) {
        chain = chain.thenCompose(ignored -> recoverOne(r, minAgeMillis, committed, aborted, expired)
            .exceptionally(error -> {
              failed.incrementAndGet();
              return null;
            }));
      }
      return chain;
    }).thenApply(ignored -> new RecoveryReport(committed.get(), aborted.get(), expired.get(), failed.get()));
  }

  private CompletableFuture<Void> recoverOne(Record r, long minAgeMillis, AtomicInteger committed, AtomicInteger aborted,
      AtomicInteger expired) {
    long now = clock.wallMillis();
    if (r.state() == State.DONE) {
      if (now - r.doneMillis() < config.idempotencyWindowMillis()) {
        return CompletableFuture.completedFuture(null);
      }
      return ledger.delete(r, Set.of(State.DONE)).thenAccept(deleted -> {
        if (deleted) {
          expired.incrementAndGet();
        }
      });
    }
    if (now - r.startedMillis() < minAgeMillis) {
      return CompletableFuture.completedFuture(null);
    }
    return recoverRecord(r).thenAccept(outcome -> (outcome == State.COMMITTED ? committed : aborted).incrementAndGet());
  }

  // ---- TransactGetItems ----

  public CompletableFuture<TransactGetItemsResult> transactGetItems(TransactGetItemsRequest request) {
    List<GetAction> plan = TransactionRequests.planGet(request, routing);
    Map<Long, List<GetAction>> byPartition = new LinkedHashMap<>();
    for (GetAction a : plan) {
      byPartition.computeIfAbsent(a.table().partitionFor(TransactionRequests.hash(a.key())).groupId(), g -> new ArrayList<>()).add(a);
    }
    List<List<GetAction>> groups = List.copyOf(byPartition.values());
    return readRound(groups, true).thenCompose(first -> {
      CancellationReason[] reasons = conflicts(groups, first, null, plan.size());
      if (reasons != null) {
        throw new TransactionCanceledException(Arrays.asList(reasons));
      }
      if (groups.size() == 1) {
        return CompletableFuture.completedFuture(getResult(request, groups, first, plan.size()));
      }
      return readRound(groups, false).thenApply(second -> {
        CancellationReason[] changed = conflicts(groups, second, first, plan.size());
        if (changed != null) {
          throw new TransactionCanceledException(Arrays.asList(changed));
        }
        return getResult(request, groups, first, plan.size());
      });
    });
  }

  private CompletableFuture<List<TxReadResult>> readRound(List<List<GetAction>> groups, boolean withImages) {
    List<CompletableFuture<TxReadResult>> reads = new ArrayList<>(groups.size());
    for (List<GetAction> actions : groups) {
      TableDescriptor table = actions.get(0).table();
      List<PrimaryKey> keys = actions.stream().map(GetAction::key).toList();
      Group g = new Group(table, TransactionRequests.hash(keys.get(0)), List.of(), keys);
      reads.add(send(g, p -> routing.node(p).txRead(new TxReadRequest(p.ref(), table.tableId(), keys, withImages))));
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture[0]))
        .handle((ignored, error) -> {
          if (error != null) {
            Throwable cause = TransactionLedger.unwrap(error);
            throw cause instanceof DynamoException d && d.code() == ErrorCode.THROTTLING ? d : internalError();
          }
          return reads.stream().map(CompletableFuture::join).toList();
        });
  }

  /** Reasons for a cancelled read (items held, or changed since {@code before}), or null when all is well. */
  private static CancellationReason[] conflicts(List<List<GetAction>> groups, List<TxReadResult> now, List<TxReadResult> before,
      int count) {
    CancellationReason[] reasons = null;
    for (int g = 0; g < groups.size(); g++) {
      for (int i = 0; i < groups.get(g).size(); i++) {
        TxReadResult.Item item = now.get(g).items().get(i);
        boolean changed = before != null && (before.get(g).incarnation() != now.get(g).incarnation()
            || before.get(g).items().get(i).version() != item.version());
        if (item.held() || changed) {
          if (reasons == null) {
            reasons = new CancellationReason[count];
            Arrays.fill(reasons, CancellationReason.NONE);
          }
          reasons[groups.get(g).get(i).index()] = CancellationReason.transactionConflict();
        }
      }
    }
    return reasons;
  }

  private static TransactGetItemsResult getResult(TransactGetItemsRequest request, List<List<GetAction>> groups,
      List<TxReadResult> reads, int count) {
    TransactGetItemsResult.Response[] responses = new TransactGetItemsResult.Response[count];
    Map<String, Double> units = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (int i = 0; i < groups.get(g).size(); i++) {
        GetAction a = groups.get(g).get(i);
        byte[] image = reads.get(g).items().get(i).image();
        units.merge(a.table().name(), 2 * ConsumedCapacity.readUnits(image == null ? 0 : ItemCodec.sizeOf(image), true), Double::sum);
        if (image == null) {
          responses[a.index()] = new TransactGetItemsResult.Response(null, null);
        } else if (a.projection() == null) {
          responses[a.index()] = new TransactGetItemsResult.Response(image, null);
        } else {
          responses[a.index()] = new TransactGetItemsResult.Response(null, a.projection().apply(ItemCodec.decode(image)));
        }
      }
    }
    // Capacity per table in the order tables first appear in the request.
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (TransactGetItemsRequest.Get get : request.gets()) {
      if (units.containsKey(get.tableName())) {
        ordered.putIfAbsent(get.tableName(), units.get(get.tableName()));
      }
    }
    return new TransactGetItemsResult(Arrays.asList(responses), capacityList(ordered, request.returnConsumedCapacity(), false));
  }
}
