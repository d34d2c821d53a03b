package io.flywheel.metadata;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.ReplicaHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The metadata role: serves the catalog from memory and drives table lifecycle changes. */
public final class MetadataNode implements MetadataService {
  private final Catalog catalog = new Catalog();
  private final Map<String, StorageNodeService> storageNodes;
  private final Clock clock;
  private final RandomSource random;
  private final MetadataConfig config;
  private GroupHandle<CatalogCommand> group;

  /**
   * @param storageNodes the storage nodes by id, where partitions are placed
   */
  public MetadataNode(Map<String, StorageNodeService> storageNodes, Clock clock, RandomSource random, MetadataConfig config) {
    this.storageNodes = Map.copyOf(storageNodes);
    this.clock = clock;
    this.random = random;
    this.config = config;
  }

  /**
   * Registers the catalog group on {@code host} (replaying its log), then finishes any table
   * creation or deletion a crash interrupted.
   */
  public void start(ReplicaHost host) {
    group = host.register(Catalog.CATALOG_GROUP_ID, catalog);
    for (TableDescriptor t : new ArrayList<>(catalog.tables().values())) {
      switch (t.status()) {
        case CREATING -> finishCreate(t).join();
        case DELETING -> finishDelete(t).join();
        default -> {}
      }
    }
  }

  private CompletableFuture<TableDescriptor> propose(CatalogCommand command) {
    return group.propose(command).thenApply(r -> (TableDescriptor) r);
  }

  @Override
  public CompletableFuture<TableDescriptor> createTable(CreateTableSpec spec) {
    List<String> nodes = new ArrayList<>(storageNodes.keySet());
    nodes.sort(null);
    return propose(new CatalogCommand.CreateTable(spec, clock.wallMillis(), newUuid(), config.initialPartitions(), nodes))
        .thenCompose(this::finishCreate);
  }

  private CompletableFuture<TableDescriptor> finishCreate(TableDescriptor creating) {
    List<CompletableFuture<Void>> replicas = new ArrayList<>();
    for (PartitionDescriptor p : creating.partitions()) {
      for (String node : p.replicaNodes()) {
        replicas.add(storageNode(node).createReplica(p));
      }
    }
    return CompletableFuture.allOf(replicas.toArray(new CompletableFuture[0]))
        .thenCompose(ignored -> propose(new CatalogCommand.SetStatus(
            creating.name(), creating.tableId(), List.of(TableStatus.CREATING), TableStatus.ACTIVE)));
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
      for (String node : p.replicaNodes()) {
        drops.add(storageNode(node).dropReplica(p.groupId()));
      }
    }
    return CompletableFuture.allOf(drops.toArray(new CompletableFuture[0]))
        .thenCompose(ignored -> group.propose(new CatalogCommand.Remove(deleting.name(), deleting.tableId())))
        .thenApply(ignored -> deleting);
  }

  @Override
  public CompletableFuture<TableDescriptor> updateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits) {
    return propose(new CatalogCommand.UpdateBilling(name, mode, readCapacityUnits, writeCapacityUnits, clock.wallMillis()));
  }

  @Override
  public TableDescriptor table(String name) {
    return catalog.tables().get(name);
  }

  @Override
  public List<String> tableNames() {
    return new ArrayList<>(catalog.tables().keySet());
  }

  private StorageNodeService storageNode(String id) {
    StorageNodeService node = storageNodes.get(id);
    if (node == null) {
      throw new IllegalStateException("unknown storage node " + id);
    }
    return node;
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
