package io.flywheel.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.wire.MetadataMessages;
import io.flywheel.transport.LocalMessageBus;
import io.flywheel.transport.LocalMessageHub;
import io.flywheel.transport.MessageBusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A router's view of the metadata service over an in-process hub, with time in the test's hands:
 * the catalog copy is fetched at a fixed rate whatever the lookups (constant work), mutations find
 * the catalog's leader, and what a mutation returned is never undone by a refresh that began
 * before it.
 */
class RemoteMetadataTest {
  static final long ROUTER = 10;
  static final long REFRESH_MILLIS = 500;

  final ManualScheduler scheduler = new ManualScheduler();
  final LocalMessageHub hub = new LocalMessageHub();
  final List<ExecutorService> executors = new ArrayList<>();
  final List<LocalMessageBus> buses = new ArrayList<>();
  /** Catalog fetches each metadata node served. */
  final Map<Long, AtomicInteger> catalogCalls = new ConcurrentHashMap<>();
  final Map<Long, AtomicInteger> createCalls = new ConcurrentHashMap<>();
  /** What the metadata nodes hold; the leader is node 2. */
  final List<TableDescriptor> tables = new CopyOnWriteArrayList<>();
  /** While set, catalog answers wait for it (a fetch in flight). */
  volatile CompletableFuture<Void> holdCatalog = CompletableFuture.completedFuture(null);

  final RpcEndpoint router = endpoint(ROUTER);

  RemoteMetadataTest() {
    for (long node = 1; node <= 3; node++) {
      long self = node;
      RpcEndpoint e = endpoint(node);
      catalogCalls.put(node, new AtomicInteger());
      createCalls.put(node, new AtomicInteger());
      e.serve(MetadataMessages.CATALOG, ignored -> {
        catalogCalls.get(self).incrementAndGet();
        List<TableDescriptor> now = List.copyOf(tables);
        return holdCatalog.thenApply(v -> now);
      });
      e.serve(MetadataMessages.CREATE_TABLE, spec -> {
        createCalls.get(self).incrementAndGet();
        if (self != 2) {
          return CompletableFuture.failedFuture(new RoutingException.NotLeader(0, 2));
        }
        TableDescriptor t = table(spec.name());
        tables.add(t);
        return CompletableFuture.completedFuture(t);
      });
    }
  }

  RpcEndpoint endpoint(long node) {
    ExecutorService rpc = Executors.newSingleThreadExecutor();
    ExecutorService delivery = Executors.newSingleThreadExecutor();
    executors.add(rpc);
    executors.add(delivery);
    RpcEndpoint endpoint = new RpcEndpoint(RpcConfig.defaults(), scheduler.syncClock, scheduler, RandomSource.seeded(node), rpc);
    LocalMessageBus bus = hub.join(node, MessageBusConfig.defaults(), endpoint, delivery);
    buses.add(bus);
    endpoint.attach(bus);
    return endpoint;
  }

  @AfterEach
  void stop() {
    buses.forEach(LocalMessageBus::close);
    executors.forEach(ExecutorService::shutdownNow);
  }

  static TableDescriptor table(String name) {
    return new TableDescriptor(name.hashCode() & 0xFFFF, "uuid-" + name, name, new KeySchema(new KeyAttribute("pk", ScalarType.S), null),
        List.of(new AttributeDefinition("pk", ScalarType.S)), BillingMode.PAY_PER_REQUEST, ProvisionedThroughput.ON_DEMAND, 0, 0,
        TableStatus.ACTIVE, List.of(new PartitionDescriptor(7, 1, 0, -1L, 1, List.of(1L, 2L, 3L))), List.of());
  }

  static CreateTableSpec spec(String name) {
    return new CreateTableSpec(name, new KeySchema(new KeyAttribute("pk", ScalarType.S), null),
        List.of(new AttributeDefinition("pk", ScalarType.S)), BillingMode.PAY_PER_REQUEST, 0, 0, List.of());
  }

  RemoteMetadata remote() {
    return new RemoteMetadata(router, List.of(1L, 2L, 3L), scheduler, REFRESH_MILLIS * 1_000_000);
  }

  int totalCatalogCalls() {
    return catalogCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Moves time by one refresh period and waits for the fetch it starts to be applied. */
  void oneRefresh(RemoteMetadata m) {
    long before = m.refreshes();
    scheduler.advanceMillis(REFRESH_MILLIS);
    Await.until("a refresh", () -> m.refreshes() == before + 1);
  }

  @Test
  void metadataNodesSeeTheSameLoadWhetherLookupsHitOrMissOrThereAreNone() {
    tables.add(table("present"));
    RemoteMetadata m = remote();
    Await.value(m.start());
    int afterStart = totalCatalogCalls();
    for (int i = 0; i < 10; i++) {
      oneRefresh(m);
    }
    int idle = totalCatalogCalls() - afterStart;
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 1_000; j++) {
        assertThat(m.table("present")).isNotNull(); // hits
        assertThat(m.table("absent-" + j)).isNull(); // misses
      }
      oneRefresh(m);
    }
    int busy = totalCatalogCalls() - afterStart - idle;
    assertThat(idle).isEqualTo(10);
    assertThat(busy).as("20,000 lookups between the same refreshes cost the metadata nodes nothing more").isEqualTo(idle);
    assertThat(m.tableNames()).containsExactly("present");
  }

  @Test
  void aMutationFindsTheLeaderAndIsNotUndoneByARefreshThatBeganBeforeIt() {
    RemoteMetadata m = remote();
    Await.value(m.start());
    holdCatalog = new CompletableFuture<>();
    scheduler.advanceMillis(REFRESH_MILLIS); // a fetch goes out and waits on the server, before the table exists
    Await.until("the fetch to reach a metadata node", () -> totalCatalogCalls() == 2);
    TableDescriptor created = Await.value(m.createTable(spec("orders")));
    assertThat(createCalls.get(1L).get()).as("node 1 named node 2 as the leader").isEqualTo(1);
    assertThat(createCalls.get(2L).get()).isEqualTo(1);
    assertThat(m.table("orders")).as("visible at once on the router that created it").isEqualTo(created);
    holdCatalog.complete(null); // the old answer arrives, without the table
    Await.until("the held refresh", () -> m.refreshes() == 2);
    assertThat(m.table("orders")).as("the older answer does not undo the creation").isEqualTo(created);
    Await.value(m.createTable(spec("second")));
    assertThat(createCalls.get(2L).get()).as("straight to the leader the second time").isEqualTo(2);
    assertThat(createCalls.get(1L).get()).isEqualTo(1);
    tables.removeIf(t -> t.name().equals("orders")); // dropped through another router
    oneRefresh(m);
    assertThat(m.tableNames()).containsExactly("second");
  }
}
