package io.flywheel.storagenode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import io.flywheel.model.ItemCodec;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.storagenode.PartitionEntry.GsiUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The propagator's thread against a fake index node whose answers the tests control. Outbox records
 * are written straight into the engine, as a partition's apply would write them.
 */
@Timeout(20)
class IndexPropagatorTest {
  static final long SOURCE = 5;
  static final long OTHER_SOURCE = 6;
  static final long DELETED_INDEX_ID = 31;
  /** The two partitions of by-color: lower and upper half of the hash space. */
  static final PartitionDescriptor LOWER = new PartitionDescriptor(50, IndexedTable.COLOR_INDEX_ID, 0, Long.MAX_VALUE, 1, List.of(2L));
  static final PartitionDescriptor UPPER = new PartitionDescriptor(51, IndexedTable.COLOR_INDEX_ID, Long.MIN_VALUE, -1L, 1, List.of(2L));

  final MemoryKvEngine kv = new MemoryKvEngine();
  final FakeIndexNode indexNode = new FakeIndexNode();
  final Map<Long, PartitionReplica> hosted = new ConcurrentHashMap<>();
  final AtomicInteger locatorFailuresLeft = new AtomicInteger();
  IndexPropagator propagator;
  Thread thread;

  /** One call of applyIndexMutations. */
  record Delivery(PartitionRef partition, IndexMutations mutations) {
    long source() {
      return mutations.sourceGroupId();
    }

    long sequence() {
      return mutations.sequence();
    }
  }

  /** An index node that records deliveries and answers each with what {@link #answer} says. */
  static final class FakeIndexNode extends IndexOnlyNode {
    final List<Delivery> deliveries = new ArrayList<>();
    final BlockingQueue<Delivery> arrivals = new LinkedBlockingQueue<>();
    volatile Function<Delivery, CompletableFuture<Void>> answer = d -> CompletableFuture.completedFuture(null);

    synchronized List<Delivery> deliveries() {
      return List.copyOf(deliveries);
    }

    synchronized List<Long> sequencesFrom(long source) {
      return deliveries.stream().filter(d -> d.source() == source).map(Delivery::sequence).toList();
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
      Delivery d = new Delivery(partition, mutations);
      synchronized (this) {
        deliveries.add(d);
      }
      arrivals.add(d);
      return answer.apply(d);
    }
  }

  IndexLocator.Target locate(String tableName, long indexId, long hash) {
    if (locatorFailuresLeft.getAndDecrement() > 0) {
      throw new IllegalStateException("metadata unavailable");
    }
    assertThat(tableName).isEqualTo(IndexedTable.TABLE_NAME);
    if (indexId != IndexedTable.COLOR_INDEX_ID) {
      return null; // DELETED_INDEX_ID and anything else: gone
    }
    PartitionDescriptor p = LOWER.containsHash(hash) ? LOWER : UPPER;
    return new IndexLocator.Target(p.ref(), indexNode);
  }

  @BeforeEach
  void start() {
    for (long group : new long[] {SOURCE, OTHER_SOURCE}) {
      PartitionDescriptor d = new PartitionDescriptor(group, IndexedTable.TABLE_ID, 0, -1L, 1, List.of(1L));
      hosted.put(group, new PartitionReplica(kv, d, IndexedTable.schema(IndexedTable.COLOR_INDEX)));
    }
    propagator = new IndexPropagator(kv, this::locate, hosted::get, RealTimeClock.INSTANCE);
    thread = new Thread(propagator, "index-propagator-under-test");
    thread.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    propagator.stop();
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
  }

  /** An update of by-color for a key whose partition hash is {@code hash}. */
  static GsiUpdate update(long indexId, long hash, String tag) {
    byte[] key = new byte[24];
    Bytes.putLong(key, 0, indexId);
    Bytes.putLong(key, 8, hash);
    Bytes.putLong(key, 16, tag.hashCode());
    return new GsiUpdate(indexId, hash, key, tag.startsWith("delete") ? null : ItemCodec.encode(IndexedTable.item(tag, 1)));
  }

  static GsiUpdate lowerUpdate(String tag) {
    return update(IndexedTable.COLOR_INDEX_ID, 42, tag);
  }

  /** Writes an outbox record as a partition's apply does, without signalling. */
  void writeRecord(long source, long sequence, GsiUpdate... updates) {
    ByteWriter w = new ByteWriter(64);
    PartitionEntry.writeGsiUpdates(w, List.of(updates));
    try (KvBatch batch = kv.newBatch()) {
      batch.put(Space.STATE, StateKeys.outbox(source, sequence), w.toByteArray());
      kv.write(batch, false);
    }
  }

