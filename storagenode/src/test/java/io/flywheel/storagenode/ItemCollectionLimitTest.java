package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The item-collection size of a table with a local index: tracked exactly per partition key,
 * reported with each write, and capped (here at 300 bytes instead of 10 GB).
 */
class ItemCollectionLimitTest {
  static final long TABLE = 21;
  static final long LSI = 22;
  static final KeySchema KEYS = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.S));
  static final IndexDescriptor BY_X = new IndexDescriptor("by-x", LSI, false,
      new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("x", ScalarType.S)), ProjectionType.KEYS_ONLY,
      List.of(), IndexStatus.ACTIVE, false, ProvisionedThroughput.ON_DEMAND, List.of());

  final MemoryKvEngine kv = new MemoryKvEngine();
  final PartitionDescriptor descriptor = new PartitionDescriptor(7, TABLE, 0, -1L, 1, List.of(1L));
  final PartitionReplica replica = new PartitionReplica(kv, descriptor, new PartitionSchema("t", KEYS, List.of(BY_X)), 0, 300);
  long index;

  WriteRequest put(String pk, String sk, String x, String payload) {
    Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s(pk), "sk", AttributeValue.s(sk), "x", AttributeValue.s(x),
        "payload", AttributeValue.s(payload));
    return new WriteRequest(descriptor.ref(), TABLE, new PrimaryKey(AttributeValue.s(pk), AttributeValue.s(sk)),
        new WriteRequest.WriteOp.Put(item), null, false, false, false);
  }

  WriteRequest delete(String pk, String sk) {
    return new WriteRequest(descriptor.ref(), TABLE, new PrimaryKey(AttributeValue.s(pk), AttributeValue.s(sk)),
        new WriteRequest.WriteOp.Delete(), null, false, false, false);
  }

  WriteResult write(WriteRequest request) {
    return write(replica, request);
  }

  /** One write decided and applied as its own loop. */
  WriteResult write(PartitionReplica target, WriteRequest request) {
    Evaluation e = target.evaluate(StorageNode.prepare(request), index + 1);
    try (KvBatch batch = kv.newBatch()) {
      target.apply(++index, ((Evaluation.Append) e).entry(), batch);
      kv.write(batch, false);
    }
    target.applied(index);
    return (WriteResult) ((Evaluation.Append) e).result();
  }

  @Test
  void theCollectionSizeCountsItemsAndLocalIndexEntriesOfOnePartitionKey() {
    // item: pk(2+1) sk(2+1) x(1+1) payload(7+10) = 25; KEYS_ONLY entry: pk, sk, x = 8
    long first = write(put("a", "1", "x", "0123456789")).itemCollectionSizeBytes();
    assertThat(first).isEqualTo(33);
    assertThat(write(put("a", "2", "x", "0123456789")).itemCollectionSizeBytes()).isEqualTo(66);
    assertThat(write(put("b", "1", "x", "0123456789")).itemCollectionSizeBytes()).isEqualTo(33);
    assertThat(write(delete("a", "1")).itemCollectionSizeBytes()).isEqualTo(33);
    PartitionReplica recovered = new PartitionReplica(kv, descriptor, replica.schema(), 0, 300);
    recovered.recover(kv);
    assertThat(write(recovered, put("a", "3", "x", "0123456789")).itemCollectionSizeBytes()).isEqualTo(66);
  }

  @Test
  void aWriteThatWouldGrowACollectionPastTheLimitIsRefusedAndChangesNothing() {
    String big = "x".repeat(200);
    write(put("a", "1", "x", big));
    assertThatThrownBy(() -> replica.evaluate(StorageNode.prepare(put("a", "2", "x", big)), index + 1))
        .isInstanceOfSatisfying(DynamoException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED);
          assertThat(e.getMessage()).isEqualTo("Collection size exceeded.");
        });
    replica.applied(index);
    // the refused write left no trace: another partition key still has room, and the first
    // collection shrinks and grows again from its true size
    assertThat(write(put("b", "1", "x", big)).itemCollectionSizeBytes()).isEqualTo(223);
    assertThat(write(put("a", "1", "x", "small")).itemCollectionSizeBytes()).isEqualTo(28);
    assertThat(write(put("a", "2", "x", big)).itemCollectionSizeBytes()).isEqualTo(251);
  }
}
