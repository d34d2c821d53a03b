package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The partition state machine driven directly, one loop at a time, as its worker drives it. */
class PartitionReplicaTest {
  static final long TABLE = 9;
  final MemoryKvEngine kv = new MemoryKvEngine();
  final PartitionDescriptor descriptor = new PartitionDescriptor(5, TABLE, 0, -1L, 1, List.of(1L));
  final PartitionReplica replica = new PartitionReplica(kv, descriptor, StorageNodeTest.SCHEMA);
  long index;

  static PrimaryKey key(String pk) {
    return new PrimaryKey(AttributeValue.s(pk), null);
  }

  static Map<String, AttributeValue> item(String pk, String v) {
    return Map.of("pk", AttributeValue.s(pk), "v", AttributeValue.s(v));
  }

  WriteRequest put(String pk, String v) {
    return new WriteRequest(descriptor.ref(), TABLE, key(pk), new WriteRequest.WriteOp.Put(item(pk, v)), null, true, true, false);
  }

  WriteRequest delete(String pk) {
    return new WriteRequest(descriptor.ref(), TABLE, key(pk), new WriteRequest.WriteOp.Delete(), null, true, false, false);
  }

  /** Evaluates the requests as one loop, then applies the appended entries in one batch. */
  List<Evaluation> loop(WriteRequest... requests) {
    List<Evaluation> out = new ArrayList<>();
    try (KvBatch batch = kv.newBatch()) {
      List<byte[]> entries = new ArrayList<>();
      for (WriteRequest r : requests) {
        Evaluation e;
        try {
          e = replica.evaluate(StorageNode.prepare(r), index + entries.size() + 1);
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
      }
      kv.write(batch, false);
      replica.applied(index);
    }
    return out;
  }

  /** Decides {@code request} as the entry at {@code at} without applying it, and returns the old item it saw. */
  Map<String, AttributeValue> decide(WriteRequest request, long at) {
    Evaluation e = replica.evaluate(StorageNode.prepare(request), at);
    return ((WriteResult) ((Evaluation.Append) e).result()).oldItem();
  }

  void applyOnly(long at, byte[] entry) {
    try (KvBatch batch = kv.newBatch()) {
      replica.apply(at, entry, batch);
      kv.write(batch, false);
    }
    replica.applied(at);
  }

  @Test
  void decisionsStayVisibleUntilTheirOwnEntryIsAppliedAcrossLoops() {
    Evaluation first = replica.evaluate(StorageNode.prepare(put("a", "1")), 1);
    assertThat(decide(put("a", "2"), 2)).as("sees the decision at 1").isEqualTo(item("a", "1"));
    applyOnly(1, ((Evaluation.Append) first).entry());
    assertThat(stored("a")).isEqualTo(item("a", "1"));
    // entry 2 is still in flight (a replication round trip): the next decision must build on it
    assertThat(decide(put("a", "3"), 3)).as("sees the decision at 2, not the applied 1").isEqualTo(item("a", "2"));
  }

  @Test
  void discardedDecisionsAreForgottenAndTheAppliedStateDecidesAgain() {
    loop(put("a", "1"));
    assertThat(decide(put("a", "2"), index + 1)).isEqualTo(item("a", "1"));
    assertThat(decide(put("b", "x"), index + 2)).isNull();
    replica.discardDecisions(kv); // leadership lost: entries index+1.. may never commit
    assertThat(decide(put("a", "9"), index + 1)).as("back to the applied state").isEqualTo(item("a", "1"));
    assertThat(replica.evaluate(StorageNode.prepare(delete("b")), index + 2)).as("b was never written")
        .isInstanceOf(Evaluation.Done.class);
  }

  Map<String, AttributeValue> stored(String pk) {
    byte[] image = kv.get(Space.DATA, KeyEncoding.itemKey(TABLE, key(pk)));
    return image == null ? null : ItemCodec.decode(image);
  }

  @Test
  void aLaterWriteInTheSameLoopSeesTheEarlierOne() {
    List<Evaluation> e = loop(put("a", "1"), put("a", "2"), delete("a"), put("a", "3"));
    assertThat(((WriteResult) ((Evaluation.Append) e.get(1)).result()).oldItem()).isEqualTo(item("a", "1"));
    assertThat(((WriteResult) ((Evaluation.Append) e.get(2)).result()).oldItem()).isEqualTo(item("a", "2"));
    assertThat(((WriteResult) ((Evaluation.Append) e.get(3)).result()).oldItem()).isNull();
    assertThat(stored("a")).isEqualTo(item("a", "3"));
    assertThat(replica.stats(TABLE).itemCount()).isEqualTo(1);
  }

  @Test
  void aFalseConditionRejectsAndCanReturnTheCurrentItem() {
    loop(put("a", "1"));
    WriteRequest guarded = new WriteRequest(descriptor.ref(), TABLE, key("a"), new WriteRequest.WriteOp.Put(item("a", "2")),
        Trees.condition("attribute_not_exists(pk)"), false, false, true);
    Evaluation e = loop(guarded).get(0);
    assertThat(e).isInstanceOf(Evaluation.Reject.class);
    ConditionalCheckFailedException error = (ConditionalCheckFailedException) ((Evaluation.Reject) e).error();
    assertThat(error.item()).isEqualTo(item("a", "1"));
    assertThat(stored("a")).isEqualTo(item("a", "1"));
  }

  @Test
  void deletingAnAbsentItemWritesNothing() {
    Evaluation e = loop(delete("ghost")).get(0);
    assertThat(e).isInstanceOf(Evaluation.Done.class);
    assertThat(replica.stats(TABLE)).isEqualTo(PartitionStats.EMPTY);
  }

  @Test
  void statisticsFollowCountAndSizeAndSurviveRecovery() {
    loop(put("a", "1"), put("b", "22"));
    loop(put("a", "333"), delete("b"));
    // a: "pk"(2)+"a"(1)+"v"(1)+"333"(3) = 7
    assertThat(replica.stats(TABLE)).isEqualTo(new PartitionStats(1, 7));
    PartitionReplica recovered = new PartitionReplica(kv, descriptor, StorageNodeTest.SCHEMA);
    recovered.recover(kv);
    assertThat(recovered.stats(TABLE)).isEqualTo(new PartitionStats(1, 7));
  }

  @Test
  void anUpdateThatGrowsTheItemPastTheLimitIsRejected() {
    loop(put("a", "1"));
    WriteRequest grow = new WriteRequest(descriptor.ref(), TABLE, key("a"), new WriteRequest.WriteOp.Update(Map.of("pk", AttributeValue.s("a")),
        Trees.update("SET big = :big", ":big", AttributeValue.s("x".repeat(400 * 1024)))), null, false, false, false);
    Evaluation e = loop(grow).get(0);
    assertThat(((Evaluation.Reject) e).error()).hasMessage("Item size to update has exceeded the maximum allowed size");
    assertThat(stored("a")).isEqualTo(item("a", "1"));
  }

  // ---- secondary indexes ----

  static final PartitionDescriptor INDEXED = new PartitionDescriptor(7, IndexedTable.TABLE_ID, 0, -1L, 1, List.of(1L));

  static WriteRequest putItem(Map<String, AttributeValue> item) {
    return new WriteRequest(INDEXED.ref(), IndexedTable.TABLE_ID, new PrimaryKey(item.get("pk"), item.get("sk")),
        new WriteRequest.WriteOp.Put(item), null, true, false, false);
  }

  static WriteRequest deleteItem(String pk, long sk) {
    return new WriteRequest(INDEXED.ref(), IndexedTable.TABLE_ID, IndexedTable.key(pk, sk), new WriteRequest.WriteOp.Delete(), null,
        true, false, false);
  }

  /** Sets (or, for a null value, removes) one attribute of an item. */
  static WriteRequest setAttribute(String pk, long sk, String name, AttributeValue value) {
    Map<String, AttributeValue> change = new LinkedHashMap<>();
    change.put(name, value);
    return new WriteRequest(INDEXED.ref(), IndexedTable.TABLE_ID, IndexedTable.key(pk, sk),
        new WriteRequest.WriteOp.Update(IndexedTable.item(pk, sk), Trees.setOrRemove(change)), null, true, false, false);
  }

  static PartitionCommand cmd(WriteRequest request) {
    return ReplicaDriver.write(request);
  }

  static byte[] concat(byte[]... parts) {
    byte[] out = new byte[0];
    for (byte[] p : parts) {
      out = Bytes.concat(out, p);
    }
    return out;
  }

  static String hex(byte[] key) {
    return Bytes.hex(key);
  }

  /** The key of an item's entry in an index, from its documented layout (not from the code that writes it). */
  static byte[] expectedIndexKey(long indexId, AttributeValue indexPk, AttributeValue indexSk, AttributeValue pk, AttributeValue sk) {
    byte[] key = KeyEncoding.partitionPrefix(indexId, indexPk);
    if (indexSk != null) {
      key = concat(key, KeyEncoding.keyPart(indexSk));
    }
    return concat(key, KeyEncoding.keyPart(pk), KeyEncoding.keyPart(sk));
  }

  static byte[] rankKey(String pk, long sk, long rank) {
    return expectedIndexKey(IndexedTable.RANK_INDEX_ID, IndexedTable.s(pk), IndexedTable.n(rank), IndexedTable.s(pk), IndexedTable.n(sk));
  }

  static byte[] colorKey(String color, String pk, long sk) {
    return expectedIndexKey(IndexedTable.COLOR_INDEX_ID, IndexedTable.s(color), null, IndexedTable.s(pk), IndexedTable.n(sk));
  }

  @SafeVarargs
  static PartitionStats statsOf(Map<String, AttributeValue>... entries) {
    long size = 0;
    for (Map<String, AttributeValue> e : entries) {
      size += ItemSize.of(e);
    }
    return new PartitionStats(entries.length, size);
  }

  @Nested
  class LocalIndexes {
    final ReplicaDriver driver = new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(IndexedTable.RANK_INDEX));

    Map<String, Map<String, AttributeValue>> rankEntries() {
      return IndexedTable.entries(driver.kv, IndexedTable.RANK_INDEX_ID);
    }

    @Test
    void aPutWritesTheEntryUnderTheIndexSortKeyFollowedByTheTableKey() {
      driver.one(cmd(putItem(IndexedTable.item("a", 1, "rank", 5, "note", "hello"))));
      Map<String, AttributeValue> projected = IndexedTable.item("a", 1, "rank", 5);
      assertThat(rankEntries()).isEqualTo(Map.of(hex(rankKey("a", 1, 5)), projected));
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(statsOf(projected));
    }

    @Test
    void anUpdateThatChangesTheIndexSortKeyMovesTheEntry() {
      driver.one(cmd(putItem(IndexedTable.item("a", 1, "rank", 5))));
      driver.one(cmd(setAttribute("a", 1, "rank", IndexedTable.n(12345))));
      Map<String, AttributeValue> projected = IndexedTable.item("a", 1, "rank", 12345);
      assertThat(rankEntries()).isEqualTo(Map.of(hex(rankKey("a", 1, 12345)), projected));
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(statsOf(projected));
    }

    @Test
    void moveAndPutOfTheSameItemInOneLoopLeaveOneEntry() {
      driver.loop(cmd(putItem(IndexedTable.item("a", 1, "rank", 5))), cmd(setAttribute("a", 1, "rank", IndexedTable.n(6))),
          cmd(setAttribute("a", 1, "rank", IndexedTable.n(7))));
      assertThat(rankEntries()).containsOnlyKeys(hex(rankKey("a", 1, 7)));
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(statsOf(IndexedTable.item("a", 1, "rank", 7)));
    }

    @Test
    void removingTheIndexSortKeyTakesTheItemOutOfTheIndex() {
      driver.one(cmd(putItem(IndexedTable.item("a", 1, "rank", 5, "note", "x"))));
      driver.one(cmd(setAttribute("a", 1, "rank", null)));
      assertThat(rankEntries()).isEmpty();
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(PartitionStats.EMPTY);
      assertThat(driver.replica.stats(IndexedTable.TABLE_ID).itemCount()).isEqualTo(1);
      driver.one(cmd(setAttribute("a", 1, "rank", IndexedTable.n(9))));
      assertThat(rankEntries()).containsOnlyKeys(hex(rankKey("a", 1, 9)));
    }

    @Test
    void deletingTheItemDeletesItsEntry() {
      driver.loop(cmd(putItem(IndexedTable.item("a", 1, "rank", 5))), cmd(putItem(IndexedTable.item("b", 2, "rank", 5))));
      driver.one(cmd(deleteItem("a", 1)));
      assertThat(rankEntries()).containsOnlyKeys(hex(rankKey("b", 2, 5)));
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(statsOf(IndexedTable.item("b", 2, "rank", 5)));
      driver.one(cmd(deleteItem("b", 2)));
      assertThat(rankEntries()).isEmpty();
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(PartitionStats.EMPTY);
    }

    @Test
    void eachIndexKeepsItsOwnStatistics() {
      var keysOnly = IndexedTable.localIndex("k", 21, IndexedTable.RANK_KEYS, ProjectionType.KEYS_ONLY, List.of());
      var byWhen = IndexedTable.localIndex("w", 22, new KeySchema(IndexedTable.RANK_KEYS.partitionKey(),
          new KeyAttribute("when", ScalarType.S)), ProjectionType.ALL, List.of());
      ReplicaDriver two = new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(keysOnly, byWhen));
      Map<String, AttributeValue> both = IndexedTable.item("a", 1, "rank", 1, "when", "monday", "note", "long note");
      Map<String, AttributeValue> rankOnly = IndexedTable.item("b", 1, "rank", 2, "note", "n");
      Map<String, AttributeValue> neither = IndexedTable.item("c", 1, "note", "n");
      two.loop(cmd(putItem(both)), cmd(putItem(rankOnly)), cmd(putItem(neither)));
      assertThat(two.replica.stats(21)).isEqualTo(statsOf(IndexedTable.item("a", 1, "rank", 1), IndexedTable.item("b", 1, "rank", 2)));
      assertThat(two.replica.stats(22)).isEqualTo(statsOf(both));
      assertThat(two.replica.stats(IndexedTable.TABLE_ID)).isEqualTo(statsOf(both, rankOnly, neither));
      two.one(cmd(setAttribute("a", 1, "note", IndexedTable.s("short"))));
      Map<String, AttributeValue> shorter = new LinkedHashMap<>(both);
      shorter.put("note", IndexedTable.s("short"));
      assertThat(two.replica.stats(22)).isEqualTo(statsOf(shorter));
      assertThat(two.replica.stats(21)).isEqualTo(statsOf(IndexedTable.item("a", 1, "rank", 1), IndexedTable.item("b", 1, "rank", 2)));
    }

