package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.simulator.Linearizability;
import io.flywheel.simulator.Op;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A cluster of separate JVMs on loopback, started with {@code flywheel node} from one cluster file:
 * three storage nodes in three availability zones that also hold the catalog, and a router. Writes
 * go through the router with the AWS SDK; each storage node in turn is killed with SIGKILL while
 * the writes go on, then restarted on its data. Every acknowledged write is read back with a
 * strongly consistent read afterwards, nothing else is in the table, and writes resumed after
 * every kill (the time without a successful write is printed: availability is measured, not
 * asserted beyond a generous liveness bound). Then each node in turn is frozen with SIGSTOP for
 * longer than an election timeout plus a lease while writes go on: once it runs again, strongly
 * consistent reads return those writes (a frozen leader must not serve from its stale state).
 * Throughout, concurrent clients write and read a few registers; every register's history must be
 * linearizable.
 */
class ClusterFailoverTest {
  static final int KEYS_PER_PHASE = 40;
  /** A write is retried (same key, same value: idempotent) on server errors this long at most. */
  static final long WRITE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** How long a node stays frozen: past the 2 s longest election timeout plus the 0.95 s lease and drift bound. */
  static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(3_500);

  final Map<Long, ServerProcess> nodes = new TreeMap<>();
  final Map<Long, Path> dataDirs = new TreeMap<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (ServerProcess p : nodes.values()) {
      p.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Path writeClusterFile(Path dir) throws IOException {
    StringBuilder b = new StringBuilder("cluster.replication-factor=3\ncluster.partitions-per-table=2\n");
    String[] zones = {"az-a", "az-b", "az-c"};
    for (int id = 1; id <= 3; id++) {
      b.append("node.").append(id).append(".az=").append(zones[id - 1]).append('\n');
      b.append("node.").append(id).append(".address=127.0.0.1:").append(freePort()).append('\n');
      b.append("node.").append(id).append(".roles=storage,metadata\n");
    }
    b.append("node.4.az=az-a\nnode.4.address=127.0.0.1:").append(freePort()).append('\n');
    b.append("node.4.roles=router\nnode.4.http=127.0.0.1:0\n");
    Path file = dir.resolve("cluster.properties");
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    return file;
  }

  ServerProcess start(Path clusterFile, long id) throws IOException {
    ServerProcess p = ServerProcess.clusterNode(clusterFile, id, dataDirs.get(id)).start();
    nodes.put(id, p);
    return p;
  }

  static DynamoDbClient client(ServerProcess router) {
    return DynamoDbClient.builder()
        .endpointOverride(router.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("cluster", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  /** Repeats {@code call} on server errors (an election, a node that does not answer) until it succeeds; bounded. */
  static <T> T untilAnswered(Supplier<T> call) {
    long deadline = System.nanoTime() + WRITE_RETRY_NANOS;
    while (true) {
      try {
        return call.get();
      } catch (InternalServerErrorException | SdkClientException e) {
        assertThat(System.nanoTime()).as("the cluster answered within %d s: %s", TimeUnit.NANOSECONDS.toSeconds(WRITE_RETRY_NANOS),
            e.getMessage()).isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // back off as an SDK does
      }
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesTheKillOfEachStorageNodeInTurn() throws Exception {
    Path dir = ServerProcess.newDataDir("cluster");
    Path clusterFile = writeClusterFile(dir);
    for (long id = 1; id <= 4; id++) {
      dataDirs.put(id, dir.resolve("node-" + id));
    }
    for (long id = 1; id <= 3; id++) {
      start(clusterFile, id);
    }
    ServerProcess router = start(clusterFile, 4);
    Map<String, String> acknowledged = new LinkedHashMap<>();
    List<Long> gapsMillis = new ArrayList<>();
    try (DynamoDbClient ddb = client(router)) {
      for (String table : List.of("failover", "registers")) {
        untilAnswered(() -> ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())));
      }
      RegisterClients registers = new RegisterClients(router, 3, 4);
      registers.start();
      int next = 0;
      for (long victim = 1; victim <= 3; victim++) {
        for (int i = 0; i < KEYS_PER_PHASE; i++, next++) {
          put(ddb, "k" + next, "before-kill-of-" + victim, acknowledged);
        }
        nodes.get(victim).kill9();
        long killedAt = System.nanoTime();
        put(ddb, "k" + next++, "first-after-kill-of-" + victim, acknowledged);
        gapsMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        for (int i = 0; i < KEYS_PER_PHASE; i++, next++) {
          put(ddb, "k" + next, "after-kill-of-" + victim, acknowledged);
        }
        start(clusterFile, victim); // same data directory and port: it catches up from the others
      }
      System.out.println("ClusterFailoverTest: ms from SIGKILL to the next acknowledged write, per victim: " + gapsMillis);
      // Each node in turn is frozen for longer than an election timeout plus a lease while writes go on;
      // once it runs again, strongly consistent reads must see those writes, wherever the router sends them.
      List<Long> pauseGapsMillis = new ArrayList<>();
      for (long victim = 1; victim <= 3; victim++) {
        ServerProcess frozen = nodes.get(victim);
        frozen.pause();
        long pausedAt = System.nanoTime();
        List<String> duringPause = new ArrayList<>();
        try {
          put(ddb, "k" + next, "while-" + victim + "-paused", acknowledged);
          pauseGapsMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
          duringPause.add("k" + next++);
          while (System.nanoTime() - pausedAt < PAUSE_NANOS) {
            put(ddb, "k" + next, "while-" + victim + "-paused", acknowledged);
            duringPause.add("k" + next++);
          }
        } finally {
          frozen.resume();
        }
        for (String key : duringPause) {
          assertThat(consistentRead(ddb, key)).as("%s right after node %d resumed", key, victim)
              .isEqualTo("while-" + victim + "-paused");
        }
      }
      System.out.println("ClusterFailoverTest: ms from SIGSTOP to the next acknowledged write, per victim: " + pauseGapsMillis);
      registers.stopAndCheck();
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        assertThat(consistentRead(ddb, e.getKey())).as("acknowledged write of %s", e.getKey()).isEqualTo(e.getValue());
      }
      int count = untilAnswered(() -> ddb.scan(b -> b.tableName("failover").consistentRead(true)).count());
      assertThat(count).as("nothing but the acknowledged writes").isEqualTo(acknowledged.size());
    }
  }

  static String consistentRead(DynamoDbClient ddb, String key) {
    Map<String, AttributeValue> item = untilAnswered(() -> ddb.getItem(b -> b.tableName("failover").consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS(key)))).item());
    return item == null || !item.containsKey("v") ? null : item.get("v").s();
  }

  static void put(DynamoDbClient ddb, String key, String value, Map<String, String> acknowledged) {
    untilAnswered(() -> ddb.putItem(b -> b.tableName("failover")
        .item(Map.of("pk", AttributeValue.fromS(key), "v", AttributeValue.fromS(value)))));
    acknowledged.put(key, value);
  }

  /**
   * Concurrent clients on a few registers (items of table {@code registers}) for the whole test,
   * through every kill and pause: unique values written, strongly consistent reads, each call
   * recorded with its start and end in this JVM's time. A write answered with an error or no
   * answer is recorded as of unknown outcome and never retried (a retry could apply the value
   * twice around another write); a read that fails is dropped. Afterwards each register's history
   * must be linearizable (the simulator's WGL checker).
   */
  static final class RegisterClients {
    final ServerProcess router;
    final int clients;
    final int keys;
    final List<Op> history = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    RegisterClients(ServerProcess router, int clients, int keys) {
      this.router = router;
      this.clients = clients;
      this.keys = keys;
    }

    void start() {
      for (int c = 1; c <= clients; c++) {
        long client = c;
        Thread t = new Thread(() -> run(client), "register-client-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void run(long client) {
      java.util.Random random = new java.util.Random(client); // seeded: the same choices every run
      long written = 0;
      try (DynamoDbClient ddb = client(router)) {
        while (!stop.get()) {
          long key = random.nextInt(keys);
          Map<String, AttributeValue> pk = Map.of("pk", AttributeValue.fromS("r" + key));
          long call = System.nanoTime();
          if (random.nextBoolean()) {
            long value = client * 1_000_000_000L + ++written;
            Op.Outcome outcome;
            try {
              ddb.putItem(b -> b.tableName("registers").item(Map.of("pk", pk.get("pk"), "v", AttributeValue.fromN(Long.toString(value)))));
              outcome = Op.Outcome.OK;
            } catch (InternalServerErrorException | SdkClientException e) {
              outcome = Op.Outcome.UNKNOWN;
            }
            history.add(new Op(ids.incrementAndGet(), client, key, Op.Kind.WRITE, 0, value, call, System.nanoTime(), outcome, 0));
          } else {
            try {
              Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("registers").consistentRead(true).key(pk)).item();
              long observed = item == null || !item.containsKey("v") ? 0 : Long.parseLong(item.get("v").n());
              history.add(new Op(ids.incrementAndGet(), client, key, Op.Kind.READ, 0, 0, call, System.nanoTime(), Op.Outcome.OK,
                  observed));
            } catch (InternalServerErrorException | SdkClientException e) {
              // a read that failed saw nothing: it is not part of the history
            }
          }
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a client's think time
        }
      }
    }

    void stopAndCheck() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).isFalse();
      }
      long reads = history.stream().filter(o -> o.kind() == Op.Kind.READ).count();
      long unknown = history.stream().filter(o -> o.outcome() == Op.Outcome.UNKNOWN).count();
      assertThat(reads).as("strongly consistent reads were made").isGreaterThan(100);
      for (long key = 0; key < keys; key++) {
        long k = key;
        List<Op> ops = history.stream().filter(o -> o.key() == k).toList();
        Linearizability.Result r = Linearizability.check(ops, 5_000_000);
        assertThat(r.verdict()).as("register r%d (%d operations): %s", key, ops.size(), r.detail())
            .isEqualTo(Linearizability.Verdict.LINEARIZABLE);
      }
      System.out.printf("ClusterFailoverTest: %d register operations (%d strongly consistent reads, %d writes of unknown outcome) "
          + "linearizable on every key%n", history.size(), reads, unknown);
    }
  }
}
