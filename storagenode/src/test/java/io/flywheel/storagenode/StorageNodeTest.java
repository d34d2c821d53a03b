package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
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
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StorageNodeTest {
  static final long TABLE = 3;
  final MemoryKvEngine kv = new MemoryKvEngine();
  final MemoryKvEngine log = new MemoryKvEngine();
  ReplicaHost host = new ReplicaHost(kv, log, HostConfig.defaults(1), Thread::new);
  StorageNode node = new StorageNode("n1", kv, host);

  @AfterEach
  void tearDown() {
    host.close();
  }

  static final io.flywheel.protocol.PartitionSchema SCHEMA = new io.flywheel.protocol.PartitionSchema("t",
      new io.flywheel.model.KeySchema(new io.flywheel.model.KeyAttribute("pk", io.flywheel.model.ScalarType.S), null), List.of());

  /** The lower half of the hash space. */
  final PartitionDescriptor lower = new PartitionDescriptor(11, TABLE, 0, Long.MAX_VALUE, 4, List.of("n1"));

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
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), Thread::new);
    node = new StorageNode("n1", kv, host);
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
    assertThat(kv.get(io.flywheel.engine.Space.DATA, KeyEncoding.itemKey(TABLE, key))).isNull();
    host.close();
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), Thread::new);
    node = new StorageNode("n1", kv, host);
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
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), Thread::new);
    node = new StorageNode("n1", kv, host);
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
}
