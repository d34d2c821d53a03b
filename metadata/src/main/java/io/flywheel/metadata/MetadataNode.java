package io.flywheel.metadata;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.ReplicaHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The metadata role: serves the catalog from memory and drives table and index lifecycle changes. */
public final class MetadataNode implements MetadataService {
  /** Items per backfill command: each is one decision of the base partition's group. */
  static final int BACKFILL_CHUNK_ITEMS = 100;

  private final Catalog catalog = new Catalog();
  private final StorageNodes storageNodes;
  private final Clock clock;
  private final RandomSource random;
  private final MetadataConfig config;
  private GroupHandle<CatalogCommand> group;

  /**
   * @param storageNodes how to reach the storage nodes of {@code config}, where partitions are placed
   */
  public MetadataNode(StorageNodes storageNodes, Clock clock, RandomSource random, MetadataConfig config) {
    this.storageNodes = storageNodes;
    this.clock = clock;
    this.random = random;
    this.config = config;
  }

  /**
   * Registers the catalog group on {@code host} (replaying its log), then finishes any table or
   * index change a crash interrupted.
   */
  public void start(ReplicaHost host) {
    group = host.register(Catalog.CATALOG_GROUP_ID, catalog);
    for (TableDescriptor t : new ArrayList<>(catalog.tables().values())) {
      switch (t.status()) {
        case CREATING -> finishCreate(t).join();
        case DELETING -> finishDelete(t).join();
        default -> {
          for (IndexDescriptor i : t.indexes()) {
            if (i.status() == IndexStatus.CREATING) {
              finishCreateIndex(t.name(), i.name()).join();
            } else if (i.status() == IndexStatus.DELETING) {
              finishDeleteIndex(t.name(), i.name()).join();
            }
          }
        }
      }
    }
  }

  private CompletableFuture<TableDescriptor> propose(CatalogCommand command) {
    return group.propose(command).thenApply(r -> (TableDescriptor) r);
  }

  /** Replica sets for a new table's (or index's) partitions, rotating by the catalog's table count. */
  private List<List<Long>> replicaSets() {
    return Placement.replicaSets(config.storageNodes(), config.replicationFactor(), config.initialPartitions(), catalog.tables().size());
  }

  @Override
  public CompletableFuture<TableDescriptor> createTable(CreateTableSpec spec) {
    return propose(new CatalogCommand.CreateTable(spec, clock.wallMillis(), newUuid(), config.initialPartitions(), replicaSets()))
        .thenCompose(this::finishCreate);
  }

  private CompletableFuture<TableDescriptor> finishCreate(TableDescriptor creating) {
    List<CompletableFuture<Void>> replicas = new ArrayList<>();
    PartitionSchema schema = creating.partitionSchema();
    for (PartitionDescriptor p : creating.partitions()) {
      for (long node : p.replicaNodes()) {
        replicas.add(storageNode(node).createReplica(p, schema));
      }
    }
    for (IndexDescriptor index : creating.indexes()) {
      replicas.add(createIndexPartitions(creating, index));
    }
    return all(replicas)
        .thenCompose(ignored -> propose(new CatalogCommand.SetStatus(
            creating.name(), creating.tableId(), List.of(TableStatus.CREATING), TableStatus.ACTIVE)));
  }

  /** The partitions of a global index: an internal table keyed by the index's key. */
  private CompletableFuture<Void> createIndexPartitions(TableDescriptor table, IndexDescriptor index) {
    List<CompletableFuture<Void>> replicas = new ArrayList<>();
    PartitionSchema schema = new PartitionSchema(table.name() + "/index/" + index.name(), index.keySchema(), List.of());
    for (PartitionDescriptor p : index.partitions()) {
      for (long node : p.replicaNodes()) {
        replicas.add(storageNode(node).createReplica(p, schema));
      }
    }
    return all(replicas);
  }

  @Override
  public CompletableFuture<TableDescriptor> deleteTable(String name) {
    TableDescriptor t = catalog.tables().get(name);
    if (t == null) {
      return CompletableFuture.failedFuture(Catalog.notFound(name));
    }
    return propose(new CatalogCommand.SetStatus(name, t.tableId(), List.of(TableStatus.ACTIVE, TableStatus.UPDATING), TableStatus.DELETING))
        .thenCompose(deleting -> finishDelete(deleting).thenApply(ignored -> deleting));
  }

  private CompletableFuture<TableDescriptor> finishDelete(TableDescriptor deleting) {
    List<CompletableFuture<Void>> drops = new ArrayList<>();
    for (PartitionDescriptor p : deleting.partitions()) {
      drops.add(drop(p));
    }
    for (IndexDescriptor index : deleting.indexes()) {
      for (PartitionDescriptor p : index.partitions()) {
        drops.add(drop(p));
      }
    }
    return all(drops)
        .thenCompose(ignored -> group.propose(new CatalogCommand.Remove(deleting.name(), deleting.tableId())))
        .thenApply(ignored -> deleting);
  }

  private CompletableFuture<Void> drop(PartitionDescriptor p) {
    List<CompletableFuture<Void>> drops = new ArrayList<>();
    for (long node : p.replicaNodes()) {
      drops.add(storageNode(node).dropReplica(p.groupId()));
    }
    return all(drops);
  }

