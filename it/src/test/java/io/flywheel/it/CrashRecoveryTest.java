package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Kills the server with SIGKILL while 16 clients write, restarts it on the same data, and proves
 * that every acknowledged write is there and nothing that was never written appeared. Each key
 * has one writer that writes increasing versions, so after recovery a key's version must lie
 * between its last acknowledged and its last attempted version. Three kill cycles.
 */
class CrashRecoveryTest {
  static final int WRITERS = 16;
  static final int KEYS_PER_WRITER = 40;
  static final int ACKS_BEFORE_KILL = 1500;
  static final int CYCLES = 3;

  /** Per key: the highest version acknowledged and the highest attempted. */
  final Map<String, Integer> acked = new ConcurrentHashMap<>();
  final Map<String, Integer> attempted = new ConcurrentHashMap<>();

  static DynamoDbClient client(ServerProcess server) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("crash", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(WRITERS).socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  @Test
  void acknowledgedWritesSurviveSigkillAndNothingElseAppears() throws Exception {
    Path data = ServerProcess.newDataDir("crash");
    ServerProcess server = new ServerProcess(data).start();
    try (DynamoDbClient ddb = client(server)) {
      ddb.createTable(b -> b.tableName("crash").billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }
    int[] version = new int[WRITERS * KEYS_PER_WRITER];
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
      AtomicInteger failedWriters = new AtomicInteger();
      Thread[] writers = new Thread[WRITERS];
      try (DynamoDbClient ddb = client(server)) {
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          writers[w] = new Thread(() -> write(ddb, writer, version, enoughAcks, failedWriters), "writer-" + w);
          writers[w].start();
        }
        assertThat(enoughAcks.await(120, TimeUnit.SECONDS)).as("writes were acknowledged").isTrue();
        server.kill9();
        for (Thread t : writers) {
          t.join(60_000);
          assertThat(t.isAlive()).isFalse();
        }
      }
      server = new ServerProcess(data).start();
      verify(server);
    }
    server.close();
  }

  private void write(DynamoDbClient ddb, int writer, int[] version, CountDownLatch enoughAcks, AtomicInteger failed) {
    for (int i = 0; ; i++) {
      int slot = writer * KEYS_PER_WRITER + (i % KEYS_PER_WRITER);
      String key = "w" + writer + "-" + (i % KEYS_PER_WRITER);
      int v = ++version[slot];
      attempted.put(key, v);
      try {
        ddb.putItem(b -> b.tableName("crash").item(Map.of(
            "pk", AttributeValue.fromS(key), "v", AttributeValue.fromN(Integer.toString(v)),
            "pad", AttributeValue.fromS("x".repeat(200)))));
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        return; // the server is gone
      }
      acked.put(key, v);
      enoughAcks.countDown();
    }
  }

  private void verify(ServerProcess server) {
    try (DynamoDbClient ddb = client(server)) {
      int present = 0;
      for (Map.Entry<String, Integer> e : attempted.entrySet()) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("crash").consistentRead(true)
            .key(Map.of("pk", AttributeValue.fromS(e.getKey())))).item();
        Integer ackedVersion = acked.get(e.getKey());
        if (item.isEmpty()) {
          assertThat(ackedVersion).as("acknowledged key %s is missing after the crash", e.getKey()).isNull();
          continue;
        }
        present++;
        int found = Integer.parseInt(item.get("v").n());
        assertThat(found).as("key %s", e.getKey()).isLessThanOrEqualTo(e.getValue());
        if (ackedVersion != null) {
          assertThat(found).as("key %s lost acknowledged version %d", e.getKey(), ackedVersion).isGreaterThanOrEqualTo(ackedVersion);
        }
        // What survived is now the truth: later versions build on it.
        acked.put(e.getKey(), found);
        attempted.put(e.getKey(), found);
      }
      long itemCount = ddb.describeTable(b -> b.tableName("crash")).table().itemCount();
      assertThat(itemCount).as("items that were never written appeared").isEqualTo(present);
    }
  }
}
