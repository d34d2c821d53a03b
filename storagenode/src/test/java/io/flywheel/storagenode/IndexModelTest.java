package io.flywheel.storagenode;

import io.flywheel.replicahost.HostEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.Bytes;
import io.flywheel.base.ManualClock;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
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
import io.flywheel.model.expr.Condition;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexMutations;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.HostConfig;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.replicahost.StateMachine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded model test of index maintenance on one storage node: random puts, updates and deletes
 * (alone, or several decided in one worker loop) on a table of two partitions with a local index
 * and a global index of two partitions — the global index present from the start or added midway
 * and backfilled in chunks among the writes — with crashes that keep a random prefix of the
 * unsynced item-engine batches ({@link MemoryKvEngine#crash}), and deliveries that fail, lose their
 * acknowledgement, arrive twice or replay an old message. At the end every update is delivered and
 * the indexes must hold exactly what a plain reference computes from the table, with matching
 * statistics per partition.
 *
 * <p>The run is a function of the seed: the test thread drives the worker loops (a gate holds the
 * worker while a loop's commands queue up) and the delivery steps itself. Fixed seeds always run;
 * {@value #SEEDS_PROPERTY} adds more (comma-separated). A failure names its seed.
 */
@Timeout(120)
class IndexModelTest {
  static final String SEEDS_PROPERTY = "flywheel.indexModel.seeds";
  static final int STEPS = 300;

  static final long TABLE_ID = 100;
  static final long LSI_ID = 101;
  static final long GSI_ID = 102;
  static final long GATE_GROUP_ID = 99;
  static final String TABLE_NAME = "model";
  static final KeySchema TABLE_KEYS = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
  static final KeySchema LSI_KEYS = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("lsk", ScalarType.N));
  static final KeySchema GSI_KEYS = new KeySchema(new KeyAttribute("gpk", ScalarType.S), new KeyAttribute("gsk", ScalarType.N));
  static final List<PartitionDescriptor> TABLE_PARTITIONS = List.of(
      new PartitionDescriptor(1, TABLE_ID, 0, Long.MAX_VALUE, 1, List.of(1L)),
      new PartitionDescriptor(2, TABLE_ID, Long.MIN_VALUE, -1L, 1, List.of(1L)));
  static final List<PartitionDescriptor> GSI_PARTITIONS = List.of(
      new PartitionDescriptor(3, GSI_ID, 0, Long.MAX_VALUE, 1, List.of(1L)),
      new PartitionDescriptor(4, GSI_ID, Long.MIN_VALUE, -1L, 1, List.of(1L)));
  static final List<String> ATTRIBUTES = List.of("lsk", "gpk", "gsk", "a", "b", "c");

  /** Failed deliveries are the point here: keep their warnings out of the test output. */
  static final Logger PROPAGATOR_LOG = Logger.getLogger(IndexPropagator.class.getName());
  static Level propagatorLogLevel;

  @BeforeAll
  static void quietPropagator() {
    propagatorLogLevel = PROPAGATOR_LOG.getLevel();
    PROPAGATOR_LOG.setLevel(Level.SEVERE);
  }

  @AfterAll
  static void restorePropagatorLog() {
    PROPAGATOR_LOG.setLevel(propagatorLogLevel);
  }

  static Stream<Long> seeds() {
    List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 20261125L, 0xF1A5L, -7L, 424242L, Long.MIN_VALUE, Long.MAX_VALUE));
    String extra = System.getProperty(SEEDS_PROPERTY, "").trim();
    if (!extra.isEmpty()) {
      for (String s : extra.split(",")) {
        seeds.add(Long.parseLong(s.trim()));
      }
    }
    return seeds.stream();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void indexesEqualWhatTheTableImpliesAfterCrashesAndRedeliveries(long seed) {
    try (ModelRun run = new ModelRun(seed)) {
      run.run();
    } catch (Throwable t) {
      System.err.println("IndexModelTest failed with seed " + seed + "; rerun with -D" + SEEDS_PROPERTY + "=" + seed);
      throw new AssertionError("index model run failed with seed " + seed + " (rerun with -D" + SEEDS_PROPERTY + "=" + seed + ")", t);
    }
  }

  /** Holds the worker inside one loop until released, so that the commands submitted meanwhile form the next loop. */
  record Gate(CountDownLatch entered, CountDownLatch release) {}

  static final class GateMachine implements StateMachine<Gate> {
    @Override
    public Evaluation evaluate(Gate gate, long index) {
      gate.entered().countDown();
      try {
        gate.release().await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Evaluation.Done(null);
    }

    @Override
    public void apply(long index, byte[] entry, KvBatch batch) {
      throw new AssertionError("the gate appends nothing");
    }

    @Override
    public void applied(long index) {}

    @Override
    public void discardDecisions(KvEngine kv) {}
  }

  static String id(Map<String, AttributeValue> item) {
    return ((AttributeValue.S) item.get("pk")).value() + "|" + item.get("sk");
  }

  /** The reference projection: key attributes of table and index, then what the projection adds. */
  static Map<String, AttributeValue> project(Map<String, AttributeValue> item, IndexDescriptor index) {
    if (index.projectionType() == ProjectionType.ALL) {
      return new HashMap<>(item);
    }
    Map<String, AttributeValue> out = new HashMap<>();
    List<String> kept = new ArrayList<>(List.of("pk", "sk", index.keySchema().partitionKey().name(), index.keySchema().sortKey().name()));
    if (index.projectionType() == ProjectionType.INCLUDE) {
      kept.addAll(index.nonKeyAttributes());
    }
    for (String name : kept) {
      if (item.containsKey(name)) {
        out.put(name, item.get(name));
      }
    }
    return out;
  }

  static boolean covers(Map<String, AttributeValue> item, KeySchema indexKeys) {
    return hasTyped(item, indexKeys.partitionKey()) && hasTyped(item, indexKeys.sortKey());
  }

  static boolean hasTyped(Map<String, AttributeValue> item, KeyAttribute key) {
    AttributeValue v = item.get(key.name());
    return v != null && key.type().matches(v);
  }

  static final class ModelRun implements AutoCloseable {
    final long seed;
    final SplittableRandom random;
    final MemoryKvEngine kv = new MemoryKvEngine();
    final MemoryKvEngine log = new MemoryKvEngine();
    final IndexDescriptor lsi;
    final IndexDescriptor gsiCreating;
    final IndexDescriptor gsiActive;
    ReplicaHost host;
    StorageNode node;
    GroupHandle<Gate> gate;
    IndexPropagator propagator;
    /** The table as the reference sees it, by "pk|sk". */
    final TreeMap<String, Map<String, AttributeValue>> table = new TreeMap<>();
    boolean gsiInSchema;
    boolean gsiBackfilling;
    boolean gsiAddedMidway;
    /** Per table partition (by group), where its backfill continues; absent once it is done. */
    final Map<Long, byte[]> backfillFrom = new LinkedHashMap<>();
    final FaultyDelivery delivery;
    int crashes;
    int rejectedWrites;

    ModelRun(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      ProjectionType[] types = ProjectionType.values();
      ProjectionType lsiProjection = types[random.nextInt(types.length)];
      lsi = new IndexDescriptor("by-lsk", LSI_ID, false, LSI_KEYS, lsiProjection,
          lsiProjection == ProjectionType.INCLUDE ? List.of("a") : List.of(), IndexStatus.ACTIVE, false, ProvisionedThroughput.ON_DEMAND,
          List.of());
      ProjectionType gsiProjection = types[random.nextInt(types.length)];
      gsiActive = new IndexDescriptor("by-g", GSI_ID, true, GSI_KEYS, gsiProjection,
          gsiProjection == ProjectionType.INCLUDE ? List.of("b") : List.of(), IndexStatus.ACTIVE, false, ProvisionedThroughput.ON_DEMAND,
          GSI_PARTITIONS);
      gsiCreating = gsiActive.withStatus(IndexStatus.CREATING, true);
      delivery = new FaultyDelivery(seed);
      delivery.target = (partition, mutations) -> node.applyIndexMutations(partition, mutations); // the current node
    }

    PartitionSchema schema() {
      List<IndexDescriptor> indexes = new ArrayList<>(List.of(lsi));
      if (gsiInSchema) {
        indexes.add(gsiBackfilling ? gsiCreating : gsiActive);
      }
      return new PartitionSchema(TABLE_NAME, TABLE_KEYS, indexes);
    }

    void startNode() {
      host = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      node = new StorageNode(kv, host);
      node.start();
      gate = host.register(GATE_GROUP_ID, new GateMachine());
      propagator = node.newIndexPropagator(this::locate, new ManualClock(0));
    }

    IndexLocator.Target locate(String tableName, long indexId, long hash) {
      assertThat(tableName).isEqualTo(TABLE_NAME);
      assertThat(indexId).isEqualTo(GSI_ID);
      assertThat(gsiInSchema).as("updates only exist for an index in the schema").isTrue();
      PartitionDescriptor p = gsiActive.partitionFor(hash);
      return new IndexLocator.Target(p.ref(), delivery);
    }

    @Override
    public void close() {
      if (host != null) {
        host.close();
      }
    }

    void run() {
      startNode();
      gsiInSchema = random.nextBoolean();
      for (PartitionDescriptor p : TABLE_PARTITIONS) {
        node.createReplica(p, schema()).join();
      }
      for (PartitionDescriptor p : GSI_PARTITIONS) {
        node.createReplica(p, new PartitionSchema(TABLE_NAME + "/index/by-g", GSI_KEYS, List.of())).join();
      }
      for (int step = 0; step < STEPS; step++) {
        int dice = random.nextInt(100);
        if (!gsiInSchema && dice < 4) {
          addGlobalIndex();
        } else if (dice < 70) {
          loop(1 + random.nextInt(random.nextInt(4) == 0 ? 12 : 3));
        } else if (dice < 90) {
          deliverSome();
        } else if (dice < 95) {
          crash();
        } else {
          loop(1);
        }
      }
      finish();
      verify();
      System.err.printf("seed %d: %d items, %d crashes, %d rejected writes, global index %s, %d deliveries acknowledged%n", seed,
          table.size(), crashes, rejectedWrites, gsiAddedMidway ? "added midway" : gsiInSchema ? "from the start" : "never added",
          delivery.acknowledged.size());
    }

    void addGlobalIndex() {
      gsiAddedMidway = true;
      gsiInSchema = true;
      gsiBackfilling = true;
      for (PartitionDescriptor p : TABLE_PARTITIONS) {
        node.updateSchema(p.ref(), schema()).join();
        backfillFrom.put(p.groupId(), null);
      }
    }

    /** One worker loop of {@code commands} writes, with a backfill chunk among them now and then. */
    void loop(int commands) {
      List<Runnable> checks = new ArrayList<>();
      Gate held = null;
      if (commands > 1) {
        held = new Gate(new CountDownLatch(1), new CountDownLatch(1));
        gate.propose(held);
        await(held.entered());
      }
      Long chunkGroup = null;
      for (int i = 0; i < commands; i++) {
        if (gsiBackfilling && chunkGroup == null && !backfillFrom.isEmpty() && random.nextInt(4) == 0) {
          chunkGroup = new ArrayList<>(backfillFrom.keySet()).get(random.nextInt(backfillFrom.size()));
          checks.add(backfillChunk(chunkGroup));
        } else {
          checks.add(write());
        }
      }
      if (held != null) {
        held.release().countDown();
      }
      checks.forEach(Runnable::run);
    }

    static void await(CountDownLatch latch) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    Runnable backfillChunk(long groupId) {
      PartitionDescriptor p = TABLE_PARTITIONS.stream().filter(x -> x.groupId() == groupId).findFirst().orElseThrow();
      CompletableFuture<byte[]> next = node.backfillIndex(p.ref(), GSI_ID, backfillFrom.get(groupId), 1 + random.nextInt(6));
      return () -> {
        byte[] from = next.join();
        if (from == null) {
          backfillFrom.remove(groupId);
        } else {
          backfillFrom.put(groupId, from);
        }
      };
    }

    AttributeValue randomValue(String attribute) {
      return switch (attribute) {
        case "lsk" -> random.nextInt(20) == 0 ? AttributeValue.s("not a number") : AttributeValue.n(random.nextInt(5));
        case "gpk" -> switch (random.nextInt(25)) {
          case 0 -> AttributeValue.n(7);
          case 1 -> AttributeValue.s("");
          default -> AttributeValue.s("g" + random.nextInt(4));
        };
        case "gsk" -> random.nextInt(25) == 0 ? AttributeValue.s("not a number") : AttributeValue.n(random.nextInt(4));
        case "a" -> AttributeValue.s("a".repeat(1 + random.nextInt(40)));
        case "b" -> AttributeValue.n(random.nextInt(1000));
        default -> AttributeValue.s("c".repeat(random.nextInt(120)));
      };
    }

    /** The reference's verdict on a write's new item: null when accepted, else the rejection's message start. */
    String typeViolation(Map<String, AttributeValue> item) {
      List<IndexDescriptor> indexes = schema().indexes();
      for (IndexDescriptor index : indexes) {
        for (KeyAttribute key : List.of(index.keySchema().partitionKey(), index.keySchema().sortKey())) {
          AttributeValue v = item.get(key.name());
          if (v != null && !key.type().matches(v)) {
            return "One or more parameter values were invalid: Type mismatch for Index Key " + key.name();
          }
          if (v instanceof AttributeValue.S str && str.value().isEmpty()) {
            return "One or more parameter values are not valid.";
          }
        }
      }
      return null;
    }

    /** Submits a random write, applies it to the reference, and returns the check of its outcome. */
    Runnable write() {
      String pk = "p" + random.nextInt(8);
      long sk = random.nextInt(3);
      PrimaryKey key = new PrimaryKey(AttributeValue.s(pk), AttributeValue.n(sk));
      String id = id(Map.of("pk", key.partition(), "sk", key.sort()));
      Map<String, AttributeValue> old = table.get(id);
      int kind = random.nextInt(10);
      WriteRequest.WriteOp op;
      Map<String, AttributeValue> next;
      Condition condition = null;
      if (kind < 4) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Map.of("pk", key.partition(), "sk", key.sort()));
        for (String a : ATTRIBUTES) {
          if (random.nextInt(10) < 6) {
            item.put(a, randomValue(a));
          }
        }
        op = new WriteRequest.WriteOp.Put(item);
        next = item;
        if (random.nextInt(8) == 0) {
          condition = Trees.condition("attribute_not_exists(pk)");
        }
      } else if (kind < 8) {
        Map<String, AttributeValue> changes = new LinkedHashMap<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          String a = ATTRIBUTES.get(random.nextInt(ATTRIBUTES.size()));
          changes.put(a, random.nextInt(10) < 3 ? null : randomValue(a));
        }
        WriteRequest.WriteOp.Update update =
            new WriteRequest.WriteOp.Update(Map.of("pk", key.partition(), "sk", key.sort()), Trees.setOrRemove(changes));
        op = update;
        next = update.apply(old == null ? Map.of() : old);
      } else {
        op = new WriteRequest.WriteOp.Delete();
        next = null;
      }
      String expectedFailure;
      if (condition != null && old != null) {
        expectedFailure = "The conditional request failed";
      } else {
        expectedFailure = next == null ? null : typeViolation(next);
      }
      if (expectedFailure == null) {
        if (next == null) {
          table.remove(id);
        } else {
          table.put(id, Map.copyOf(next));
        }
      } else {
        rejectedWrites++;
      }
      PartitionDescriptor p = partitionOf(TABLE_PARTITIONS, KeyEncoding.partitionHash(key.partition()));
      CompletableFuture<?> result = node.write(new WriteRequest(p.ref(), TABLE_ID, key, op, condition, false, false, false));
      String description = op.getClass().getSimpleName() + " " + id + " -> " + next;
      return () -> {
        if (expectedFailure == null) {
          try {
            result.join();
          } catch (CompletionException e) {
            throw new AssertionError("expected " + description + " to succeed", e);
          }
        } else {
          try {
            result.join();
            throw new AssertionError("expected " + description + " to fail with " + expectedFailure);
          } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(DynamoException.class);
            assertThat(e.getCause().getMessage()).as(description).startsWith(expectedFailure);
            if (expectedFailure.startsWith("The conditional")) {
              assertThat(e.getCause()).isInstanceOf(ConditionalCheckFailedException.class);
            }
          }
        }
      };
    }

    static PartitionDescriptor partitionOf(List<PartitionDescriptor> partitions, long hash) {
      return partitions.stream().filter(p -> p.containsHash(hash)).findFirst().orElseThrow();
    }

    /** Drains the outboxes of the table partitions in a random order; a failed delivery ends a drain early. */
    void deliverSome() {
      List<PartitionDescriptor> order = new ArrayList<>(TABLE_PARTITIONS);
      if (random.nextBoolean()) {
        Collections.reverse(order);
      }
      for (PartitionDescriptor p : order) {
        if (random.nextInt(3) != 0) {
          propagator.drain(p.groupId());
        }
      }
    }

    /** Power loss: the logs are synced and survive; the item engine keeps a random prefix of its unsynced batches. */
    void crash() {
      crashes++;
      host.close();
      kv.crash(RandomSource.seeded(random.nextLong()));
      log.crash(RandomSource.seeded(random.nextLong()));
      startNode();
      if (random.nextBoolean()) {
        backfillFrom.replaceAll((group, from) -> null); // a restarted metadata node backfills from the start again
      }
    }

    void finish() {
      while (!backfillFrom.isEmpty()) {
        backfillChunk(backfillFrom.keySet().iterator().next()).run();
      }
      if (gsiInSchema && gsiBackfilling) {
        gsiBackfilling = false;
        for (PartitionDescriptor p : TABLE_PARTITIONS) {
          node.updateSchema(p.ref(), schema()).join();
        }
      }
      for (int round = 0; round < 1000 && !outboxesEmpty(); round++) {
        for (PartitionDescriptor p : TABLE_PARTITIONS) {
          propagator.drain(p.groupId());
        }
      }
      assertThat(outboxesEmpty()).as("every outbox drains").isTrue();
    }

    boolean outboxesEmpty() {
      return TABLE_PARTITIONS.stream().allMatch(p -> IndexedTable.outbox(kv, p.groupId()).isEmpty());
    }

    /** Entries of a key space in one partition's hash range, through the node. */
    List<Map.Entry<byte[], Map<String, AttributeValue>>> entries(PartitionDescriptor p, long keySpace) {
      List<Map.Entry<byte[], Map<String, AttributeValue>>> out = new ArrayList<>();
      byte[] from = KeyEncoding.hashPrefix(keySpace, p.hashStart());
      byte[] to = KeyEncoding.hashRangeEnd(keySpace, p.hashEnd());
      int served = node.readRange(new RangeReadRequest(p.ref(), keySpace, from, to, false, Integer.MAX_VALUE, Long.MAX_VALUE, null, true))
          .join().images().size();
      try (KvIterator it = kv.iterator(Space.DATA, from, to, false)) {
        for (it.seekFirst(); it.valid(); it.next()) {
          out.add(Map.entry(it.key(), ItemCodec.decode(it.value())));
        }
      }
      assertThat(served).as("what the node serves of key space %s in partition %s", keySpace, p.groupId()).isEqualTo(out.size());
      return out;
    }

    static PartitionStats statsOf(List<Map<String, AttributeValue>> items) {
      long size = 0;
      for (Map<String, AttributeValue> item : items) {
        size += ItemSize.of(item);
      }
      return new PartitionStats(items.size(), size);
    }

    void verify() {
      for (PartitionDescriptor p : TABLE_PARTITIONS) {
        List<Map<String, AttributeValue>> expectedItems = table.values().stream()
            .filter(item -> p.containsHash(KeyEncoding.partitionHash(item.get("pk")))).toList();
        Map<String, Map<String, AttributeValue>> actualItems = new TreeMap<>();
        for (var e : entries(p, TABLE_ID)) {
          actualItems.put(id(e.getValue()), e.getValue());
        }
        Map<String, Map<String, AttributeValue>> expectedById = new TreeMap<>();
        expectedItems.forEach(item -> expectedById.put(id(item), item));
        assertThat(actualItems).as("table partition %s", p.groupId()).isEqualTo(expectedById);
        assertThat(node.stats(p.ref(), TABLE_ID).join()).as("table statistics of %s", p.groupId()).isEqualTo(statsOf(expectedItems));

        List<Map<String, AttributeValue>> expectedLsi = expectedItems.stream().filter(item -> covers(item, LSI_KEYS))
            .map(item -> project(item, lsi)).toList();
        checkIndex("local index in partition " + p.groupId(), entries(p, LSI_ID), expectedLsi, LSI_ID, LSI_KEYS);
        assertThat(node.stats(p.ref(), LSI_ID).join()).as("local index statistics of %s", p.groupId()).isEqualTo(statsOf(expectedLsi));
      }
      for (PartitionDescriptor q : GSI_PARTITIONS) {
        List<Map<String, AttributeValue>> expectedGsi = !gsiInSchema ? List.of() : table.values().stream()
            .filter(item -> covers(item, GSI_KEYS) && q.containsHash(KeyEncoding.partitionHash(item.get("gpk"))))
            .map(item -> project(item, gsiActive)).toList();
        checkIndex("global index partition " + q.groupId(), entries(q, GSI_ID), expectedGsi, GSI_ID, GSI_KEYS);
        assertThat(node.stats(q.ref(), GSI_ID).join()).as("global index statistics of %s", q.groupId()).isEqualTo(statsOf(expectedGsi));
      }
    }

    static void checkIndex(String what, List<Map.Entry<byte[], Map<String, AttributeValue>>> actual,
        List<Map<String, AttributeValue>> expected, long indexId, KeySchema indexKeys) {
      Map<String, Map<String, AttributeValue>> actualById = new TreeMap<>();
      for (var e : actual) {
        assertThat(Bytes.hex(e.getKey())).as("%s: the key of %s", what, e.getValue())
            .isEqualTo(Bytes.hex(KeyEncoding.indexKey(indexId, indexKeys, TABLE_KEYS, e.getValue())));
        assertThat(actualById.put(id(e.getValue()), e.getValue())).as("%s: one entry per item", what).isNull();
      }
      Map<String, Map<String, AttributeValue>> expectedById = new TreeMap<>();
      expected.forEach(item -> expectedById.put(id(item), item));
      assertThat(actualById).as(what).isEqualTo(expectedById);
    }
  }

  /**
   * Delivers to the node under test, misbehaving as a network and a busy node can: a delivery may
   * fail before it arrives, arrive and lose its acknowledgement, arrive twice, or come after a
   * replay of an older message. Each decision is a function of the seed and the delivery attempt.
   */
  static final class FaultyDelivery extends IndexOnlyNode {
    final long seed;
    DeliveryTarget target;
    final Map<String, Integer> attempts = new HashMap<>();
    final List<Map.Entry<PartitionRef, IndexMutations>> acknowledged = new ArrayList<>();

    /** The node the deliveries go to (it changes with every restart). */
    interface DeliveryTarget {
      CompletableFuture<Void> apply(PartitionRef partition, IndexMutations mutations);
    }

    FaultyDelivery(long seed) {
      this.seed = seed;
    }

    @Override
    public CompletableFuture<Void> applyIndexMutations(PartitionRef partition, IndexMutations mutations) {
      String attemptKey = mutations.sourceGroupId() + "/" + mutations.sequence() + "/" + partition.groupId();
      int attempt = attempts.merge(attemptKey, 1, Integer::sum);
      SplittableRandom decision = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + attemptKey.hashCode() * 31L + attempt);
      int dice = decision.nextInt(100);
      if (dice < 10) {
        return CompletableFuture.failedFuture(new IllegalStateException("lost on the way"));
      }
      if (dice < 15 && !acknowledged.isEmpty()) {
        var old = acknowledged.get(decision.nextInt(acknowledged.size()));
        target.apply(old.getKey(), old.getValue()).join(); // an old message arrives late: a no-op
      }
      target.apply(partition, mutations).join();
      if (dice >= 15 && dice < 22) {
        target.apply(partition, mutations).join(); // sent twice
      }
      acknowledged.add(Map.entry(partition, mutations));
      if (dice >= 22 && dice < 30) {
        return CompletableFuture.failedFuture(new IllegalStateException("acknowledgement lost"));
      }
      return CompletableFuture.completedFuture(null);
    }
  }
}
