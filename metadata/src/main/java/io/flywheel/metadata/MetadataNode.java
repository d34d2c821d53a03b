package io.flywheel.metadata;

import io.flywheel.base.Clock;
import io.flywheel.base.Invariants;
import io.flywheel.base.Scheduler;
import io.flywheel.base.RandomSource;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionLeaders;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.replicahost.GroupHandle;
import io.flywheel.replicahost.HostRejectedException;
import io.flywheel.replicahost.ReplicaHost;
import io.flywheel.replication.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The metadata role: serves the catalog from memory and drives table and index lifecycle changes. */
public final class MetadataNode implements MetadataService {
  /** Items per backfill command: each is one decision of the base partition's group. */
  static final int BACKFILL_CHUNK_ITEMS = 100;

  private final Catalog catalog = new Catalog();
  private final StorageNodes storageNodes;
  private final Clock clock;
  private final RandomSource random;
  private final MetadataConfig config;
  /** How often a replica of a replicated catalog checks whether it began to lead. */
  static final long LEADERSHIP_CHECK_NANOS = 100_000_000L;
  /** Pause between attempts to reach a partition's leader while its group elects one. */
  static final long LEADER_RETRY_NANOS = 100_000_000L;
  /** Attempts to reach a partition's leader before a change gives up (and a later leader resumes it). */
  static final int LEADER_ATTEMPTS_MAX = 50;
  /** Pause between attempts to reach a replica for a table change. */
  static final long REPLICA_RETRY_NANOS = 1_000_000_000L;
  /** Attempts to reach one replica for a table change (about two minutes); a node down for longer is healed instead. */
  static final int REPLICA_ATTEMPTS_MAX = 120;

  private GroupHandle<CatalogCommand> group;
  /** Where each partition's leader was last found, for the calls only a leader takes (schema, backfill). */
  private final PartitionLeaders leaders = new PartitionLeaders();
  private Scheduler scheduler;
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile boolean stopped;

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
   * index change a crash interrupted, before returning: for a catalog group of one node (the
   * embedded server), which leads from the start.
   */
  public void start(ReplicaHost host) {
    Invariants.checkArgument(config.metadataNodes().equals(List.of(host.nodeId())),
        "a catalog group of one is started on its node; a replicated one with a scheduler");
    register(host);
    leading.set(true);
    resumeUnfinished().join();
  }

  /**
   * Registers this node's replica of a replicated catalog group on {@code host}. Table and index
   * changes are carried out by the replica that leads: each time this one begins to serve as
   * leader (checked every {@link #LEADERSHIP_CHECK_NANOS} on {@code scheduler}) it finishes every
   * change a previous leader left unfinished. Mutations proposed on a replica that does not lead
   * fail with a NOT_LEADER {@code HostRejectedException} naming the leader it knows.
   */
  public void start(ReplicaHost host, Scheduler scheduler) {
    Invariants.checkArgument(config.metadataNodes().contains(host.nodeId()), "node " + host.nodeId() + " is not a metadata node");
    this.scheduler = scheduler;
    register(host);
    watchLeadership();
  }

  private void register(ReplicaHost host) {
    long[] voters = config.metadataNodes().stream().mapToLong(Long::longValue).toArray();
    group = host.register(Catalog.CATALOG_GROUP_ID, catalog, Membership.fullVoters(voters));
  }

  private void watchLeadership() {
    if (stopped) {
      return;
    }
    boolean serving = group.servesConsistentReads();
    if (!serving) {
      leading.set(false);
    } else if (leading.compareAndSet(false, true)) {
      resumeUnfinished();
    }
    scheduler.schedule(LEADERSHIP_CHECK_NANOS, this::watchLeadership);
  }

  /** Stops watching for leadership; changes under way run to their end or fail. */
  public void stop() {
    stopped = true;
  }

  /** Whether this node's catalog replica leads and serves (so its catalog is the latest). */
  public boolean leads() {
    return group.servesConsistentReads();
  }

