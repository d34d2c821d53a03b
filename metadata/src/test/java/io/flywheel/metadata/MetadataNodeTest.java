package io.flywheel.metadata;

import io.flywheel.protocol.StorageNodes;
import io.flywheel.replicahost.HostEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.ManualClock;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.storagenode.StorageNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetadataNodeTest {
  final MemoryKvEngine kv = new MemoryKvEngine();
  final MemoryKvEngine log = new MemoryKvEngine();
  final ManualClock clock = new ManualClock(1_700_000_000_000L);
  ReplicaHost host;
  StorageNode storage;
  MetadataNode metadata;
  /** Fails this many createReplica calls before delegating (a storage node that is down). */
  final AtomicInteger createFailures = new AtomicInteger();

  @AfterEach
  void tearDown() {
    host.close();
  }

  void boot() {
    host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    storage = new StorageNode(kv, host);
    storage.start();
    metadata = new MetadataNode(StorageNodes.of(Map.of(1L, new Flaky(storage))), clock, RandomSource.seeded(7), MetadataConfig.singleNode(4));
    metadata.start(host);
  }

  void reboot() {
    host.close();
    boot();
  }

  static CreateTableSpec spec(String name) {
    return new CreateTableSpec(name, new KeySchema(new KeyAttribute("pk", ScalarType.S), null),
        List.of(new AttributeDefinition("pk", ScalarType.S)), BillingMode.PROVISIONED, 5, 5, List.of());
  }

  @Test
  void aNewTableIsActiveWithPartitionsCoveringTheWholeHashSpace() {
    boot();
    TableDescriptor t = metadata.createTable(spec("orders")).join();
    assertThat(t.status()).isEqualTo(TableStatus.ACTIVE);
    assertThat(t.partitions()).hasSize(4);
    assertThat(t.partitions().get(0).hashStart()).isZero();
    assertThat(t.partitions().get(3).hashEnd()).isEqualTo(-1L);
    for (int i = 1; i < 4; i++) {
      assertThat(t.partitions().get(i).hashStart()).isEqualTo(t.partitions().get(i - 1).hashEnd() + 1);
    }
    for (PartitionDescriptor p : t.partitions()) {
      assertThat(storage.stats(p.ref(), t.tableId()).join()).isEqualTo(PartitionStats.EMPTY);
    }
    assertThat(t.creationMillis()).isEqualTo(clock.wallMillis());
  }

  @Test
  void tablesAndTheirIdsOutliveARestartAndIdsAreNeverReused() {
    boot();
    TableDescriptor a = metadata.createTable(spec("a-table")).join();
    metadata.deleteTable("a-table").join();
    reboot();
    assertThat(metadata.table("a-table")).isNull();
    TableDescriptor b = metadata.createTable(spec("b-table")).join();
    assertThat(b.tableId()).isGreaterThan(a.tableId());
    assertThat(b.partitions().get(0).groupId()).isGreaterThan(a.partitions().get(3).groupId());
    reboot();
    assertThat(metadata.table("b-table")).isEqualTo(b);
    assertThat(metadata.tableNames()).containsExactly("b-table");
  }

  @Test
  void aCreationInterruptedByAFailingStorageNodeIsFinishedOnRestart() {
    boot();
    createFailures.set(1);
    assertThatThrownBy(() -> metadata.createTable(spec("late")).join()).isInstanceOf(CompletionException.class);
    assertThat(metadata.table("late").status()).isEqualTo(TableStatus.CREATING);
    reboot();
    assertThat(metadata.table("late").status()).isEqualTo(TableStatus.ACTIVE);
  }

  @Test
  void duplicateNamesAndMissingTablesAreTheRightErrors() {
    boot();
    metadata.createTable(spec("dup")).join();
    assertThatThrownBy(() -> metadata.createTable(spec("dup")).join())
        .cause().isInstanceOfSatisfying(DynamoException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_IN_USE);
          assertThat(e.getMessage()).isEqualTo("Table already exists: dup");
        });
    assertThatThrownBy(() -> metadata.deleteTable("none").join())
        .cause().hasMessage("Requested resource not found: Table: none not found");
  }

  @Test
  void billingChangesKeepDynamoDbsBookkeeping() {
    boot();
    metadata.createTable(spec("billing")).join();
    clock.advanceMillis(1000);
    TableDescriptor raised = metadata.updateBilling("billing", BillingMode.PROVISIONED, 10, 5).join();
    assertThat(raised.throughput().readCapacityUnits()).isEqualTo(10);
    assertThat(raised.throughput().lastIncreaseMillis()).isEqualTo(clock.wallMillis());
    assertThatThrownBy(() -> metadata.updateBilling("billing", BillingMode.PROVISIONED, 10, 5).join())
        .cause().hasMessageStartingWith("The provisioned throughput for the table will not change.");
    TableDescriptor lowered = metadata.updateBilling("billing", BillingMode.PROVISIONED, 1, 1).join();
    assertThat(lowered.throughput().decreasesToday()).isEqualTo(1);
    TableDescriptor onDemand = metadata.updateBilling("billing", BillingMode.PAY_PER_REQUEST, 0, 0).join();
    assertThat(onDemand.billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(onDemand.throughput().readCapacityUnits()).isZero();
  }

  /** A storage node that refuses the next {@link #createFailures} replica creations. */
  final class Flaky implements StorageNodeService {
    private final StorageNodeService delegate;

    Flaky(StorageNodeService delegate) {
      this.delegate = delegate;
    }

    @Override
    public long nodeId() {
      return delegate.nodeId();
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
      return delegate.write(request);
    }

    @Override
    public CompletableFuture<ReadResult> read(ReadRequest request) {
      return delegate.read(request);
    }

    @Override
    public CompletableFuture<io.flywheel.protocol.RangeReadResult> readRange(io.flywheel.protocol.RangeReadRequest request) {
      return delegate.readRange(request);
    }

    @Override
    public CompletableFuture<Void> createReplica(PartitionDescriptor descriptor, io.flywheel.protocol.PartitionSchema schema) {
      if (createFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("node down"));
      }
      return delegate.createReplica(descriptor, schema);
    }

    @Override
    public CompletableFuture<Void> updateSchema(PartitionRef partition, io.flywheel.protocol.PartitionSchema schema) {
      return delegate.updateSchema(partition, schema);
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, io.flywheel.protocol.IndexMutations mutations) {
      return delegate.applyIndexMutations(partition, mutations);
    }

    @Override
    public CompletableFuture<byte[]> backfillIndex(PartitionRef partition, long indexId, byte[] fromKey, int maxItems) {
      return delegate.backfillIndex(partition, indexId, fromKey, maxItems);
    }

    @Override
    public CompletableFuture<Void> dropReplica(long groupId) {
      return delegate.dropReplica(groupId);
    }

    @Override
    public CompletableFuture<PartitionStats> stats(PartitionRef partition, long keySpaceId) {
      return delegate.stats(partition, keySpaceId);
    }
  }
}
