package io.flywheel.metadata;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Bytes;
import io.flywheel.base.CorruptDataException;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.Space;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.replicahost.DecidedValues;
import io.flywheel.replicahost.StateMachine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The catalog's state machine: tables by name and the id counters. Entries carry whole table
 * descriptors (or a removal), so applying is a plain store.
 *
 * <p>State-space records: {@code "CT"+name} → table descriptor, {@code "CN"} → next table id and
 * next group id.
 */
final class Catalog implements StateMachine<CatalogCommand> {
  private static final byte[] TABLE_PREFIX = {'C', 'T'};
  private static final byte[] COUNTERS_KEY = {'C', 'N'};
  private static final int ENTRY_PUT = 1;
  private static final int ENTRY_REMOVE = 2;
  /** Group 0 is the catalog itself; partitions take ids from 1. */
  static final long CATALOG_GROUP_ID = 0;

  /** Applied state, readable from any thread. */
  private final ConcurrentSkipListMap<String, TableDescriptor> tables = new ConcurrentSkipListMap<>();
  private long nextTableId = 1;
  private long nextGroupId = 1;

  /** Decided, not yet applied (an empty Optional: removed). Worker thread only. */
  private final DecidedValues<String, Optional<TableDescriptor>> pending = new DecidedValues<>();
  private long decidingIndex;
  private long pendingNextTableId = 1;
  private long pendingNextGroupId = 1;

  NavigableMap<String, TableDescriptor> tables() {
    return tables;
  }

  @Override
  public void recover(KvEngine kv) {
    try (KvIterator it = kv.iterator(Space.STATE, TABLE_PREFIX, Bytes.prefixEnd(TABLE_PREFIX), false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        TableDescriptor t = DescriptorCodec.readTable(new ByteReader(it.value()));
        tables.put(t.name(), t);
      }
    }
    byte[] counters = kv.get(Space.STATE, COUNTERS_KEY);
    if (counters != null) {
      ByteReader r = new ByteReader(counters);
      nextTableId = r.readLong();
      nextGroupId = r.readLong();
    }
    pendingNextTableId = nextTableId;
    pendingNextGroupId = nextGroupId;
  }

  private TableDescriptor latest(String name) {
    Optional<TableDescriptor> p = pending.get(name);
    return p != null ? p.orElse(null) : tables.get(name);
  }

  static DynamoException notFound(String name) {
    return DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
  }

  @Override
  public Evaluation evaluate(CatalogCommand command, long index) {
    decidingIndex = index;
    return switch (command) {
      case CatalogCommand.CreateTable c -> create(c);
      case CatalogCommand.SetStatus s -> {
        TableDescriptor t = latest(s.name());
        if (t == null || t.tableId() != s.tableId()) {
          yield new Evaluation.Reject(notFound(s.name()));
        }
        if (!s.from().contains(t.status())) {
          yield new Evaluation.Reject(inUse(t));
        }
        yield put(t.withStatus(s.to()));
      }
      case CatalogCommand.UpdateBilling u -> updateBilling(u);
      case CatalogCommand.AddGlobalIndex a -> addGlobalIndex(a);
      case CatalogCommand.SetIndexStatus s -> changeIndex(s.name(), s.tableId(), s.indexName(), i -> i.withStatus(s.status(), s.backfilling()));
      case CatalogCommand.SetIndexThroughput s -> changeIndex(s.name(), s.tableId(), s.indexName(), i -> new IndexDescriptor(
          i.name(), i.indexId(), i.global(), i.keySchema(), i.projectionType(), i.nonKeyAttributes(), i.status(), i.backfilling(),
          i.throughput().changeTo(s.readCapacityUnits(), s.writeCapacityUnits(), s.nowMillis()), i.partitions()));
      case CatalogCommand.RemoveIndex r -> {
        TableDescriptor t = latest(r.name());
        if (t == null || t.tableId() != r.tableId()) {
          yield new Evaluation.Reject(notFound(r.name()));
        }
        List<IndexDescriptor> kept = new ArrayList<>();
        for (IndexDescriptor i : t.indexes()) {
          if (!i.name().equals(r.indexName())) {
            kept.add(i);
          }
        }
        yield put(t.withIndexes(kept, t.attributeDefinitions()));
      }
      case CatalogCommand.Remove r -> {
        TableDescriptor t = latest(r.name());
        if (t == null || t.tableId() != r.tableId()) {
          yield new Evaluation.Done(null);
        }
        pending.put(r.name(), Optional.empty(), decidingIndex);
        ByteWriter w = new ByteWriter(32).writeByte(ENTRY_REMOVE).writeString(r.name());
        yield new Evaluation.Append(w.toByteArray(), t);
      }
    };
  }