  void queue(long source, long sequence, GsiUpdate... updates) {
    writeRecord(source, sequence, updates);
    propagator.signal(source);
  }

  List<Long> outboxSequences(long source) {
    return IndexedTable.outbox(kv, source).stream().map(IndexedTable.OutboxRecord::sequence).toList();
  }

  static List<String> keysOf(IndexMutations m) {
    return m.mutations().stream().map(x -> Bytes.hex(x.key()) + (x.image() == null ? "-" : "+")).toList();
  }

  static List<String> keysOf(GsiUpdate... updates) {
    return java.util.Arrays.stream(updates).map(u -> Bytes.hex(u.key()) + (u.image() == null ? "-" : "+")).toList();
  }

  @Test
  void deliversAPartitionsRecordsInOrderThenDeletesThem() throws InterruptedException {
    GsiUpdate a = lowerUpdate("a");
    GsiUpdate b = lowerUpdate("delete-a");
    GsiUpdate c = lowerUpdate("c");
    writeRecord(SOURCE, 3, a);
    writeRecord(SOURCE, 7, b);
    queue(SOURCE, 12, c);
    propagator.awaitIdle();
    List<Delivery> deliveries = indexNode.deliveries();
    assertThat(deliveries).extracting(Delivery::sequence).containsExactly(3L, 7L, 12L);
    assertThat(deliveries).extracting(Delivery::source).containsOnly(SOURCE);
    assertThat(deliveries).extracting(Delivery::partition).containsOnly(LOWER.ref());
    assertThat(keysOf(deliveries.get(0).mutations())).isEqualTo(keysOf(a));
    assertThat(keysOf(deliveries.get(1).mutations())).isEqualTo(keysOf(b));
    assertThat(outboxSequences(SOURCE)).isEmpty();
    assertThat(propagator.deliveredCount()).isEqualTo(3);
  }

  @Test
  void aFailedDeliveryIsRetriedBeforeAnyLaterRecordOfItsPartition() throws InterruptedException {
    AtomicInteger failuresOfSeven = new AtomicInteger(2);
    indexNode.answer = d -> d.sequence() == 7 && failuresOfSeven.getAndDecrement() > 0
        ? CompletableFuture.failedFuture(new IllegalStateException("index partition busy"))
        : CompletableFuture.completedFuture(null);
    writeRecord(SOURCE, 3, lowerUpdate("a"));
    writeRecord(SOURCE, 7, lowerUpdate("b"));
    queue(SOURCE, 12, lowerUpdate("c"));
    propagator.awaitIdle();
    assertThat(indexNode.sequencesFrom(SOURCE)).containsExactly(3L, 7L, 7L, 7L, 12L);
    assertThat(outboxSequences(SOURCE)).isEmpty();
  }

  @Test
  void aSignalThatArrivesDuringADrainIsNotLost() throws Exception {
    CompletableFuture<Void> firstArrived = new CompletableFuture<>();
    CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
    indexNode.answer = d -> {
      if (d.sequence() == 1) {
        firstArrived.complete(null);
        return releaseFirst;
      }
      return CompletableFuture.completedFuture(null);
    };
    queue(SOURCE, 1, lowerUpdate("a"));
    firstArrived.get(10, TimeUnit.SECONDS);
    queue(SOURCE, 2, lowerUpdate("b")); // the drain already read its records: only the signal tells it
    releaseFirst.complete(null);
    propagator.awaitIdle();
    assertThat(indexNode.sequencesFrom(SOURCE)).containsExactly(1L, 2L);
    assertThat(outboxSequences(SOURCE)).isEmpty();
  }

