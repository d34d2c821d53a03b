package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The participant rules of transactions (see {@link TxParticipant}), driven through the partition
 * state machine one loop at a time, as its worker drives it.
 */
class TxParticipantTest {
  static final long TABLE = 9;
  final MemoryKvEngine kv = new MemoryKvEngine();
  final PartitionDescriptor descriptor = new PartitionDescriptor(5, TABLE, 0, -1L, 1, List.of(1L));
  PartitionReplica replica = new PartitionReplica(kv, descriptor, StorageNodeTest.SCHEMA, 1);
  long index;
  /** Every entry appended so far, in log order (what a restart replays). */
  final List<byte[]> log = new ArrayList<>();

  static PrimaryKey key(String pk) {
    return new PrimaryKey(AttributeValue.s(pk), null);
  }

  static Map<String, AttributeValue> item(String pk, long balance) {
    return Map.of("pk", AttributeValue.s(pk), "balance", AttributeValue.n(balance));
  }

  static long balance(Map<String, AttributeValue> item) {
    return Long.parseLong(((AttributeValue.N) item.get("balance")).value().toString());
  }

  PartitionCommand put(String pk, long balance) {
    return StorageNode.prepare(new WriteRequest(descriptor.ref(), TABLE, key(pk), new WriteRequest.WriteOp.Put(item(pk, balance)),
        null, false, false, false));
  }

  static TxAction txPut(int index, String pk, long balance) {
    return new TxAction(index, key(pk), new WriteRequest.WriteOp.Put(item(pk, balance)), null, false);
  }

  /** Adds {@code delta} to the balance, on condition that the result stays non-negative. */
  static TxAction txAdd(int index, String pk, long delta, boolean returnOld) {
    return new TxAction(index, key(pk),
        new WriteRequest.WriteOp.Update(Map.of("pk", AttributeValue.s(pk)), Trees.update("SET balance = balance + :d", ":d", AttributeValue.n(delta))),
        Trees.condition("attribute_exists(pk) AND balance >= :min", ":min", AttributeValue.n(-delta)), returnOld);
  }

  static TxAction txDelete(int index, String pk) {
    return new TxAction(index, key(pk), new WriteRequest.WriteOp.Delete(), null, false);
  }

  static TxAction txCheckAbsent(int index, String pk) {
    return new TxAction(index, key(pk), null, Trees.condition("attribute_not_exists(pk)"), false);
  }

  PartitionCommand prepare(String txId, long timestamp, TxAction... actions) {
    return StorageNode.prepareCommand(new TxPrepareRequest(descriptor.ref(), TABLE, txId, timestamp, List.of(actions)));
  }

  PartitionCommand finish(String txId, long timestamp, boolean commit, String... pks) {
    List<PrimaryKey> keys = new ArrayList<>();
    for (String pk : pks) {
      keys.add(key(pk));
    }
    return new TxCommand.Finish(new TxFinishRequest(descriptor.ref(), TABLE, txId, timestamp, commit, keys),
        StorageNode.itemKeys(TABLE, keys));
  }

  PartitionCommand read(String... pks) {
    List<PrimaryKey> keys = new ArrayList<>();
    for (String pk : pks) {
      keys.add(key(pk));
    }
    return new TxCommand.Read(new TxReadRequest(descriptor.ref(), TABLE, keys, true), StorageNode.itemKeys(TABLE, keys));
  }

  /** Evaluates the commands as one loop, then applies the appended entries in one batch. */
  List<Evaluation> loop(PartitionCommand... commands) {
    List<Evaluation> out = new ArrayList<>();
    try (KvBatch batch = kv.newBatch()) {
      List<byte[]> entries = new ArrayList<>();
      for (PartitionCommand c : commands) {
        Evaluation e;
        try {
          e = replica.evaluate(c, index + entries.size() + 1);
        } catch (DynamoException ex) {
          e = new Evaluation.Reject(ex);
        }
        out.add(e);
        if (e instanceof Evaluation.Append a) {
          entries.add(a.entry());
        }
      }
      for (byte[] entry : entries) {
        replica.apply(++index, entry, batch);
        log.add(entry);
      }
      kv.write(batch, false);
      replica.applied(index);
    }
    return out;
  }

  Evaluation one(PartitionCommand command) {
    return loop(command).get(0);
  }

  static TxPrepareResult vote(Evaluation e) {
    return (TxPrepareResult) (e instanceof Evaluation.Append a ? a.result() : ((Evaluation.Done) e).result());
  }