  /** The node this replica believes leads the catalog group, or 0 when it knows none. */
  public long leaderHint() {
    long hint = group.leaderHint();
    return hint > 0 ? hint : 0;
  }

  /** Finishes every table and index change found unfinished in the catalog; failures are left for the next leader. */
  private CompletableFuture<Void> resumeUnfinished() {
    List<CompletableFuture<?>> resumed = new ArrayList<>();
    for (TableDescriptor t : new ArrayList<>(catalog.tables().values())) {
      switch (t.status()) {
        case CREATING -> resumed.add(finishCreate(t));
        case DELETING -> resumed.add(finishDelete(t));
        default -> {
          for (IndexDescriptor i : t.indexes()) {
            if (i.status() == IndexStatus.CREATING) {
              resumed.add(finishCreateIndex(t.name(), i.name()));
            } else if (i.status() == IndexStatus.DELETING) {
              resumed.add(finishDeleteIndex(t.name(), i.name()));
            }
          }
        }
      }
    }
    return CompletableFuture.allOf(resumed.stream()
        .map(f -> f.handle((v, e) -> {
          if (e != null) {
            System.getLogger(MetadataNode.class.getName()).log(System.Logger.Level.WARNING,
                "an unfinished table change failed again; the next leader retries it", e);
          }
          return null;
        }))
        .toArray(CompletableFuture[]::new));
  }

  /**
   * Proposes to the catalog group. The host's refusals become what callers act on: NOT_LEADER a
   * {@link RoutingException.NotLeader} naming the leader this replica knows (callers over the
   * network go there), OVERLOADED a ThrottlingException, others an internal error.
   */
  private CompletableFuture<TableDescriptor> propose(CatalogCommand command) {
    CompletableFuture<TableDescriptor> answer = new CompletableFuture<>();
    group.propose(command).whenComplete((r, error) -> {
      if (error == null) {
        answer.complete((TableDescriptor) r);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      answer.completeExceptionally(cause instanceof HostRejectedException rejected ? switch (rejected.reason()) {
        case NOT_LEADER -> new RoutingException.NotLeader(Catalog.CATALOG_GROUP_ID, Math.max(0, rejected.leaderHint()));
        case OVERLOADED -> new DynamoException(ErrorCode.THROTTLING, "Rate of requests exceeds the allowed throughput.");
        default -> new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
      } : cause);
    });
    return answer;
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
      replicas.add(onReplicas(p, node -> node.createReplica(p, schema)));
    }
    for (IndexDescriptor index : creating.indexes()) {
      replicas.add(createIndexPartitions(creating, index));
    }
    return all(replicas)
        .thenCompose(ignored -> propose(new CatalogCommand.SetStatus(
            creating.name(), creating.tableId(), List.of(TableStatus.CREATING), TableStatus.ACTIVE)))
        .exceptionallyCompose(error -> {
          // A new leader's resumption and the creating call may both finish the same table: the second finds it done.
          TableDescriptor now = catalog.tables().get(creating.name());
          return now != null && now.tableId() == creating.tableId() && now.status() == TableStatus.ACTIVE
              ? CompletableFuture.completedFuture(now)
              : CompletableFuture.failedFuture(error);
        });
  }

