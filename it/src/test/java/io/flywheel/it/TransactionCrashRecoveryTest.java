package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * SIGKILLs the server while clients run transfers that touch three partitions of two tables
 * (debit, credit, and a receipt), restarts it on the same data and checks that no transaction is
 * half applied: the money total holds, no balance is negative, each account's count of applied
 * transfers matches the receipts, every acknowledged transfer's receipt is there, and nothing is
 * left held (one TransactGetItems of every account succeeds at once). Two kill cycles.
 */
class TransactionCrashRecoveryTest {
  static final int ACCOUNTS = 20;
  static final long INITIAL = 1_000;
  static final int WRITERS = 8;
  static final int ACKS_BEFORE_KILL = 120;
  static final int CYCLES = 2;

  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  static DynamoDbClient client(ServerProcess server) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("crash", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(WRITERS + 2).socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  static void createTable(DynamoDbClient ddb, String name) {
    ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
  }

  @Test
  void noTransactionIsHalfAppliedAfterASigkill() throws Exception {
    Path data = ServerProcess.newDataDir("tx-crash");
    ServerProcess server = new ServerProcess(data, "--partitions-per-table", "4").start();
    try (DynamoDbClient ddb = client(server)) {
      createTable(ddb, "accounts");
      createTable(ddb, "receipts");
      for (int i = 0; i < ACCOUNTS; i++) {
        String pk = BankTransferTest.account(i);
        ddb.putItem(b -> b.tableName("accounts").item(Map.of("pk", AttributeValue.fromS(pk),
            "balance", AttributeValue.fromN(Long.toString(INITIAL)), "transfers", AttributeValue.fromN("0"))));
      }
    }
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
      List<Thread> writers = new ArrayList<>();
      try (DynamoDbClient ddb = client(server)) {
        for (int w = 0; w < WRITERS; w++) {
          Random random = new Random(cycle * 100L + w);
          writers.add(new Thread(() -> transfer(ddb, random, enoughAcks), "transfer-" + w));
        }
        writers.forEach(Thread::start);
        assertThat(enoughAcks.await(120, TimeUnit.SECONDS)).as("transfers were acknowledged").isTrue();
        server.kill9();
        for (Thread t : writers) {
          t.join(60_000);
          assertThat(t.isAlive()).isFalse();
        }
      }
      server = new ServerProcess(data, "--partitions-per-table", "4").start();
      verify(server);
    }
    server.close();
  }

  private void transfer(DynamoDbClient ddb, Random random, CountDownLatch enoughAcks) {
    while (true) {
      int from = random.nextInt(ACCOUNTS);
      int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
      long amount = 1 + random.nextInt(200);
      String id = UUID.randomUUID().toString();
      try {
        ddb.transactWriteItems(b -> b.clientRequestToken(id).transactItems(
            change(BankTransferTest.account(from), -amount),
            change(BankTransferTest.account(to), amount),
            TransactWriteItem.builder().put(Put.builder().tableName("receipts").item(Map.of("pk", AttributeValue.fromS(id),
                "amount", AttributeValue.fromN(Long.toString(amount)))).build()).build()));
        acknowledged.add(id);
        enoughAcks.countDown();
      } catch (TransactionCanceledException e) {
        // Insufficient balance or a conflict: nothing happened; go on.
      } catch (RuntimeException e) {
        return; // the server is gone
      }
    }
  }

  /** A debit (negative, on condition of a sufficient balance) or credit that also counts the account's transfers. */
  private static TransactWriteItem change(String pk, long delta) {
    Map<String, AttributeValue> values = delta < 0
        ? Map.of(":d", AttributeValue.fromN(Long.toString(delta)), ":need", AttributeValue.fromN(Long.toString(-delta)),
            ":one", AttributeValue.fromN("1"))
        : Map.of(":d", AttributeValue.fromN(Long.toString(delta)), ":one", AttributeValue.fromN("1"));
    return TransactWriteItem.builder().update(Update.builder().tableName("accounts").key(Map.of("pk", AttributeValue.fromS(pk)))
        .updateExpression("SET balance = balance + :d, transfers = transfers + :one")
        .conditionExpression(delta < 0 ? "balance >= :need" : "attribute_exists(pk)")
        .expressionAttributeValues(values).build()).build();
  }

  private void verify(ServerProcess server) {
    try (DynamoDbClient ddb = client(server)) {
      // Recovery ran before the server served: nothing may still be held, so this succeeds at once.
      List<Map<String, AttributeValue>> accounts = new ArrayList<>();
      ddb.transactGetItems(b -> b.transactItems(BankTransferTest.allAccounts("accounts", ACCOUNTS)))
          .responses().forEach(r -> accounts.add(r.item()));
      long total = 0;
      long transfers = 0;
      for (Map<String, AttributeValue> a : accounts) {
        long balance = Long.parseLong(a.get("balance").n());
        assertThat(balance).as("balance of %s", a.get("pk").s()).isNotNegative();
        total += balance;
        transfers += Long.parseLong(a.get("transfers").n());
      }
      assertThat(total).as("money created or destroyed").isEqualTo(INITIAL * ACCOUNTS);
      Set<String> receipts = new HashSet<>();
      ddb.scanPaginator(b -> b.tableName("receipts").consistentRead(true)).items().forEach(i -> receipts.add(i.get("pk").s()));
      assertThat(transfers).as("account sides applied vs receipts").isEqualTo(2L * receipts.size());
      assertThat(receipts).as("acknowledged transfers").containsAll(acknowledged);
    }
  }
}