  static List<CancellationReason.Code> codes(TxPrepareResult vote) {
    List<CancellationReason.Code> codes = new ArrayList<>();
    for (TxPrepareResult.Outcome o : vote.outcomes()) {
      codes.add(o.reason().code());
    }
    return codes;
  }

  Map<String, AttributeValue> stored(String pk) {
    byte[] image = kv.get(Space.DATA, KeyEncoding.itemKey(TABLE, key(pk)));
    return image == null ? null : ItemCodec.decode(image);
  }

  @Test
  void aPreparedTransactionChangesNothingVisibleUntilItCommitsAllItsActions() {
    loop(put("a", 100), put("b", 5), put("c", 1));
    TxPrepareResult vote = vote(one(prepare("tx1", 10, txAdd(0, "a", -30, false), txAdd(1, "b", 30, false),
        txDelete(2, "c"), txPut(3, "d", 7), txCheckAbsent(4, "e"))));
    assertThat(vote.prepared()).isTrue();
    assertThat(codes(vote)).containsOnly(CancellationReason.Code.NONE);
    assertThat(vote.outcomes().get(0).newSizeBytes()).isPositive();
    assertThat(balance(stored("a"))).isEqualTo(100);
    assertThat(stored("c")).isNotNull();
    assertThat(stored("d")).isNull();

    assertThat(one(finish("tx1", 10, true, "a", "b", "c", "d", "e"))).isInstanceOf(Evaluation.Append.class);
    assertThat(balance(stored("a"))).isEqualTo(70);
    assertThat(balance(stored("b"))).isEqualTo(35);
    assertThat(stored("c")).isNull();
    assertThat(balance(stored("d"))).isEqualTo(7);
    assertThat(stored("e")).as("a condition check writes nothing").isNull();
    assertThat(replica.stats(TABLE).itemCount()).isEqualTo(3);
    // Nothing is held any more: plain writes go through again.
    assertThat(loop(put("a", 1), put("e", 2))).allMatch(e -> e instanceof Evaluation.Append);
  }

  @Test
  void aPlainWriteOnAHeldItemFailsWithTransactionConflictWhileReadsSeeTheCommittedVersion() {
    loop(put("a", 100));
    one(prepare("tx1", 10, txAdd(0, "a", -30, false), txCheckAbsent(1, "e")));
    for (PartitionCommand write : List.of(put("a", 1), put("e", 1))) {
      Evaluation e = one(write);
      assertThat(((Evaluation.Reject) e).error()).isInstanceOfSatisfying(DynamoException.class, ex -> {
        assertThat(ex.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT);
        assertThat(ex).hasMessage("Transaction is ongoing for the item");
      });
    }
    assertThat(balance(stored("a"))).isEqualTo(100);
    assertThat(stored("e")).isNull();
  }

  @Test
  void aPrepareOnAnItemHeldByAnotherTransactionFailsAtOnceAndHoldsNothing() {
    loop(put("a", 100), put("b", 0));
    one(prepare("tx1", 10, txAdd(0, "a", -10, false)));
    TxPrepareResult vote = vote(one(prepare("tx2", 11, txAdd(0, "b", 10, false), txAdd(1, "a", -10, false))));
    assertThat(vote.prepared()).isFalse();
    assertThat(codes(vote)).containsExactly(CancellationReason.Code.NONE, CancellationReason.Code.TRANSACTION_CONFLICT);
    assertThat(vote.outcomes().get(1).reason().message()).isEqualTo("Transaction is ongoing for the item");
    // All or nothing in the partition: b was not held for tx2.
    assertThat(one(put("b", 1))).isInstanceOf(Evaluation.Append.class);
  }

  @Test
  void aPrepareNotNewerThanTheLastTransactionFinishedOnTheItemIsRejected() {
    loop(put("a", 100));
    one(prepare("tx1", 20, txAdd(0, "a", -10, false)));
    one(finish("tx1", 20, true, "a"));
    // An older transaction, and a late copy of tx1's own prepare, come too late.
    assertThat(codes(vote(one(prepare("tx0", 15, txAdd(0, "a", -10, false))))))
        .containsExactly(CancellationReason.Code.TRANSACTION_CONFLICT);
    assertThat(codes(vote(one(prepare("tx1", 20, txAdd(0, "a", -10, false))))))
        .containsExactly(CancellationReason.Code.TRANSACTION_CONFLICT);
    assertThat(balance(stored("a"))).isEqualTo(90);
    // A cancel also closes the item to its transaction's late prepare, even where it never arrived.
    one(finish("tx5", 30, false, "b"));
    assertThat(vote(one(prepare("tx5", 30, txPut(0, "b", 1)))).prepared()).isFalse();
    assertThat(vote(one(prepare("tx6", 31, txPut(0, "b", 1), txAdd(1, "a", 1, false)))).prepared()).isTrue();
  }

