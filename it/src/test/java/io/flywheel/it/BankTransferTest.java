package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The bank invariant under concurrency: clients move money between accounts spread over the
 * table's partitions with TransactWriteItems (conditional on a sufficient balance) while others
 * read every account in one TransactGetItems. Every snapshot a reader gets, and the final state,
 * must hold the initial total with no negative balance; enough transfers and snapshots must
 * succeed for that to mean something.
 */
class BankTransferTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static final String TABLE = "bank";
  static final int ACCOUNTS = 40;
  static final long INITIAL = 1_000;
  static final int WRITERS = 4;
  static final int READERS = 2;
  /** The clients run at least this long, and on (up to the maximum) until enough happened. */
  static final long RUN_MILLIS_MIN = 4_000;
  static final long RUN_MILLIS_MAX = 20_000;
  static final int TRANSFERS_MIN = 100;
  static final int SNAPSHOTS_MIN = 5;
  static DynamoDbClient ddb;

  @BeforeAll
  static void setUp() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
    ddb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    for (int i = 0; i < ACCOUNTS; i++) {
      String pk = account(i);
      ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(pk), "balance", AttributeValue.fromN(Long.toString(INITIAL)))));
    }
  }

  @AfterAll
  static void tearDown() {
    ddb.deleteTable(b -> b.tableName(TABLE));
    ddb.close();
  }

  static String account(int i) {
    return "acct-" + i;
  }

  static TransactWriteItem add(String table, String pk, long delta) {
    Update.Builder u = Update.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))
        .updateExpression("SET balance = balance + :d");
    if (delta < 0) {
      u.conditionExpression("balance >= :need").expressionAttributeValues(Map.of(
          ":d", AttributeValue.fromN(Long.toString(delta)), ":need", AttributeValue.fromN(Long.toString(-delta))));
    } else {
      u.conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Long.toString(delta))));
    }
    return TransactWriteItem.builder().update(u.build()).build();
  }

  static List<TransactGetItem> allAccounts(String table, int accounts) {
    List<TransactGetItem> gets = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      gets.add(TransactGetItem.builder().get(Get.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS(account(i))))
          .build()).build());
    }
    return gets;
  }

  /** The balances of one successful TransactGetItems of every account. */
  static List<Long> snapshot(DynamoDbClient client, String table, int accounts) {
    List<Long> balances = new ArrayList<>();
    client.transactGetItems(b -> b.transactItems(allAccounts(table, accounts)))
        .responses().forEach(r -> balances.add(Long.parseLong(r.item().get("balance").n())));
    return balances;
  }

  @Test
  void concurrentTransfersNeverCreateOrDestroyMoneyInAnySnapshot() throws InterruptedException {
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger insufficient = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    AtomicInteger snapshots = new AtomicInteger();
    AtomicInteger readConflicts = new AtomicInteger();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Random random = new Random(w);
      threads.add(new Thread(() -> {
        while (!stop.get()) {
          int from = random.nextInt(ACCOUNTS);
          int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
          long amount = 1 + random.nextInt(300);
          try {
            ddb.transactWriteItems(b -> b.transactItems(add(TABLE, account(from), -amount), add(TABLE, account(to), amount)));
            committed.incrementAndGet();
          } catch (TransactionCanceledException e) {
            boolean conflict = e.cancellationReasons().stream().map(CancellationReason::code).anyMatch("TransactionConflict"::equals);
            (conflict ? conflicts : insufficient).incrementAndGet();
          } catch (RuntimeException e) {
            unexpected.add(e);
          }
          pause(random, 10);
        }
      }, "writer-" + w));
    }
    for (int r = 0; r < READERS; r++) {
      threads.add(new Thread(() -> {
        while (!stop.get()) {
          try {
            List<Long> balances = snapshot(ddb, TABLE, ACCOUNTS);
            long total = balances.stream().mapToLong(Long::longValue).sum();
            if (total != INITIAL * ACCOUNTS || balances.stream().anyMatch(b -> b < 0)) {
              violations.add("snapshot " + balances + " totals " + total);
            }
            snapshots.incrementAndGet();
          } catch (TransactionCanceledException e) {
            readConflicts.incrementAndGet();
          } catch (RuntimeException e) {
            unexpected.add(e);
          }
        }
      }, "reader-" + r));
    }
    threads.forEach(Thread::start);
    long started = System.nanoTime();
    while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS_MIN)
        || (committed.get() < TRANSFERS_MIN || snapshots.get() < SNAPSHOTS_MIN)
            && System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS_MAX)) {
      Thread.sleep(100);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(unexpected).as("unexpected errors").isEmpty();
    assertThat(violations).as("snapshots that break the invariant").isEmpty();
    assertThat(committed.get()).as("committed transfers (insufficient %d, conflicts %d)", insufficient.get(), conflicts.get())
        .isGreaterThanOrEqualTo(TRANSFERS_MIN);
    assertThat(snapshots.get()).as("consistent snapshots (read conflicts %d)", readConflicts.get()).isGreaterThanOrEqualTo(SNAPSHOTS_MIN);
    List<Long> last = snapshot(ddb, TABLE, ACCOUNTS);
    assertThat(last.stream().mapToLong(Long::longValue).sum()).isEqualTo(INITIAL * ACCOUNTS);
    assertThat(last).allMatch(b -> b >= 0);
    long scanned = ddb.scanPaginator(b -> b.tableName(TABLE).consistentRead(true)).items().stream()
        .mapToLong(i -> Long.parseLong(i.get("balance").n())).sum();
    assertThat(scanned).isEqualTo(INITIAL * ACCOUNTS);
  }

  static void pause(Random random, int maxMillis) {
    try {
      Thread.sleep(random.nextInt(maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