  @Test
  void updatesOfADeletedIndexAreDropped() throws InterruptedException {
    GsiUpdate live = lowerUpdate("live");
    writeRecord(SOURCE, 1, update(DELETED_INDEX_ID, 42, "gone"), live);
    queue(SOURCE, 2, update(DELETED_INDEX_ID, 42, "gone-too"));
    propagator.awaitIdle();
    List<Delivery> deliveries = indexNode.deliveries();
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.get(0).sequence()).isEqualTo(1);
    assertThat(keysOf(deliveries.get(0).mutations())).isEqualTo(keysOf(live));
    assertThat(outboxSequences(SOURCE)).isEmpty();
  }

  @Test
  void recordsOfAPartitionNoLongerHostedAreDropped() throws InterruptedException {
    hosted.remove(OTHER_SOURCE);
    queue(OTHER_SOURCE, 1, lowerUpdate("a"));
    propagator.awaitIdle();
    assertThat(indexNode.deliveries()).isEmpty();
    assertThat(outboxSequences(OTHER_SOURCE)).isEmpty();
  }

  @Test
  void aRecordsUpdatesGoToTheirIndexPartitionsGroupedWithTheSameSequence() throws InterruptedException {
    GsiUpdate upperPut = update(IndexedTable.COLOR_INDEX_ID, -5, "u1");
    GsiUpdate lowerDelete = update(IndexedTable.COLOR_INDEX_ID, 5, "delete-l");
    GsiUpdate upperDelete = update(IndexedTable.COLOR_INDEX_ID, -7, "delete-u2");
    queue(SOURCE, 9, upperPut, lowerDelete, upperDelete);
    propagator.awaitIdle();
    List<Delivery> deliveries = indexNode.deliveries();
    assertThat(deliveries).extracting(Delivery::sequence).containsExactly(9L, 9L);
    Delivery toUpper = deliveries.stream().filter(d -> d.partition().equals(UPPER.ref())).findFirst().orElseThrow();
    Delivery toLower = deliveries.stream().filter(d -> d.partition().equals(LOWER.ref())).findFirst().orElseThrow();
    assertThat(keysOf(toUpper.mutations())).isEqualTo(keysOf(upperPut, upperDelete));
    assertThat(keysOf(toLower.mutations())).isEqualTo(keysOf(lowerDelete));
  }

  @Test
  void moreRecordsThanOneReadHoldsAreAllDeliveredInOrder() throws InterruptedException {
    List<Long> expected = new ArrayList<>();
    for (long sequence = 1; sequence <= 600; sequence++) {
      writeRecord(SOURCE, sequence, lowerUpdate("item" + sequence));
      expected.add(sequence);
    }
    propagator.signal(SOURCE);
    propagator.awaitIdle();
    assertThat(indexNode.sequencesFrom(SOURCE)).isEqualTo(expected);
    assertThat(outboxSequences(SOURCE)).isEmpty();
  }

  @Test
  void aPartitionWhoseDeliveriesFailDoesNotHoldUpOtherPartitions() throws Exception {
    CompletableFuture<Void> sourceMayProceed = new CompletableFuture<>();
    indexNode.answer = d -> d.source() == SOURCE && !sourceMayProceed.isDone()
        ? CompletableFuture.failedFuture(new IllegalStateException("index partition unavailable"))
        : CompletableFuture.completedFuture(null);
    queue(SOURCE, 1, lowerUpdate("a"));
    Delivery first = indexNode.arrivals.poll(10, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.source()).isEqualTo(SOURCE);
    queue(OTHER_SOURCE, 1, lowerUpdate("b"));
    Delivery other = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (other == null && System.nanoTime() < deadline) {
      Delivery d = indexNode.arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (d != null && d.source() == OTHER_SOURCE) {
        other = d;
      }
    }
    assertThat(other).as("the other partition's record is delivered while the first one keeps failing").isNotNull();
    sourceMayProceed.complete(null);
    propagator.awaitIdle();
    assertThat(outboxSequences(SOURCE)).isEmpty();
    assertThat(outboxSequences(OTHER_SOURCE)).isEmpty();
  }

  @Test
  void aFailingLocatorIsRetriedAndTheThreadGoesOn() throws InterruptedException {
    locatorFailuresLeft.set(2);
    queue(SOURCE, 1, lowerUpdate("a"));
    propagator.awaitIdle();
    assertThat(thread.isAlive()).isTrue();
    assertThat(indexNode.sequencesFrom(SOURCE)).containsExactly(1L);
    assertThat(outboxSequences(SOURCE)).isEmpty();
  }

  @Test
  void stoppingReleasesAWaitForIdle() throws Exception {
    indexNode.answer = d -> CompletableFuture.failedFuture(new IllegalStateException("never"));
    queue(SOURCE, 1, lowerUpdate("a"));
    CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
      try {
        propagator.awaitIdle();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(indexNode.arrivals.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(idle).isNotDone();
    propagator.stop();
    idle.get(10, TimeUnit.SECONDS);
    assertThat(outboxSequences(SOURCE)).as("an undelivered record stays for the next start").containsExactly(1L);
  }
}