  static DynamoException inUse(TableDescriptor t) {
    String doing = switch (t.status()) {
      case CREATING -> "created";
      case DELETING -> "deleted";
      default -> "updated";
    };
    return new DynamoException(ErrorCode.RESOURCE_IN_USE,
        "Attempt to change a resource which is still in use: Table is being " + doing + ": " + t.name());
  }

  private Evaluation create(CatalogCommand.CreateTable c) {
    CreateTableSpec spec = c.spec();
    if (latest(spec.name()) != null) {
      return new Evaluation.Reject(new DynamoException(ErrorCode.RESOURCE_IN_USE, "Table already exists: " + spec.name()));
    }
    long tableId = pendingNextTableId++;
    List<PartitionDescriptor> partitions = placePartitions(tableId, c.partitions(), c.replicaSets());
    List<IndexDescriptor> indexes = new ArrayList<>();
    for (CreateTableSpec.IndexSpec index : spec.indexes()) {
      indexes.add(newIndex(index, IndexStatus.ACTIVE, false, c.partitions(), c.replicaSets()));
    }
    ProvisionedThroughput throughput = spec.billingMode() == BillingMode.PROVISIONED
        ? new ProvisionedThroughput(spec.readCapacityUnits(), spec.writeCapacityUnits(), 0, 0, 0)
        : ProvisionedThroughput.ON_DEMAND;
    TableDescriptor t = new TableDescriptor(tableId, c.tableUuid(), spec.name(), spec.keySchema(), spec.attributeDefinitions(),
        spec.billingMode(), throughput, c.nowMillis(),
        spec.billingMode() == BillingMode.PAY_PER_REQUEST ? c.nowMillis() : 0, TableStatus.CREATING, partitions, indexes);
    return put(t);
  }

  /** A new index with a fresh key-space id; a global one also gets its own partitions. */
  private IndexDescriptor newIndex(CreateTableSpec.IndexSpec index, IndexStatus status, boolean backfilling, int partitions, List<List<Long>> replicaSets) {
    long indexId = pendingNextTableId++;
    return new IndexDescriptor(index.name(), indexId, index.global(), index.keySchema(), index.projectionType(),
        index.nonKeyAttributes(), status, backfilling,
        new ProvisionedThroughput(index.readCapacityUnits(), index.writeCapacityUnits(), 0, 0, 0),
        index.global() ? placePartitions(indexId, partitions, replicaSets) : List.of());
  }

