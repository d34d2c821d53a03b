package io.flywheel.storagenode;

import io.flywheel.replicahost.HostEnvironment;
import io.flywheel.base.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StorageNodeTest {
  static final long TABLE = 3;
  final MemoryKvEngine kv = new MemoryKvEngine();
  final MemoryKvEngine log = new MemoryKvEngine();
  ReplicaHost host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
  StorageNode node = new StorageNode(kv, host);

  @AfterEach
  void tearDown() {
    node.stop();
    host.close();
  }

  static final PartitionSchema SCHEMA = new PartitionSchema("t",
      new KeySchema(new KeyAttribute("pk", ScalarType.S), null), List.of());

  /** The lower half of the hash space. */
  final PartitionDescriptor lower = new PartitionDescriptor(11, TABLE, 0, Long.MAX_VALUE, 4, List.of(1L));

  static PrimaryKey keyInLowerHalf() {
    for (int i = 0; ; i++) {
      PrimaryKey k = new PrimaryKey(AttributeValue.s("k" + i), null);
      if (KeyEncoding.partitionHash(k.partition()) >= 0) {
        return k;
      }
    }
  }

  static PrimaryKey keyInUpperHalf() {
    for (int i = 0; ; i++) {
      PrimaryKey k = new PrimaryKey(AttributeValue.s("k" + i), null);
      if (KeyEncoding.partitionHash(k.partition()) < 0) {
        return k;
      }
    }
  }

  WriteRequest put(PartitionRef ref, PrimaryKey key) {
    return new WriteRequest(ref, TABLE, key, new WriteRequest.WriteOp.Put(Map.of("pk", key.partition())), null, false, false, false);
  }

  @Test
  void requestsWithAStaleEpochOrForeignKeyAreTypedRoutingFailures() {
    node.createReplica(lower, SCHEMA).join();
    assertThatThrownBy(() -> node.write(put(new PartitionRef(11, 3), keyInLowerHalf())).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(RoutingException.WrongPartition.class, e -> assertThat(e.current()).isEqualTo(lower));
    assertThatThrownBy(() -> node.read(new ReadRequest(lower.ref(), TABLE, keyInUpperHalf(), true)).join())
        .cause().isInstanceOf(RoutingException.WrongPartition.class);
    assertThatThrownBy(() -> node.read(new ReadRequest(new PartitionRef(99, 1), TABLE, keyInLowerHalf(), true)).join())
        .cause().isInstanceOfSatisfying(RoutingException.WrongPartition.class, e -> assertThat(e.current()).isNull());
  }

  @Test
  void replicasComeBackAfterARestartWithTheirItems() {
    node.createReplica(lower, SCHEMA).join();
    PrimaryKey key = keyInLowerHalf();
    node.write(put(lower.ref(), key)).join();
    host.close();
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    node = new StorageNode(kv, host);
    node.start();
    assertThat(node.read(new ReadRequest(lower.ref(), TABLE, key, true)).join().image()).isNotNull();
    assertThat(node.stats(lower.ref(), TABLE).join().itemCount()).isEqualTo(1);
  }

  @Test
  void creatingIsIdempotentAndDroppingDeletesItemsAndState() {
    node.createReplica(lower, SCHEMA).join();
    node.createReplica(lower, SCHEMA).join();
    PrimaryKey key = keyInLowerHalf();
    node.write(put(lower.ref(), key)).join();
    node.dropReplica(lower.groupId()).join();
    node.dropReplica(lower.groupId()).join();
    assertThat(kv.get(Space.DATA, KeyEncoding.itemKey(TABLE, key))).isNull();
    host.close();
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    node = new StorageNode(kv, host);
    node.start();
    assertThatThrownBy(() -> node.stats(lower.ref(), TABLE).join()).cause().isInstanceOf(RoutingException.WrongPartition.class);
  }

  @Test
  void aPreparedTransactionSurvivesARestartOfTheNodeAndDroppingTheReplicaForgetsIt() {
    node.createReplica(lower, SCHEMA).join();
    PrimaryKey key = keyInLowerHalf();
    TxPrepareResult vote = node.txPrepare(new TxPrepareRequest(lower.ref(), TABLE, "tx1", 10, List.of(
        new TxAction(0, key, new WriteRequest.WriteOp.Put(Map.of("pk", key.partition(), "v", AttributeValue.s("new"))), null, false))))
        .join();
    assertThat(vote.prepared()).isTrue();
    host.close();
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    node = new StorageNode(kv, host);
    node.start();
    assertThatThrownBy(() -> node.write(put(lower.ref(), key)).join())
        .cause().isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT));
    assertThat(node.read(new ReadRequest(lower.ref(), TABLE, key, true)).join().image()).as("not committed yet").isNull();
    node.txFinish(new TxFinishRequest(lower.ref(), TABLE, "tx1", 10, true, List.of(key))).join();
    assertThat(ItemCodec.decode(node.read(new ReadRequest(lower.ref(), TABLE, key, true)).join().image()))
        .containsEntry("v", AttributeValue.s("new"));

    node.txPrepare(new TxPrepareRequest(lower.ref(), TABLE, "tx2", 11, List.of(new TxAction(0, key, null, null, false)))).join();
    node.dropReplica(lower.groupId()).join();
    byte[] records = StateKeys.tagged(StateKeys.TRANSACTIONS, lower.groupId());
    try (KvIterator it = kv.iterator(Space.STATE, records, Bytes.prefixEnd(records), false)) {
      it.seekFirst();
      assertThat(it.valid()).as("transaction records of a dropped replica remain").isFalse();
    }
  }

  @Nested
  @Timeout(20)
  class Indexes {
    final PartitionDescriptor table = new PartitionDescriptor(21, IndexedTable.TABLE_ID, 0, -1L, 1, List.of(1L));
    final PartitionDescriptor colorIndex = new PartitionDescriptor(22, IndexedTable.COLOR_INDEX_ID, 0, -1L, 1, List.of(1L));
    final PartitionSchema indexed = IndexedTable.schema(IndexedTable.RANK_INDEX, IndexedTable.COLOR_INDEX);

    /** Serves by-color from {@link #colorIndex} on this test's current node. */
    IndexLocator.Target locate(String tableName, long indexId, long hash) {
      assertThat(tableName).isEqualTo(IndexedTable.TABLE_NAME);
      return indexId == IndexedTable.COLOR_INDEX_ID ? new IndexLocator.Target(colorIndex.ref(), node) : null;
    }

    void createBoth() {
      node.createReplica(table, indexed).join();
      node.createReplica(colorIndex, IndexedTable.colorIndexPartitionSchema()).join();
    }

    void restart() {
      node.stop();
      host.close();
      host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      node = new StorageNode(kv, host);
      node.start();
    }

    void put(Map<String, AttributeValue> item) {
      node.write(new WriteRequest(table.ref(), IndexedTable.TABLE_ID, new PrimaryKey(item.get("pk"), item.get("sk")),
          new WriteRequest.WriteOp.Put(item), null, false, false, false)).join();
    }

    void delete(String pk, long sk) {
      node.write(new WriteRequest(table.ref(), IndexedTable.TABLE_ID, IndexedTable.key(pk, sk), new WriteRequest.WriteOp.Delete(),
          null, false, false, false)).join();
    }

    /** Everything in a key space of a partition, through the node's range read. */
    List<Map<String, AttributeValue>> readAll(PartitionDescriptor partition, long keySpace) {
      var result = node.readRange(new RangeReadRequest(partition.ref(), keySpace,
          KeyEncoding.hashPrefix(keySpace, partition.hashStart()), KeyEncoding.hashRangeEnd(keySpace, partition.hashEnd()), false, 1000, Long.MAX_VALUE, null, true)).join();
      return result.images().stream().map(ItemCodec::decode).toList();
    }

    List<Map<String, AttributeValue>> expectedColorEntries() {
      return List.copyOf(PartitionReplicaTest.expectedColorIndex(readAll(table, IndexedTable.TABLE_ID)).values());
    }

    PartitionStats colorStats() {
      return node.stats(colorIndex.ref(), IndexedTable.COLOR_INDEX_ID).join();
    }

    @Test
    void aGlobalIndexPartitionFollowsItsTableAndALocalIndexIsReadable() throws InterruptedException {
      createBoth();
      node.startIndexPropagation(this::locate, RealTimeClock.INSTANCE, Thread::new);
      put(IndexedTable.item("a", 1, "color", "red", "rank", 1, "note", "x"));
      put(IndexedTable.item("b", 1, "color", "blue", "rank", 2));
      put(IndexedTable.item("a", 1, "color", "green", "rank", 3));
      put(IndexedTable.item("c", 1, "rank", 4));
      delete("b", 1);
      node.awaitIndexPropagation();
      List<Map<String, AttributeValue>> colors = readAll(colorIndex, IndexedTable.COLOR_INDEX_ID);
      assertThat(colors).containsExactlyElementsOf(expectedColorEntries()).hasSize(1);
      assertThat(colorStats()).isEqualTo(PartitionReplicaTest.statsOf(colors.get(0)));
      assertThat(readAll(table, IndexedTable.RANK_INDEX_ID)).containsExactly(IndexedTable.item("a", 1, "rank", 3),
          IndexedTable.item("c", 1, "rank", 4));
      assertThat(IndexedTable.outbox(kv, table.groupId())).isEmpty();
    }

    @Test
    void aTablePartitionDoesNotServeAGlobalIndexsKeySpace() {
      createBoth();
      assertThatThrownBy(() -> readAll(table, IndexedTable.COLOR_INDEX_ID)).cause().isInstanceOf(RoutingException.WrongPartition.class);
    }

    @Test
    void updatesLeftInTheOutboxAreDeliveredAfterARestart() throws InterruptedException {
      createBoth();
      put(IndexedTable.item("a", 1, "color", "red"));
      put(IndexedTable.item("b", 1, "color", "blue"));
      assertThat(IndexedTable.outbox(kv, table.groupId())).hasSize(2);
      restart();
      node.startIndexPropagation(this::locate, RealTimeClock.INSTANCE, Thread::new);
      node.awaitIndexPropagation();
      assertThat(readAll(colorIndex, IndexedTable.COLOR_INDEX_ID)).containsExactlyElementsOf(expectedColorEntries()).hasSize(2);
      assertThat(IndexedTable.outbox(kv, table.groupId())).isEmpty();
    }

    @Test
    void redeliveryAfterACrashThatLostEveryUnsyncedBatchChangesNothing() throws InterruptedException {
      createBoth();
      node.startIndexPropagation(this::locate, RealTimeClock.INSTANCE, Thread::new);
      put(IndexedTable.item("a", 1, "color", "red"));
      put(IndexedTable.item("b", 1, "color", "blue", "note", "n"));
      put(IndexedTable.item("a", 1, "color", "green"));
      node.awaitIndexPropagation();
      List<Map<String, AttributeValue>> before = readAll(colorIndex, IndexedTable.COLOR_INDEX_ID);
      PartitionStats statsBefore = colorStats();
      node.stop();
      host.close();
      RandomSource keepNothing = new RandomSource() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public int nextInt(int bound) {
          return 0;
        }

        @Override
        public void nextBytes(byte[] into) {}
      };
      kv.crash(keepNothing);
      log.crash(keepNothing);
      assertThat(IndexedTable.entries(kv, IndexedTable.COLOR_INDEX_ID)).as("the crash lost the applied index entries").isEmpty();
      host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      node = new StorageNode(kv, host);
      node.start(); // replays both logs: the table's outbox records come back, and so do the index's high-water marks
      assertThat(IndexedTable.outbox(kv, table.groupId())).hasSize(3);
      node.startIndexPropagation(this::locate, RealTimeClock.INSTANCE, Thread::new);
      node.awaitIndexPropagation();
      assertThat(readAll(colorIndex, IndexedTable.COLOR_INDEX_ID)).isEqualTo(before).containsExactlyElementsOf(expectedColorEntries());
      assertThat(colorStats()).isEqualTo(statsBefore);
      assertThat(IndexedTable.outbox(kv, table.groupId())).isEmpty();
    }

    @Test
    void indexMutationsOutsideThePartitionAreRoutingFailures() {
      PartitionDescriptor lowerColors = new PartitionDescriptor(23, IndexedTable.COLOR_INDEX_ID, 0, Long.MAX_VALUE, 1, List.of(1L));
      node.createReplica(lowerColors, IndexedTable.colorIndexPartitionSchema()).join();
      String upper = null;
      for (int i = 0; upper == null; i++) {
        if (KeyEncoding.partitionHash(IndexedTable.s("c" + i)) < 0) {
          upper = "c" + i;
        }
      }
      byte[] upperKey = PartitionReplicaTest.colorKey(upper, "a", 1);
      byte[] otherTableKey = KeyEncoding.itemKey(IndexedTable.TABLE_ID, IndexedTable.key("a", 1));
      for (byte[] key : List.of(upperKey, otherTableKey)) {
        var mutations = new IndexMutations(21, 1, List.of(new IndexMutations.Mutation(key, null)));
        assertThatThrownBy(() -> node.applyIndexMutations(lowerColors.ref(), mutations).join())
            .cause().isInstanceOfSatisfying(RoutingException.WrongPartition.class, e -> assertThat(e.current()).isEqualTo(lowerColors));
      }
      assertThat(node.stats(lowerColors.ref(), IndexedTable.COLOR_INDEX_ID).join()).isEqualTo(PartitionStats.EMPTY);
    }

    @Test
    void backfillThroughTheNodeContinuesUntilItReturnsNull() {
      node.createReplica(table, IndexedTable.schema(IndexedTable.RANK_INDEX)).join();
      for (int i = 0; i < 5; i++) {
        put(IndexedTable.item("k" + i, 1, "color", i % 2 == 0 ? "red" : "blue"));
      }
      var creating = IndexedTable.globalIndex("by-color", IndexedTable.COLOR_INDEX_ID, IndexedTable.COLOR_KEYS,
          ProjectionType.INCLUDE, List.of("note"), IndexStatus.CREATING);
      node.updateSchema(table.ref(), IndexedTable.schema(IndexedTable.RANK_INDEX, creating)).join();
      int chunks = 0;
      byte[] from = null;
      do {
        from = node.backfillIndex(table.ref(), IndexedTable.COLOR_INDEX_ID, from, 2).join();
        chunks++;
      } while (from != null);
      assertThat(chunks).isEqualTo(3);
      assertThat(PartitionReplicaTest.deliverInOrder(IndexedTable.outbox(kv, table.groupId())).values())
          .containsExactlyElementsOf(expectedColorEntries());
    }

    @Test
    void droppingATablePartitionDeletesItsLocalIndexEntriesAndItsOutbox() {
      node.createReplica(table, indexed).join();
      put(IndexedTable.item("a", 1, "color", "red", "rank", 1));
      assertThat(IndexedTable.entries(kv, IndexedTable.RANK_INDEX_ID)).hasSize(1);
      node.dropReplica(table.groupId()).join();
      assertThat(IndexedTable.entries(kv, IndexedTable.RANK_INDEX_ID)).isEmpty();
      assertThat(IndexedTable.entries(kv, IndexedTable.TABLE_ID)).isEmpty();
      assertThat(IndexedTable.outbox(kv, table.groupId())).isEmpty();
    }
  }
}
