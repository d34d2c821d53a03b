package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The partition state machine driven directly, one loop at a time, as its worker drives it. */
class PartitionReplicaTest {
  static final long TABLE = 9;
  final MemoryKvEngine kv = new MemoryKvEngine();
  final PartitionDescriptor descriptor = new PartitionDescriptor(5, TABLE, 0, -1L, 1, List.of("n1"));
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
    List<Evaluation> out = new java.util.ArrayList<>();
    try (KvBatch batch = kv.newBatch()) {
      List<byte[]> entries = new java.util.ArrayList<>();
      for (WriteRequest r : requests) {
        Evaluation e;
        try {
          e = replica.evaluate(StorageNode.prepare(r));
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

  Map<String, AttributeValue> stored(String pk) {
    byte[] image = kv.get(io.flywheel.engine.Space.DATA, KeyEncoding.itemKey(TABLE, key(pk)));
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
        current -> current.isEmpty(), false, false, true);
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
    WriteRequest grow = new WriteRequest(descriptor.ref(), TABLE, key("a"), new WriteRequest.WriteOp.Update(old -> {
      Map<String, AttributeValue> bigger = new HashMap<>(old);
      bigger.put("big", AttributeValue.s("x".repeat(400 * 1024)));
      return bigger;
    }), null, false, false, false);
    Evaluation e = loop(grow).get(0);
    assertThat(((Evaluation.Reject) e).error()).hasMessage("Item size to update has exceeded the maximum allowed size");
    assertThat(stored("a")).isEqualTo(item("a", "1"));
  }
}