  private List<PartitionDescriptor> placePartitions(long keySpaceId, int count, List<List<Long>> replicaSets) {
    List<PartitionDescriptor> partitions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = hashBoundary(i, count);
      long end = i == count - 1 ? -1L : hashBoundary(i + 1, count) - 1;
      partitions.add(new PartitionDescriptor(pendingNextGroupId++, keySpaceId, start, end, 1, replicaSets.get(i % replicaSets.size())));
    }
    return partitions;
  }

  private Evaluation addGlobalIndex(CatalogCommand.AddGlobalIndex a) {
    TableDescriptor t = latest(a.name());
    if (t == null || t.tableId() != a.tableId()) {
      return new Evaluation.Reject(notFound(a.name()));
    }
    if (t.status() != TableStatus.ACTIVE) {
      return new Evaluation.Reject(inUse(t));
    }
    if (t.index(a.index().name()) != null) {
      return new Evaluation.Reject(DynamoException.validation(
          "One or more parameter values were invalid: Index with name: " + a.index().name() + " already exists"));
    }
    List<IndexDescriptor> indexes = new ArrayList<>(t.indexes());
    indexes.add(newIndex(a.index(), IndexStatus.CREATING, true, a.partitions(), a.replicaSets()));
    return put(t.withIndexes(indexes, a.definitions()));
  }

  private Evaluation changeIndex(String name, long tableId, String indexName, java.util.function.UnaryOperator<IndexDescriptor> change) {
    TableDescriptor t = latest(name);
    if (t == null || t.tableId() != tableId) {
      return new Evaluation.Reject(notFound(name));
    }
    List<IndexDescriptor> indexes = new ArrayList<>();
    boolean found = false;
    for (IndexDescriptor i : t.indexes()) {
      if (i.name().equals(indexName)) {
        indexes.add(change.apply(i));
        found = true;
      } else {
        indexes.add(i);
      }
    }
    if (!found) {
      return new Evaluation.Reject(DynamoException.resourceNotFound("Requested resource not found: Index: " + indexName + " not found"));
    }
    return put(t.withIndexes(indexes, t.attributeDefinitions()));
  }

  /** The first hash of partition {@code i} of {@code n}: the unsigned 64-bit space cut evenly. */
  static long hashBoundary(int i, int n) {
    return java.math.BigInteger.ONE.shiftLeft(64).multiply(java.math.BigInteger.valueOf(i))
        .divide(java.math.BigInteger.valueOf(n)).longValue();
  }

  private Evaluation updateBilling(CatalogCommand.UpdateBilling u) {
    TableDescriptor t = latest(u.name());
    if (t == null) {
      return new Evaluation.Reject(notFound(u.name()));
    }
    if (t.status() != TableStatus.ACTIVE) {
      return new Evaluation.Reject(inUse(t));
    }
    ProvisionedThroughput current = t.throughput();
    if (u.mode() == BillingMode.PAY_PER_REQUEST) {
      if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
        return new Evaluation.Done(t);
      }
      return put(t.withBilling(BillingMode.PAY_PER_REQUEST,
          new ProvisionedThroughput(0, 0, current.lastIncreaseMillis(), current.lastDecreaseMillis(), current.decreasesToday()),
          u.nowMillis()));
    }
    if (t.billingMode() == BillingMode.PROVISIONED
        && current.readCapacityUnits() == u.readCapacityUnits()
        && current.writeCapacityUnits() == u.writeCapacityUnits()) {
      return new Evaluation.Reject(DynamoException.validation(
          "The provisioned throughput for the table will not change. The requested value equals the current value. "
              + "Current ReadCapacityUnits provisioned for the table: " + current.readCapacityUnits()
              + ". Requested ReadCapacityUnits: " + u.readCapacityUnits() + ". "
              + "Current WriteCapacityUnits provisioned for the table: " + current.writeCapacityUnits()
              + ". Requested WriteCapacityUnits: " + u.writeCapacityUnits() + ". "
              + "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."));
    }
    ProvisionedThroughput next = t.billingMode() == BillingMode.PROVISIONED
        ? current.changeTo(u.readCapacityUnits(), u.writeCapacityUnits(), u.nowMillis())
        : new ProvisionedThroughput(u.readCapacityUnits(), u.writeCapacityUnits(), current.lastIncreaseMillis(),
            current.lastDecreaseMillis(), current.decreasesToday());
    long changed = t.billingMode() == BillingMode.PROVISIONED ? t.billingModeChangedMillis() : u.nowMillis();
    return put(t.withBilling(BillingMode.PROVISIONED, next, changed));
  }

  private Evaluation put(TableDescriptor t) {
    pending.put(t.name(), Optional.of(t), decidingIndex);
    ByteWriter w = new ByteWriter(256).writeByte(ENTRY_PUT);
    w.writeLong(pendingNextTableId).writeLong(pendingNextGroupId);
    DescriptorCodec.writeTable(w, t);
    return new Evaluation.Append(w.toByteArray(), t);
  }

  @Override
  public void apply(long index, byte[] entry, KvBatch batch) {
    ByteReader r = new ByteReader(entry);
    int type = r.readByte();
    switch (type) {
      case ENTRY_PUT -> {
        long tableIds = r.readLong();
        long groupIds = r.readLong();
        int start = r.position();
        TableDescriptor t = DescriptorCodec.readTable(r);
        byte[] descriptorBytes = java.util.Arrays.copyOfRange(entry, start, r.position());
        batch.put(Space.STATE, tableKey(t.name()), descriptorBytes);
        nextTableId = Math.max(nextTableId, tableIds);
        nextGroupId = Math.max(nextGroupId, groupIds);
        batch.put(Space.STATE, COUNTERS_KEY, new ByteWriter(16).writeLong(nextTableId).writeLong(nextGroupId).toByteArray());
        tables.put(t.name(), t);
      }
      case ENTRY_REMOVE -> {
        String name = r.readString();
        batch.delete(Space.STATE, tableKey(name));
        tables.remove(name);
      }
      default -> throw new CorruptDataException("unknown catalog entry type " + type);
    }
  }

  @Override
  public void applied(long index) {
    pending.appliedThrough(index);
    pendingNextTableId = Math.max(pendingNextTableId, nextTableId);
    pendingNextGroupId = Math.max(pendingNextGroupId, nextGroupId);
  }

  @Override
  public void discardDecisions(KvEngine kv) {
    pending.clear();
    pendingNextTableId = nextTableId;
    pendingNextGroupId = nextGroupId;
  }

  private static byte[] tableKey(String name) {
    return Bytes.concat(TABLE_PREFIX, name.getBytes(StandardCharsets.UTF_8));
  }
}