  @Test
  void failedConditionsReportEachActionAndTheCurrentItemWhenAsked() {
    loop(put("a", 5), put("b", 5));
    TxPrepareResult vote = vote(one(prepare("tx1", 10,
        txAdd(0, "a", -10, true), txAdd(1, "b", -1, false), txAdd(2, "b2", -1, false), txCheckAbsent(3, "a"))));
    assertThat(vote.prepared()).isFalse();
    assertThat(codes(vote)).containsExactly(CancellationReason.Code.CONDITIONAL_CHECK_FAILED, CancellationReason.Code.NONE,
        CancellationReason.Code.CONDITIONAL_CHECK_FAILED, CancellationReason.Code.CONDITIONAL_CHECK_FAILED);
    assertThat(vote.outcomes().get(0).reason().item()).isEqualTo(item("a", 5));
    assertThat(vote.outcomes().get(0).reason().message()).isEqualTo("The conditional request failed");
    assertThat(vote.outcomes().get(2).reason().item()).as("absent item, nothing to return").isNull();
    assertThat(vote.outcomes().get(3).reason().item()).as("not asked for").isNull();
    assertThat(loop(put("a", 1), put("b", 1))).allMatch(e -> e instanceof Evaluation.Append);
  }

  @Test
  void anUpdateThatCannotApplyOrGrowsPastTheLimitIsAValidationError() {
    loop(put("a", 5));
    // pk is a string: adding to it is a type error found only when applying
    TxAction broken = new TxAction(0, key("a"),
        new WriteRequest.WriteOp.Update(Map.of("pk", AttributeValue.s("a")), Trees.update("SET balance = pk + :one", ":one", AttributeValue.n(1))),
        null, false);
    TxAction huge = new TxAction(1, key("b"), new WriteRequest.WriteOp.Update(Map.of("pk", AttributeValue.s("b")),
        Trees.update("SET big = :big", ":big", AttributeValue.s("x".repeat(400 * 1024)))), null, false);
    TxPrepareResult vote = vote(one(prepare("tx1", 10, broken, huge)));
    assertThat(codes(vote)).containsExactly(CancellationReason.Code.VALIDATION_ERROR, CancellationReason.Code.VALIDATION_ERROR);
    assertThat(vote.outcomes().get(0).reason().message()).isEqualTo("An operand in the update expression has an incorrect data type");
    assertThat(vote.outcomes().get(1).reason().message()).isEqualTo("Item size to update has exceeded the maximum allowed size");
  }

  @Test
  void cancelReleasesWithoutWritingAndRepeatedFinishesChangeNothing() {
    loop(put("a", 100));
    one(prepare("tx1", 10, txAdd(0, "a", -10, false), txPut(1, "n", 1)));
    one(finish("tx1", 10, false, "a", "n"));
    assertThat(balance(stored("a"))).isEqualTo(100);
    assertThat(stored("n")).isNull();
    // Repeating the cancel, or a commit after it, finds nothing held by tx1.
    assertThat(one(finish("tx1", 10, false, "a", "n"))).isInstanceOf(Evaluation.Done.class);
    assertThat(one(finish("tx1", 10, true, "a", "n"))).isInstanceOf(Evaluation.Done.class);
    assertThat(balance(stored("a"))).isEqualTo(100);
    assertThat(stored("n")).isNull();
    // A finish never touches an item another transaction holds.
    one(prepare("tx2", 11, txAdd(0, "a", -1, false)));
    one(finish("tx1", 10, true, "a"));
    assertThat(((Evaluation.Reject) one(put("a", 3))).error()).hasMessage("Transaction is ongoing for the item");
    one(finish("tx2", 11, true, "a"));
    assertThat(balance(stored("a"))).isEqualTo(99);
  }

  @Test
  void decisionsInOneLoopSeeEachOther() {
    loop(put("a", 100));
    one(prepare("tx1", 10, txAdd(0, "a", -10, false)));
    List<Evaluation> e = loop(finish("tx1", 10, true, "a"), prepare("tx2", 11, txAdd(0, "a", -20, false)), put("a", 0),
        read("a"));
    assertThat(vote(e.get(1)).prepared()).as("tx2 sees a released and at 90").isTrue();
    assertThat(((Evaluation.Reject) e.get(2)).error()).hasMessage("Transaction is ongoing for the item");
    assertThat(((TxReadResult) ((Evaluation.Done) e.get(3)).result()).items().get(0).held()).isTrue();
    one(finish("tx2", 11, true, "a"));
    assertThat(balance(stored("a"))).isEqualTo(70);
  }

