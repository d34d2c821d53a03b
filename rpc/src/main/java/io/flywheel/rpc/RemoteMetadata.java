package io.flywheel.rpc;

import io.flywheel.base.Invariants;
import io.flywheel.base.Scheduler;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.wire.MetadataMessages;
import io.flywheel.protocol.wire.RpcMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metadata service of a cluster as a router sees it: mutations go to the catalog group's
 * leader over RPC, lookups are answered from a copy of the whole catalog held in memory.
 *
 * <p><b>Constant work</b> (paper §6.6): the copy is refreshed by fetching the whole catalog every
 * {@code refreshNanos}, whether lookups hit or miss and however many there are, so the metadata
 * nodes see the same load from a router with a warm copy as from a cold one, and a lookup never
 * waits for the network. A mutation made through this router is in its copy as soon as it returns
 * (a refresh that began before it cannot undo it); others' appear within one refresh.
 *
 * <p>Mutations follow NotLeader answers to the leader they name, or try the next metadata node,
 * pausing while the catalog group elects, {@link #ATTEMPTS_MAX} attempts at most. A mutation
 * whose request went out and got no answer is not repeated (it may have taken effect): the caller
 * gets a retryable InternalServerError.
 */
public final class RemoteMetadata implements MetadataService {
  /** Attempts of one mutation before giving up with an InternalServerError. */
  static final int ATTEMPTS_MAX = 40;
  /** Pause between attempts when no node knows a leader. */
  static final long RETRY_NANOS = 50_000_000L;

  private final RpcEndpoint endpoint;
  private final List<Long> metadataNodes;
  private final Scheduler scheduler;
  private final long refreshNanos;
  private final AtomicLong leaderGuess;
  /** Counts local mutations; a refresh keeps entries changed locally after it began. */
  private final AtomicLong localChanges = new AtomicLong();
  private final Map<String, Long> changedAt = new HashMap<>();
  private final AtomicLong refreshes = new AtomicLong();
  private volatile TreeMap<String, TableDescriptor> catalog = new TreeMap<>();
  private volatile boolean stopped;

  public RemoteMetadata(RpcEndpoint endpoint, List<Long> metadataNodes, Scheduler scheduler, long refreshNanos) {
    Invariants.checkArgument(!metadataNodes.isEmpty(), "no metadata nodes");
    Invariants.checkArgument(refreshNanos > 0, "refreshNanos > 0");
    this.endpoint = endpoint;
    this.metadataNodes = List.copyOf(metadataNodes);
    this.scheduler = scheduler;
    this.refreshNanos = refreshNanos;
    this.leaderGuess = new AtomicLong(this.metadataNodes.get(0));
  }

  /** Fetches the catalog once (trying each metadata node in turn, bounded), then keeps refreshing it at the fixed rate. */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    firstRefresh(first, 1);
    return first.thenRun(this::scheduleRefresh);
  }

  private void firstRefresh(CompletableFuture<Void> first, int attempt) {
    refresh().whenComplete((ok, error) -> {
      if (error == null) {
        first.complete(null);
      } else if (attempt >= ATTEMPTS_MAX || stopped) {
        first.completeExceptionally(error);
      } else {
        scheduler.schedule(RETRY_NANOS, () -> firstRefresh(first, attempt + 1));
      }
    });
  }

  private void scheduleRefresh() {
    if (!stopped) {
      scheduler.schedule(refreshNanos, () -> refresh().whenComplete((ok, error) -> scheduleRefresh()));
    }
  }

  /** Stops refreshing; lookups keep answering from the last copy. */
  public void stop() {
    stopped = true;
  }

  /** Catalog fetches completed so far. */
  public long refreshes() {
    return refreshes.get();
  }

  private CompletableFuture<Void> refresh() {
    long node = leaderGuess.get();
    long startedAt = localChanges.get();
    return endpoint.call(node, MetadataMessages.CATALOG, null).handle((tables, error) -> {
      if (error != null) {
        nextNode(node);
        throw new CompletionException(error);
      }
      synchronized (changedAt) {
        TreeMap<String, TableDescriptor> fresh = new TreeMap<>();
        for (TableDescriptor t : tables) {
          fresh.put(t.name(), t);
        }
        TreeMap<String, TableDescriptor> previous = catalog;
        for (Map.Entry<String, Long> changed : changedAt.entrySet()) {
          if (changed.getValue() > startedAt) { // changed here after this fetch began: keep what we know
            TableDescriptor mine = previous.get(changed.getKey());
            if (mine == null) {
              fresh.remove(changed.getKey());
            } else {
              fresh.put(changed.getKey(), mine);
            }
          }
        }
        changedAt.values().removeIf(seq -> seq <= startedAt);
        catalog = fresh;
      }
      refreshes.incrementAndGet();
      return null;
    });
  }

  private void learned(TableDescriptor t) {
    synchronized (changedAt) {
      changedAt.put(t.name(), localChanges.incrementAndGet());
      TreeMap<String, TableDescriptor> next = new TreeMap<>(catalog);
      next.put(t.name(), t);
      catalog = next;
    }
  }

  private void nextNode(long failed) {
    int at = metadataNodes.indexOf(failed);
    leaderGuess.compareAndSet(failed, metadataNodes.get((at + 1) % metadataNodes.size()));
  }

  private <Q> CompletableFuture<TableDescriptor> mutate(RpcMethod<Q, TableDescriptor> method, Q request) {
    CompletableFuture<TableDescriptor> answer = new CompletableFuture<>();
    attempt(method, request, answer, 1);
    return answer.thenApply(t -> {
      learned(t);
      return t;
    });
  }

  private <Q> void attempt(RpcMethod<Q, TableDescriptor> method, Q request, CompletableFuture<TableDescriptor> answer, int attempt) {
    long node = leaderGuess.get();
    endpoint.call(node, method, request).whenComplete((t, error) -> {
      if (error == null) {
        answer.complete(t);
        return;
      }
      Throwable cause = RemoteStorageNode.translate(node, error);
      boolean again;
      long pauseNanos = 0;
      if (cause instanceof RoutingException.NotLeader refusal) {
        if (metadataNodes.contains(refusal.leaderHint()) && refusal.leaderHint() != node) {
          leaderGuess.compareAndSet(node, refusal.leaderHint());
        } else {
          nextNode(node);
          pauseNanos = RETRY_NANOS; // nobody knows a leader yet: an election is under way
        }
        again = true;
      } else if (cause instanceof RoutingException.Unreachable unreachable) {
        nextNode(node);
        again = !unreachable.requestSent();
      } else {
        answer.completeExceptionally(cause);
        return;
      }
      if (!again || attempt >= ATTEMPTS_MAX || stopped) {
        answer.completeExceptionally(new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error"));
      } else if (pauseNanos == 0) {
        attempt(method, request, answer, attempt + 1);
      } else {
        scheduler.schedule(pauseNanos, () -> attempt(method, request, answer, attempt + 1));
      }
    });
  }

  @Override
  public CompletableFuture<TableDescriptor> createTable(CreateTableSpec spec) {
    return mutate(MetadataMessages.CREATE_TABLE, spec);
  }

  @Override
  public CompletableFuture<TableDescriptor> deleteTable(String name) {
    return mutate(MetadataMessages.DELETE_TABLE, new MetadataMessages.DeleteTable(name));
  }

  @Override
  public CompletableFuture<TableDescriptor> updateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits) {
    return mutate(MetadataMessages.UPDATE_BILLING, new MetadataMessages.UpdateBilling(name, mode, readCapacityUnits, writeCapacityUnits));
  }

  @Override
  public CompletableFuture<TableDescriptor> createGlobalIndex(String tableName, CreateTableSpec.IndexSpec index,
      List<AttributeDefinition> definitions) {
    return mutate(MetadataMessages.CREATE_GLOBAL_INDEX, new MetadataMessages.CreateGlobalIndex(tableName, index, definitions));
  }

  @Override
  public CompletableFuture<TableDescriptor> deleteGlobalIndex(String tableName, String indexName) {
    return mutate(MetadataMessages.DELETE_GLOBAL_INDEX, new MetadataMessages.DeleteGlobalIndex(tableName, indexName));
  }

  @Override
  public CompletableFuture<TableDescriptor> updateGlobalIndexThroughput(String tableName, String indexName, long readCapacityUnits,
      long writeCapacityUnits) {
    return mutate(MetadataMessages.UPDATE_GLOBAL_INDEX_THROUGHPUT,
        new MetadataMessages.UpdateGlobalIndexThroughput(tableName, indexName, readCapacityUnits, writeCapacityUnits));
  }

  @Override
  public TableDescriptor table(String name) {
    return catalog.get(name);
  }

  @Override
  public List<String> tableNames() {
    return new ArrayList<>(catalog.keySet());
  }
}