  @Override
  public CompletableFuture<TableDescriptor> updateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits) {
    return propose(new CatalogCommand.UpdateBilling(name, mode, readCapacityUnits, writeCapacityUnits, clock.wallMillis()));
  }

  @Override
  public CompletableFuture<TableDescriptor> createGlobalIndex(String tableName, CreateTableSpec.IndexSpec index, List<AttributeDefinition> definitions) {
    TableDescriptor t = catalog.tables().get(tableName);
    if (t == null) {
      return CompletableFuture.failedFuture(Catalog.notFound(tableName));
    }
    return propose(new CatalogCommand.AddGlobalIndex(tableName, t.tableId(), index, definitions, config.initialPartitions(), replicaSets()))
        .thenApply(withIndex -> {
          // The table stays writable while the index fills: the caller sees it CREATING at once.
          finishCreateIndex(tableName, index.name());
          return withIndex;
        });
  }

  /**
   * Creating an index, as durable steps a restart resumes: create its partitions; make every
   * table partition maintain it (writes from then on queue its updates); backfill every table
   * partition through its group (ordered with those writes); mark it ACTIVE.
   */
  private CompletableFuture<TableDescriptor> finishCreateIndex(String tableName, String indexName) {
    TableDescriptor t = catalog.tables().get(tableName);
    IndexDescriptor index = t == null ? null : t.index(indexName);
    if (index == null) {
      return CompletableFuture.completedFuture(t);
    }
    return createIndexPartitions(t, index)
        .thenCompose(ignored -> pushSchema(t))
        .thenCompose(ignored -> {
          List<CompletableFuture<Void>> backfills = new ArrayList<>();
          for (PartitionDescriptor p : t.partitions()) {
            backfills.add(backfill(p, index.indexId(), null));
          }
          return all(backfills);
        })
        .thenCompose(ignored -> propose(new CatalogCommand.SetIndexStatus(tableName, t.tableId(), indexName, IndexStatus.ACTIVE, false)));
  }

  private CompletableFuture<Void> backfill(PartitionDescriptor p, long indexId, byte[] from) {
    return storageNode(p.replicaNodes().get(0)).backfillIndex(p.ref(), indexId, from, BACKFILL_CHUNK_ITEMS)
        .thenCompose(next -> next == null ? CompletableFuture.completedFuture(null) : backfill(p, indexId, next));
  }

  /** Makes every partition of the table maintain the table's current indexes. */
  private CompletableFuture<Void> pushSchema(TableDescriptor t) {
    TableDescriptor current = catalog.tables().get(t.name());
    PartitionSchema schema = (current == null ? t : current).partitionSchema();
    List<CompletableFuture<Void>> updates = new ArrayList<>();
    for (PartitionDescriptor p : t.partitions()) {
      for (long node : p.replicaNodes()) {
        updates.add(storageNode(node).updateSchema(p.ref(), schema));
      }
    }
    return all(updates);
  }

  @Override
  public CompletableFuture<TableDescriptor> deleteGlobalIndex(String tableName, String indexName) {
    TableDescriptor t = catalog.tables().get(tableName);
    if (t == null) {
      return CompletableFuture.failedFuture(Catalog.notFound(tableName));
    }
    return propose(new CatalogCommand.SetIndexStatus(tableName, t.tableId(), indexName, IndexStatus.DELETING, false))
        .thenApply(deleting -> {
          finishDeleteIndex(tableName, indexName);
          return deleting;
        });
  }

  /** Deleting an index: stop maintaining it, drop its partitions, forget it. */
  private CompletableFuture<TableDescriptor> finishDeleteIndex(String tableName, String indexName) {
    TableDescriptor t = catalog.tables().get(tableName);
    IndexDescriptor index = t == null ? null : t.index(indexName);
    if (index == null) {
      return CompletableFuture.completedFuture(t);
    }
    return pushSchema(t)
        .thenCompose(ignored -> {
          List<CompletableFuture<Void>> drops = new ArrayList<>();
          for (PartitionDescriptor p : index.partitions()) {
            drops.add(drop(p));
          }
          return all(drops);
        })
        .thenCompose(ignored -> propose(new CatalogCommand.RemoveIndex(tableName, t.tableId(), indexName)))
        .thenCompose(removed -> pushSchema(removed).thenApply(ignored -> removed));
  }

  @Override
  public CompletableFuture<TableDescriptor> updateGlobalIndexThroughput(String tableName, String indexName, long readCapacityUnits,
      long writeCapacityUnits) {
    TableDescriptor t = catalog.tables().get(tableName);
    if (t == null) {
      return CompletableFuture.failedFuture(Catalog.notFound(tableName));
    }
    return propose(new CatalogCommand.SetIndexThroughput(tableName, t.tableId(), indexName, readCapacityUnits, writeCapacityUnits,
        clock.wallMillis()));
  }

  @Override
  public TableDescriptor table(String name) {
    return catalog.tables().get(name);
  }

  @Override
  public List<String> tableNames() {
    return new ArrayList<>(catalog.tables().keySet());
  }

  private StorageNodeService storageNode(long id) {
    return storageNodes.node(id);
  }

  private static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]));
  }

  /** A random (version 4) UUID from the injected randomness (which is not thread-safe). */
  private synchronized String newUuid() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0F) | 0x40);
    b[8] = (byte) ((b[8] & 0x3F) | 0x80);
    String hex = io.flywheel.base.Bytes.hex(b);
    return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20);
  }
}