  @Test
  void readsReportHeldItemsAndVersionsThatChangeOnlyWhenTheItemIsWritten() {
    loop(put("a", 1), put("b", 2));
    TxReadResult first = (TxReadResult) ((Evaluation.Done) one(read("a", "b", "z"))).result();
    assertThat(first.incarnation()).isEqualTo(1);
    assertThat(ItemCodec.decode(first.items().get(0).image())).isEqualTo(item("a", 1));
    assertThat(first.items().get(2).image()).isNull();
    loop(put("b", 3), put("c", 3));
    TxReadResult second = (TxReadResult) ((Evaluation.Done) one(read("a", "b", "z"))).result();
    assertThat(second.items().get(0).version()).isEqualTo(first.items().get(0).version());
    assertThat(second.items().get(1).version()).isNotEqualTo(first.items().get(1).version());
    assertThat(second.items().get(2).version()).isEqualTo(first.items().get(2).version());
    one(prepare("tx1", 10, txCheckAbsent(0, "z")));
    TxReadResult third = (TxReadResult) ((Evaluation.Done) one(read("a", "z"))).result();
    assertThat(third.items().get(1).held()).isTrue();
    assertThat(third.items().get(1).image()).isNull();
  }

  @Test
  void versionsOfForgottenItemsNeverCompareEqualAfterTheyChange() {
    loop(put("a", 1));
    restartRecoveringFromTheItemEngine(); // versions are not remembered across restarts
    long before = ((TxReadResult) ((Evaluation.Done) one(read("a"))).result()).items().get(0).version();
    // Write a, then enough other items that a is forgotten again.
    loop(put("a", 2));
    List<PartitionCommand> others = new ArrayList<>();
    for (int i = 0; i < TxParticipant.VERSIONS_MAX + 1; i++) {
      others.add(put("o" + i, i));
    }
    loop(others.toArray(new PartitionCommand[0]));
    long after = ((TxReadResult) ((Evaluation.Done) one(read("a"))).result()).items().get(0).version();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void preparedItemsSurviveARestartAndCommitThere() {
    loop(put("a", 100), put("b", 0));
    one(prepare("tx1", 10, txAdd(0, "a", -40, false), txAdd(1, "b", 40, false)));
    restartRecoveringFromTheItemEngine();
    assertThat(((Evaluation.Reject) one(put("a", 1))).error()).hasMessage("Transaction is ongoing for the item");
    assertThat(vote(one(prepare("tx2", 11, txAdd(0, "b", 1, false)))).prepared()).isFalse();
    one(finish("tx1", 10, true, "a", "b"));
    assertThat(balance(stored("a"))).isEqualTo(60);
    assertThat(balance(stored("b"))).isEqualTo(40);
    assertThat(replica.stats(TABLE)).as("statistics recovered and moved by the commit")
        .isEqualTo(new PartitionStats(2, ItemSize.of(stored("a")) + ItemSize.of(stored("b"))));
  }

  @Test
  void aRestartThatReplaysTheLogRebuildsHeldItemsAndKeepsTimestampOrder() {
    loop(put("a", 100), put("b", 0));
    one(prepare("tx1", 10, txAdd(0, "a", -40, false)));
    one(finish("tx1", 10, true, "a"));
    one(prepare("tx2", 20, txAdd(0, "b", 5, false)));
    // The item engine lost everything after the puts (never synced); the log replays the rest.
    MemoryKvEngine fresh = new MemoryKvEngine();
    replica = new PartitionReplica(fresh, descriptor, StorageNodeTest.SCHEMA, 2);
    replica.recover(fresh);
    try (KvBatch batch = fresh.newBatch()) {
      long i = 0;
      for (byte[] entry : log) {
        replica.apply(++i, entry, batch);
      }
      fresh.write(batch, false);
      replica.applied(i);
    }
    assertThat(((Evaluation.Reject) replica.evaluate(put("b", 1), index + 1)).error()).hasMessage("Transaction is ongoing for the item");
    TxPrepareResult late = vote(replica.evaluate(prepare("tx0", 10, txAdd(0, "a", 1, false)), index + 1));
    assertThat(late.prepared()).as("timestamps finished before the restart still order prepares").isFalse();
    assertThat(vote(replica.evaluate(prepare("tx3", 21, txAdd(0, "a", 1, false)), index + 1)).prepared()).isTrue();
  }

  private void restartRecoveringFromTheItemEngine() {
    replica = new PartitionReplica(kv, descriptor, StorageNodeTest.SCHEMA, 2);
    replica.recover(kv);
  }
}