  /** The partitions of a global index: an internal table keyed by the index's key. */
  private CompletableFuture<Void> createIndexPartitions(TableDescriptor table, IndexDescriptor index) {
    List<CompletableFuture<Void>> replicas = new ArrayList<>();
    PartitionSchema schema = new PartitionSchema(table.name() + "/index/" + index.name(), index.keySchema(), List.of());
    for (PartitionDescriptor p : index.partitions()) {
      replicas.add(onReplicas(p, node -> node.createReplica(p, schema)));
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
        .thenCompose(ignored -> propose(new CatalogCommand.Remove(deleting.name(), deleting.tableId())))
        .thenApply(ignored -> deleting);
  }

  private CompletableFuture<Void> drop(PartitionDescriptor p) {
    return onReplicas(p, node -> node.dropReplica(p.groupId()));
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
    return onLeader(p, node -> node.backfillIndex(p.ref(), indexId, from, BACKFILL_CHUNK_ITEMS))
        .thenCompose(next -> next == null ? CompletableFuture.completedFuture(null) : backfill(p, indexId, next));
  }

  /** Makes every partition of the table maintain the table's current indexes. */
  private CompletableFuture<Void> pushSchema(TableDescriptor t) {
    TableDescriptor current = catalog.tables().get(t.name());
    PartitionSchema schema = (current == null ? t : current).partitionSchema();
    List<CompletableFuture<Void>> updates = new ArrayList<>();
    for (PartitionDescriptor p : t.partitions()) {
      // the schema is a command of the partition's group: its leader replicates it to every replica
      updates.add(onLeader(p, node -> node.updateSchema(p.ref(), schema)));
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

  /**
   * Calls every replica of {@code p} (an idempotent call); completes once a majority of them
   * succeeded — a group that has its write quorum works — or fails once a majority cannot. With a
   * scheduler (a replicated catalog), a replica's failed call is repeated every {@link
   * #REPLICA_RETRY_NANOS}, {@link #REPLICA_ATTEMPTS_MAX} attempts at most, also after the majority
   * answered, so a node that was down briefly still gets it; one down for longer is for healing.
   */
  private CompletableFuture<Void> onReplicas(PartitionDescriptor p, Function<StorageNodeService, CompletableFuture<Void>> call) {
    List<Long> replicas = p.replicaNodes();
    int needed = replicas.size() / 2 + 1;
    CompletableFuture<Void> majority = new CompletableFuture<>();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    for (long node : replicas) {
      callReplica(node, call, 1, ok -> {
        if (ok) {
          if (succeeded.incrementAndGet() == needed) {
            majority.complete(null);
          }
        } else if (failed.incrementAndGet() == replicas.size() - needed + 1) {
          majority.completeExceptionally(new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR,
              "Internal server error: a majority of partition " + p.groupId() + "'s replicas did not answer"));
        }
      });
    }
    return majority;
  }

  private void callReplica(long node, Function<StorageNodeService, CompletableFuture<Void>> call, int attempt,
      java.util.function.Consumer<Boolean> outcome) {
    CompletableFuture<Void> sent;
    try {
      sent = call.apply(storageNode(node));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ignored, error) -> {
      if (error == null) {
        outcome.accept(true);
      } else if (scheduler == null || stopped || attempt >= REPLICA_ATTEMPTS_MAX) {
        outcome.accept(false);
      } else {
        scheduler.schedule(REPLICA_RETRY_NANOS, () -> callReplica(node, call, attempt + 1, outcome));
      }
    });
  }

  /**
   * Calls the leader of {@code p}'s group: follows NotLeader hints and passes over nodes that do
   * not answer, pausing {@link #LEADER_RETRY_NANOS} between attempts (while the group elects),
   * {@link #LEADER_ATTEMPTS_MAX} attempts at most. Only for calls that may be repeated.
   */
  private <T> CompletableFuture<T> onLeader(PartitionDescriptor p, Function<StorageNodeService, CompletableFuture<T>> call) {
    return onLeader(p, call, 1);
  }

  private <T> CompletableFuture<T> onLeader(PartitionDescriptor p, Function<StorageNodeService, CompletableFuture<T>> call,
      int attempt) {
    long node = leaders.leaderOf(p);
    return call.apply(storageNode(node)).handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!leaders.redirect(p, node, cause) || attempt >= LEADER_ATTEMPTS_MAX) {
        return CompletableFuture.<T>failedFuture(cause);
      }
      CompletableFuture<T> retried = new CompletableFuture<>();
      Runnable again = () -> onLeader(p, call, attempt + 1).whenComplete((v, e) -> {
        if (e == null) {
          retried.complete(v);
        } else {
          retried.completeExceptionally(e);
        }
      });
      if (scheduler == null) {
        again.run();
      } else {
        scheduler.schedule(LEADER_RETRY_NANOS, again);
      }
      return retried;
    }).thenCompose(Function.identity());
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