    @Test
    void projectionsCopyKeysOnlyTheIncludedAttributesOrEverything() {
      var keysOnly = IndexedTable.localIndex("k", 21, IndexedTable.RANK_KEYS, ProjectionType.KEYS_ONLY, List.of());
      var include = IndexedTable.localIndex("i", 22, IndexedTable.RANK_KEYS, ProjectionType.INCLUDE,
          List.of("note", "absent"));
      var all = IndexedTable.localIndex("a", 23, IndexedTable.RANK_KEYS, ProjectionType.ALL, List.of());
      ReplicaDriver three = new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(keysOnly, include, all));
      Map<String, AttributeValue> full = IndexedTable.item("a", 1, "rank", 5, "note", "hi", "extra", 42);
      three.one(cmd(putItem(full)));
      assertThat(IndexedTable.entries(three.kv, 21).values()).containsExactly(IndexedTable.item("a", 1, "rank", 5));
      assertThat(IndexedTable.entries(three.kv, 22).values()).containsExactly(IndexedTable.item("a", 1, "rank", 5, "note", "hi"));
      assertThat(IndexedTable.entries(three.kv, 23).values()).containsExactly(full);
    }
  }

  /** A batch that records what is put into it, then writes through {@code target}. */
  static final class RecordingBatch implements KvBatch {
    final KvBatch target;
    final List<String> puts = new ArrayList<>();
    final List<String> deletes = new ArrayList<>();

    RecordingBatch(KvBatch target) {
      this.target = target;
    }

    @Override
    public void put(Space space, byte[] key, byte[] value) {
      puts.add(space + ":" + hex(key));
      target.put(space, key, value);
    }

    @Override
    public void delete(Space space, byte[] key) {
      deletes.add(space + ":" + hex(key));
      target.delete(space, key);
    }

    @Override
    public void deleteRange(Space space, byte[] startInclusive, byte[] endExclusive) {
      throw new AssertionError("a partition entry never deletes a range");
    }

    @Override
    public int count() {
      return target.count();
    }

    @Override
    public long sizeBytes() {
      return target.sizeBytes();
    }

    @Override
    public void close() {
      target.close();
    }
  }

  static PartitionEntry.GsiUpdate colorPut(String color, Map<String, AttributeValue> projected) {
    return new PartitionEntry.GsiUpdate(IndexedTable.COLOR_INDEX_ID, KeyEncoding.partitionHash(IndexedTable.s(color)),
        colorKey(color, ((AttributeValue.S) projected.get("pk")).value(), Long.parseLong(((AttributeValue.N) projected.get("sk")).value().toString())),
        ItemCodec.encode(projected));
  }

  static PartitionEntry.GsiUpdate colorDelete(String color, String pk, long sk) {
    return new PartitionEntry.GsiUpdate(IndexedTable.COLOR_INDEX_ID, KeyEncoding.partitionHash(IndexedTable.s(color)),
        colorKey(color, pk, sk), null);
  }

  /** GsiUpdate holds arrays: compare them by content. */
  static String describe(List<PartitionEntry.GsiUpdate> updates) {
    StringBuilder out = new StringBuilder();
    for (PartitionEntry.GsiUpdate u : updates) {
      out.append(u.indexId()).append('/').append(u.hash()).append('/').append(hex(u.key())).append('=')
          .append(u.image() == null ? "DELETE" : ItemCodec.decode(u.image()).toString()).append('\n');
    }
    return out.toString();
  }

  @Nested
  class GlobalIndexOutbox {
    final ReplicaDriver driver =
        new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX));
    int outboxSignals;

    {
      driver.replica.onOutbox(() -> outboxSignals++);
    }

    List<IndexedTable.OutboxRecord> outbox() {
      return IndexedTable.outbox(driver.kv, INDEXED.groupId());
    }

    @Test
    void aWritesGlobalUpdatesGoIntoTheOutboxInTheItemsOwnBatch() {
      Map<String, AttributeValue> item = IndexedTable.item("a", 1, "color", "red", "note", "n", "rank", 3, "other", 1);
      Evaluation.Append append = (Evaluation.Append) driver.replica.evaluate(cmd(putItem(item)), 1);
      RecordingBatch batch = new RecordingBatch(driver.kv.newBatch());
      driver.replica.apply(1, append.entry(), batch);
      assertThat(batch.puts).contains("DATA:" + hex(IndexedTable.itemKey(item)), "DATA:" + hex(rankKey("a", 1, 3)),
          "STATE:" + hex(StateKeys.outbox(INDEXED.groupId(), 1)));
      assertThat(outbox()).as("nothing is visible before the batch is written").isEmpty();
      driver.kv.write(batch.target, false);
      driver.replica.applied(1);
      assertThat(outbox()).hasSize(1);
      assertThat(outbox().get(0).sequence()).isEqualTo(1);
      assertThat(describe(outbox().get(0).updates()))
          .isEqualTo(describe(List.of(colorPut("red", IndexedTable.item("a", 1, "color", "red", "note", "n")))));
      assertThat(outboxSignals).isEqualTo(1);
    }

    @Test
    void onlyWritesThatTouchAGlobalIndexQueueRecords() {
      driver.loop(cmd(putItem(IndexedTable.item("a", 1, "rank", 1))), // local index only: index 1
          cmd(putItem(IndexedTable.item("b", 1, "color", "blue"))), // index 2
          cmd(deleteItem("a", 1))); // index 3
      assertThat(outboxSignals).isEqualTo(1);
      driver.one(new PartitionCommand.SetSchema(IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX))); // index 4
      driver.one(cmd(setAttribute("a", 2, "rank", IndexedTable.n(4)))); // index 5
      driver.one(cmd(deleteItem("b", 1))); // index 6
      assertThat(outbox()).extracting(IndexedTable.OutboxRecord::sequence).containsExactly(2L, 6L);
      for (IndexedTable.OutboxRecord r : outbox()) {
        assertThat(r.updates()).allSatisfy(u -> assertThat(u.indexId()).isEqualTo(IndexedTable.COLOR_INDEX_ID));
      }
      assertThat(describe(outbox().get(1).updates())).isEqualTo(describe(List.of(colorDelete("blue", "b", 1))));
      assertThat(outboxSignals).isEqualTo(2);
    }

    @Test
    void changingTheIndexKeyDeletesTheOldEntryAndPutsTheNewOne() {
      driver.one(cmd(putItem(IndexedTable.item("a", 1, "color", "red", "note", "n"))));
      driver.one(cmd(setAttribute("a", 1, "color", IndexedTable.s("blue"))));
      driver.one(cmd(setAttribute("a", 1, "note", IndexedTable.s("m"))));
      driver.one(cmd(setAttribute("a", 1, "color", null)));
      List<IndexedTable.OutboxRecord> records = outbox();
      assertThat(records).extracting(IndexedTable.OutboxRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
      assertThat(describe(records.get(1).updates())).isEqualTo(describe(List.of(colorDelete("red", "a", 1),
          colorPut("blue", IndexedTable.item("a", 1, "color", "blue", "note", "n")))));
      assertThat(describe(records.get(2).updates()))
          .as("the key stays: one put, no delete")
          .isEqualTo(describe(List.of(colorPut("blue", IndexedTable.item("a", 1, "color", "blue", "note", "m")))));
      assertThat(describe(records.get(3).updates())).isEqualTo(describe(List.of(colorDelete("blue", "a", 1))));
    }

    @Test
    void anIndexBeingDeletedIsNotMaintained() {
      var deleting = IndexedTable.globalIndex("by-color", IndexedTable.COLOR_INDEX_ID, IndexedTable.COLOR_KEYS,
          ProjectionType.ALL, List.of(), IndexStatus.DELETING);
      driver.one(cmd(putItem(IndexedTable.item("a", 1, "color", "red"))));
      driver.one(new PartitionCommand.SetSchema(IndexedTable.schema(IndexedTable.RANK_INDEX, deleting)));
      driver.loop(cmd(putItem(IndexedTable.item("b", 1, "color", "red"))), cmd(setAttribute("a", 1, "color", IndexedTable.s("blue"))),
          cmd(deleteItem("a", 1)));
      assertThat(outbox()).extracting(IndexedTable.OutboxRecord::sequence).containsExactly(1L);
      assertThat(IndexedTable.entries(driver.kv, IndexedTable.TABLE_ID)).hasSize(1);
    }
  }

  @Nested
  class IndexKeyTypes {
    final ReplicaDriver driver =
        new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX));

    @Test
    void aPutWithAWronglyTypedIndexKeyIsRejectedWithDynamoDbsMessageAndChangesNothing() {
      Map<String, AttributeValue> original = IndexedTable.item("a", 1, "rank", 1, "color", "red");
      driver.one(cmd(putItem(original)));
      PartitionStats tableStats = driver.replica.stats(IndexedTable.TABLE_ID);
      PartitionStats rankStats = driver.replica.stats(IndexedTable.RANK_INDEX_ID);
      List<Evaluation> e = driver.loop(cmd(putItem(IndexedTable.item("a", 1, "rank", "one", "color", "red"))),
          cmd(putItem(IndexedTable.item("a", 1, "rank", 2, "color", 7))),
          cmd(setAttribute("a", 1, "rank", IndexedTable.s("x"))),
          cmd(setAttribute("a", 1, "note", IndexedTable.s("after"))));
      assertThat(((Evaluation.Reject) e.get(0)).error()).isInstanceOf(DynamoException.class).hasMessage(
          "One or more parameter values were invalid: Type mismatch for Index Key rank Expected: N Actual: S IndexName: by-rank");
      assertThat(((Evaluation.Reject) e.get(1)).error()).hasMessage(
          "One or more parameter values were invalid: Type mismatch for Index Key color Expected: S Actual: N IndexName: by-color");
      assertThat(((Evaluation.Reject) e.get(2)).error()).hasMessage(
          "One or more parameter values were invalid: Type mismatch for Index Key rank Expected: N Actual: S IndexName: by-rank");
      assertThat(((WriteResult) ((Evaluation.Append) e.get(3)).result()).oldItem())
          .as("a later write of the loop sees the item as before the rejected ones").isEqualTo(original);
      assertThat(driver.replica.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(rankStats);
      assertThat(driver.replica.stats(IndexedTable.TABLE_ID).itemCount()).isEqualTo(tableStats.itemCount());
      assertThat(IndexedTable.entries(driver.kv, IndexedTable.RANK_INDEX_ID)).containsOnlyKeys(hex(rankKey("a", 1, 1)));
      assertThat(IndexedTable.outbox(driver.kv, INDEXED.groupId())).extracting(IndexedTable.OutboxRecord::sequence)
          .containsExactly(1L, 2L); // the first put and the accepted update
    }
  }

  @Test
  void anEmptyStringIndexKeyIsRejectedWithDynamoDbsMessageAndChangesNothing() {
    ReplicaDriver driver =
        new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX));
    Map<String, AttributeValue> original = IndexedTable.item("a", 1, "color", "red");
    driver.one(cmd(putItem(original)));
    List<Evaluation> e = driver.loop(cmd(putItem(IndexedTable.item("a", 1, "color", ""))),
        cmd(setAttribute("a", 1, "color", IndexedTable.s(""))),
        cmd(putItem(IndexedTable.item("b", 1, "color", ""))));
    String rule = "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-color, IndexKey: color";
    assertThat(((Evaluation.Reject) e.get(0)).error()).isInstanceOf(DynamoException.class).hasMessage(
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. " + rule);
    assertThat(((Evaluation.Reject) e.get(1)).error()).isInstanceOf(DynamoException.class).hasMessage("One or more parameter values are not valid. "
        + "The update expression attempted to update a secondary index key to a value that is not supported. " + rule);
    assertThat(e.get(2)).isInstanceOf(Evaluation.Reject.class);
    assertThat(IndexedTable.entries(driver.kv, IndexedTable.TABLE_ID).values()).containsExactly(original);
    assertThat(IndexedTable.outbox(driver.kv, INDEXED.groupId())).hasSize(1);
  }

  /** A partition of the global index by-color: an internal table whose key space is the index's id. */
  static final PartitionDescriptor COLOR_PARTITION = new PartitionDescriptor(50, IndexedTable.COLOR_INDEX_ID, 0, -1L, 1, List.of(1L));

  static PartitionCommand.ApplyIndex applyIndex(long source, long sequence, byte[] key, Map<String, AttributeValue> image) {
    return new PartitionCommand.ApplyIndex(new IndexMutations(source, sequence,
        List.of(new IndexMutations.Mutation(key, image == null ? null : ItemCodec.encode(image)))));
  }

  @Nested
  class GlobalIndexPartition {
    final ReplicaDriver driver = new ReplicaDriver(new MemoryKvEngine(), COLOR_PARTITION, IndexedTable.colorIndexPartitionSchema());
    final byte[] redA = colorKey("red", "a", 1);
    final Map<String, AttributeValue> imageA = IndexedTable.item("a", 1, "color", "red");

    PartitionStats stats() {
      return driver.replica.stats(IndexedTable.COLOR_INDEX_ID);
    }

    Map<String, Map<String, AttributeValue>> entries() {
      return IndexedTable.entries(driver.kv, IndexedTable.COLOR_INDEX_ID);
    }

    @Test
    void aSourcesSequenceAppliesOnceAndOlderOnesNever() {
      assertThat(driver.one(applyIndex(7, 3, redA, imageA))).isInstanceOf(Evaluation.Append.class);
      assertThat(entries()).isEqualTo(Map.of(hex(redA), imageA));
      assertThat(stats()).isEqualTo(statsOf(imageA));
      Map<String, AttributeValue> other = IndexedTable.item("a", 1, "color", "red", "note", "changed");
      assertThat(driver.one(applyIndex(7, 3, redA, other))).isInstanceOf(Evaluation.Done.class);
      assertThat(driver.one(applyIndex(7, 2, redA, null))).isInstanceOf(Evaluation.Done.class);
      assertThat(entries()).isEqualTo(Map.of(hex(redA), imageA));
      assertThat(stats()).isEqualTo(statsOf(imageA));
    }

    @Test
    void aDuplicateInTheSameLoopIsDropped() {
      List<Evaluation> e = driver.loop(applyIndex(7, 3, redA, imageA), applyIndex(7, 3, redA, imageA), applyIndex(7, 4, redA, imageA));
      assertThat(e).extracting(x -> x.getClass().getSimpleName()).containsExactly("Append", "Done", "Append");
      assertThat(stats()).isEqualTo(statsOf(imageA));
    }

    @Test
    void redeliveryAfterARestartIsANoOp() {
      driver.one(applyIndex(7, 3, redA, imageA));
      driver.one(applyIndex(7, 4, colorKey("red", "b", 1), IndexedTable.item("b", 1, "color", "red")));
      PartitionStats before = stats();
      driver.restart(IndexedTable.colorIndexPartitionSchema());
      assertThat(stats()).isEqualTo(before);
      assertThat(driver.one(applyIndex(7, 3, redA, null))).isInstanceOf(Evaluation.Done.class);
      assertThat(driver.one(applyIndex(7, 4, colorKey("red", "b", 1), null))).isInstanceOf(Evaluation.Done.class);
      assertThat(entries()).hasSize(2);
      assertThat(stats()).isEqualTo(before);
    }

    @Test
    void sourcesAreIndependent() {
      driver.one(applyIndex(7, 10, redA, imageA));
      byte[] redB = colorKey("red", "b", 1);
      Map<String, AttributeValue> imageB = IndexedTable.item("b", 1, "color", "red");
      assertThat(driver.one(applyIndex(8, 1, redB, imageB))).as("source 8 has its own sequence").isInstanceOf(Evaluation.Append.class);
      assertThat(driver.one(applyIndex(7, 9, redB, null))).isInstanceOf(Evaluation.Done.class);
      assertThat(driver.one(applyIndex(8, 2, redA, null))).isInstanceOf(Evaluation.Append.class);
      assertThat(entries()).isEqualTo(Map.of(hex(redB), imageB));
      assertThat(stats()).isEqualTo(statsOf(imageB));
    }

    @Test
    void overwritingAndDeletingAdjustTheStatistics() {
      Map<String, AttributeValue> bigger = IndexedTable.item("a", 1, "color", "red", "note", "a longer note");
      driver.loop(applyIndex(7, 1, redA, imageA), applyIndex(7, 2, redA, bigger));
      assertThat(stats()).isEqualTo(statsOf(bigger));
      driver.one(applyIndex(7, 3, redA, null));
      assertThat(stats()).isEqualTo(PartitionStats.EMPTY);
      assertThat(driver.one(applyIndex(7, 4, redA, null))).as("deleting an absent entry").isInstanceOf(Evaluation.Append.class);
      assertThat(stats()).isEqualTo(PartitionStats.EMPTY);
    }
  }

  /** What by-color must hold for a table's items: the entry of every item whose color is a string. */
  static Map<String, Map<String, AttributeValue>> expectedColorIndex(Iterable<Map<String, AttributeValue>> tableItems) {
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    for (Map<String, AttributeValue> item : tableItems) {
      if (item.get("color") instanceof AttributeValue.S color) {
        Map<String, AttributeValue> projected = new HashMap<>();
        for (String name : List.of("pk", "sk", "color", "note")) {
          if (item.containsKey(name)) {
            projected.put(name, item.get(name));
          }
        }
        String pk = ((AttributeValue.S) item.get("pk")).value();
        long sk = Long.parseLong(((AttributeValue.N) item.get("sk")).value().toString());
        expected.put(hex(colorKey(color.value(), pk, sk)), projected);
      }
    }
    return expected;
  }

  /** The global index's contents after delivering {@code records} in order, as its partitions would apply them. */
  static Map<String, Map<String, AttributeValue>> deliverInOrder(List<IndexedTable.OutboxRecord> records) {
    Map<String, Map<String, AttributeValue>> index = new TreeMap<>();
    for (IndexedTable.OutboxRecord r : records) {
      for (PartitionEntry.GsiUpdate u : r.updates()) {
        assertThat(u.hash()).isEqualTo(KeyEncoding.hashOf(u.key()));
        if (u.image() == null) {
          index.remove(hex(u.key()));
        } else {
          index.put(hex(u.key()), ItemCodec.decode(u.image()));
        }
      }
    }
    return index;
  }

  @Nested
  class Backfill {
    final ReplicaDriver driver = new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema(IndexedTable.RANK_INDEX));
    final IndexDescriptor creating = IndexedTable.globalIndex("by-color", IndexedTable.COLOR_INDEX_ID,
        IndexedTable.COLOR_KEYS, ProjectionType.INCLUDE, List.of("note"), IndexStatus.CREATING);

    Backfill() {
      driver.loop(cmd(putItem(IndexedTable.item("a", 1, "color", "red", "note", "x", "rank", 1))),
          cmd(putItem(IndexedTable.item("b", 1, "rank", 2))),
          cmd(putItem(IndexedTable.item("c", 1, "color", "blue"))),
          cmd(putItem(IndexedTable.item("d", 1, "color", "green", "extra", 3))),
          cmd(putItem(IndexedTable.item("e", 1, "color", 5))), // written before the index existed: never in it
          cmd(putItem(IndexedTable.item("f", 1))));
      driver.one(new PartitionCommand.SetSchema(IndexedTable.schema(IndexedTable.RANK_INDEX, creating)));
    }

    List<Map<String, AttributeValue>> tableItemsInKeyOrder() {
      return List.copyOf(IndexedTable.entries(driver.kv, IndexedTable.TABLE_ID).values());
    }

    List<IndexedTable.OutboxRecord> outbox() {
      return IndexedTable.outbox(driver.kv, INDEXED.groupId());
    }

    PartitionCommand.Backfill chunk(byte[] from, int maxItems) {
      return new PartitionCommand.Backfill(IndexedTable.COLOR_INDEX_ID, from, maxItems);
    }

    @Test
    void oneChunkQueuesTheEntriesOfTheCoveredItemsOnly() {
      assertThat(outbox()).isEmpty();
      Evaluation e = driver.one(chunk(null, 100));
      assertThat(((Evaluation.Append) e).result()).isEqualTo(PartitionReplica.BackfillDone.INSTANCE);
      assertThat(outbox()).extracting(IndexedTable.OutboxRecord::sequence).containsExactly(driver.lastIndex);
      assertThat(deliverInOrder(outbox())).isEqualTo(expectedColorIndex(tableItemsInKeyOrder())).hasSize(3);
    }

    @Test
    void chunksStopAtMaxItemsAndReturnTheKeyToContinueFrom() {
      List<Map<String, AttributeValue>> items = tableItemsInKeyOrder();
      byte[] from = null;
      for (int chunkStart = 0; chunkStart < items.size(); chunkStart += 2) {
        int before = outbox().size();
        Evaluation e = driver.one(chunk(from, 2));
        List<Map<String, AttributeValue>> chunkItems = items.subList(chunkStart, Math.min(items.size(), chunkStart + 2));
        Map<String, Map<String, AttributeValue>> covered = expectedColorIndex(chunkItems);
        Object result = e instanceof Evaluation.Append a ? a.result() : ((Evaluation.Done) e).result();
        if (chunkStart + 2 < items.size()) {
          assertThat((byte[]) result).isEqualTo(IndexedTable.itemKey(items.get(chunkStart + 2)));
          from = (byte[]) result;
        } else {
          assertThat(result).isEqualTo(PartitionReplica.BackfillDone.INSTANCE);
        }
        if (covered.isEmpty()) {
          assertThat(e).as("a chunk without covered items appends nothing").isInstanceOf(Evaluation.Done.class);
          assertThat(outbox()).hasSize(before);
        } else {
          assertThat(outbox()).hasSize(before + 1);
          assertThat(deliverInOrder(outbox().subList(before, before + 1))).isEqualTo(covered);
        }
      }
      assertThat(deliverInOrder(outbox())).isEqualTo(expectedColorIndex(items));
    }

    @Test
    void aChunkSeesTheWritesDecidedEarlierInItsLoop() {
      List<Evaluation> e = driver.loop(cmd(deleteItem("a", 1)), cmd(setAttribute("c", 1, "color", IndexedTable.s("pink"))),
          cmd(putItem(IndexedTable.item("g", 1, "color", "gray"))), chunk(null, 100));
      assertThat(e).extracting(x -> x.getClass().getSimpleName()).containsExactly("Append", "Append", "Append", "Append");
      IndexedTable.OutboxRecord chunkRecord = outbox().get(outbox().size() - 1);
      assertThat(chunkRecord.sequence()).isEqualTo(driver.lastIndex);
      assertThat(describe(chunkRecord.updates())).doesNotContain(hex(colorKey("red", "a", 1))).contains(hex(colorKey("pink", "c", 1)));
      assertThat(deliverInOrder(outbox())).isEqualTo(expectedColorIndex(tableItemsInKeyOrder()));
    }

    @Test
    void writesBetweenChunksGetTheirOwnLaterUpdates() {
      List<Map<String, AttributeValue>> items = tableItemsInKeyOrder();
      Evaluation first = driver.one(chunk(null, 3));
      byte[] next = (byte[]) (first instanceof Evaluation.Append a ? a.result() : ((Evaluation.Done) first).result());
      long firstChunkEnd = driver.lastIndex;
      // one item the chunk covered, one it has not reached, a new one and a deleted one
      Map<String, AttributeValue> reached = items.get(0);
      Map<String, AttributeValue> ahead = items.get(4);
      driver.loop(cmd(setAttribute(((AttributeValue.S) reached.get("pk")).value(), 1, "color", IndexedTable.s("violet"))),
          cmd(setAttribute(((AttributeValue.S) ahead.get("pk")).value(), 1, "color", IndexedTable.s("teal"))),
          cmd(putItem(IndexedTable.item("h", 1, "color", "red"))),
          cmd(deleteItem("d", 1)));
      List<IndexedTable.OutboxRecord> afterWrites = outbox();
      assertThat(afterWrites.get(afterWrites.size() - 1).sequence()).isGreaterThan(firstChunkEnd);
      byte[] from = next;
      while (from != null) {
        Evaluation e = driver.one(chunk(from, 3));
        Object result = e instanceof Evaluation.Append a ? a.result() : ((Evaluation.Done) e).result();
        from = result instanceof byte[] b ? b : null;
      }
      assertThat(deliverInOrder(outbox())).isEqualTo(expectedColorIndex(tableItemsInKeyOrder()));
    }

    @Test
    void aLocalOrUnknownIndexCannotBeBackfilled() {
      long before = driver.lastIndex;
      assertThat(driver.one(new PartitionCommand.Backfill(IndexedTable.RANK_INDEX_ID, null, 10))).isInstanceOf(Evaluation.Reject.class);
      assertThat(driver.one(new PartitionCommand.Backfill(999, null, 10))).isInstanceOf(Evaluation.Reject.class);
      assertThat(driver.lastIndex).isEqualTo(before);
      assertThat(outbox()).isEmpty();
    }
  }

  @Test
  void aNewReplicaOverTheSameEngineRecoversSchemaAndStatistics() {
    ReplicaDriver driver = new ReplicaDriver(new MemoryKvEngine(), INDEXED, IndexedTable.schema());
    PartitionSchema withIndexes = IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX);
    driver.one(new PartitionCommand.SetSchema(withIndexes));
    driver.loop(cmd(putItem(IndexedTable.item("a", 1, "rank", 1, "color", "red"))), cmd(putItem(IndexedTable.item("b", 1, "rank", 2))),
        cmd(putItem(IndexedTable.item("c", 1))));
    PartitionStats table = driver.replica.stats(IndexedTable.TABLE_ID);
    PartitionStats rank = driver.replica.stats(IndexedTable.RANK_INDEX_ID);
    assertThat(rank.itemCount()).isEqualTo(2);

    PartitionReplica recovered = driver.restart(IndexedTable.schema());
    assertThat(recovered.schema()).isEqualTo(withIndexes);
    assertThat(recovered.stats(IndexedTable.TABLE_ID)).isEqualTo(table);
    assertThat(recovered.stats(IndexedTable.RANK_INDEX_ID)).isEqualTo(rank);
    driver.one(cmd(putItem(IndexedTable.item("d", 1, "rank", 3, "color", "blue"))));
    assertThat(recovered.stats(IndexedTable.RANK_INDEX_ID).itemCount()).as("the recovered schema is maintained").isEqualTo(3);
    assertThat(IndexedTable.outbox(driver.kv, INDEXED.groupId())).extracting(IndexedTable.OutboxRecord::sequence)
        .containsExactly(2L, 5L);
  }
}
