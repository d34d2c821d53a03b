package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Query, Scan and the batch operations through the AWS SDK v2 against a real server. */
class QueryScanTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static DynamoDbClient ddb;
  static final String NUMBERS = "qs-numbers"; // pk S, sk N
  static final String WORDS = "qs-words"; // pk S, sk S
  static final List<String> SORT_NUMBERS = List.of("-100", "-2.5", "-1", "0", "0.001", "1", "1.5", "2", "10", "99.99", "1000");

  @BeforeAll
  static void setUp() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
    createTable(NUMBERS, ScalarAttributeType.N);
    createTable(WORDS, ScalarAttributeType.S);
    for (String n : SORT_NUMBERS) {
      put(NUMBERS, Map.of("pk", s("a"), "sk", n(n), "even", AttributeValue.fromBool(n.hashCode() % 2 == 0), "v", s("a" + n)));
    }
    for (int i = 0; i < 5; i++) {
      put(NUMBERS, Map.of("pk", s("b"), "sk", n(Integer.toString(i))));
    }
    for (String w : List.of("apple", "apricot", "banana", "app", "b", "ap\u0000x", "zebra")) {
      put(WORDS, Map.of("pk", s("w"), "sk", s(w)));
    }
  }

  @AfterAll
  static void tearDown() {
    ddb.deleteTable(b -> b.tableName(NUMBERS));
    ddb.deleteTable(b -> b.tableName(WORDS));
    ddb.close();
  }

  static void createTable(String name, ScalarAttributeType sortType) {
    ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("sk").attributeType(sortType).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  static void put(String table, Map<String, AttributeValue> item) {
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  static List<String> sortKeys(QueryResponse r, boolean numbers) {
    List<String> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : r.items()) {
      out.add(numbers ? item.get("sk").n() : item.get("sk").s());
    }
    return out;
  }

  static QueryResponse query(String table, String condition, Map<String, AttributeValue> values) {
    return ddb.query(b -> b.tableName(table).keyConditionExpression(condition).expressionAttributeValues(values));
  }

  @Test
  void aPartitionComesBackInNumericSortKeyOrderBothWays() {
    QueryResponse forward = query(NUMBERS, "pk = :p", Map.of(":p", s("a")));
    assertThat(sortKeys(forward, true)).containsExactlyElementsOf(SORT_NUMBERS);
    assertThat(forward.count()).isEqualTo(SORT_NUMBERS.size());
    assertThat(forward.hasLastEvaluatedKey()).isFalse();
    QueryResponse backward = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
        .expressionAttributeValues(Map.of(":p", s("a"))).scanIndexForward(false));
    List<String> reversed = new ArrayList<>(SORT_NUMBERS);
    java.util.Collections.reverse(reversed);
    assertThat(sortKeys(backward, true)).containsExactlyElementsOf(reversed);
  }

  @Test
  void sortKeyConditionsSelectTheRightRanges() {
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk = :v", Map.of(":p", s("a"), ":v", n("1.50"))), true)).containsExactly("1.5");
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk < :v", Map.of(":p", s("a"), ":v", n("0"))), true))
        .containsExactly("-100", "-2.5", "-1");
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk <= :v", Map.of(":p", s("a"), ":v", n("0"))), true))
        .containsExactly("-100", "-2.5", "-1", "0");
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk > :v", Map.of(":p", s("a"), ":v", n("10"))), true))
        .containsExactly("99.99", "1000");
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk >= :v", Map.of(":p", s("a"), ":v", n("10"))), true))
        .containsExactly("10", "99.99", "1000");
    assertThat(sortKeys(query(NUMBERS, "pk = :p AND sk BETWEEN :lo AND :hi", Map.of(":p", s("a"), ":lo", n("-1"), ":hi", n("1"))), true))
        .containsExactly("-1", "0", "0.001", "1");
    assertThat(sortKeys(query(WORDS, "pk = :p AND begins_with(sk, :w)", Map.of(":p", s("w"), ":w", s("ap"))), false))
        .containsExactly("ap\u0000x", "app", "apple", "apricot");
    assertThat(sortKeys(query(WORDS, "pk = :p AND sk BETWEEN :lo AND :hi", Map.of(":p", s("w"), ":lo", s("app"), ":hi", s("b"))), false))
        .containsExactly("app", "apple", "apricot", "b");
    assertThat(query(NUMBERS, "pk = :p", Map.of(":p", s("nobody"))).count()).isZero();
  }

  @Test
  void limitAndExclusiveStartKeyPageThroughEveryItemOnce() {
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int pages = 0;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
          .expressionAttributeValues(Map.of(":p", s("a"))).limit(3).exclusiveStartKey(from));
      assertThat(page.count()).isLessThanOrEqualTo(3);
      seen.addAll(sortKeys(page, true));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      pages++;
    } while (start != null);
    assertThat(seen).containsExactlyElementsOf(SORT_NUMBERS);
    assertThat(pages).isEqualTo(SORT_NUMBERS.size() / 3 + 1);
  }

  @Test
  void filtersCountWhatMatchesAndScannedCountWhatWasRead() {
    QueryResponse r = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
        .filterExpression("begins_with(v, :negative)").expressionAttributeValues(Map.of(":p", s("a"), ":negative", s("a-"))));
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.scannedCount()).isEqualTo(SORT_NUMBERS.size());
    assertThatThrownBy(() -> ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
            .filterExpression("sk > :zero").expressionAttributeValues(Map.of(":p", s("a"), ":zero", n("0")))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
    QueryResponse counted = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
        .expressionAttributeValues(Map.of(":p", s("a"))).select(Select.COUNT));
    assertThat(counted.count()).isEqualTo(SORT_NUMBERS.size());
    assertThat(counted.hasItems()).isFalse();
    QueryResponse projected = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p AND sk = :one")
        .projectionExpression("v").expressionAttributeValues(Map.of(":p", s("a"), ":one", n("1"))));
    assertThat(projected.items()).containsExactly(Map.of("v", s("a1")));
  }

  @Test
  void legacyKeyConditionsAndQueryFilterWork() {
    QueryResponse r = ddb.query(b -> b.tableName(NUMBERS)
        .keyConditions(Map.of("pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("a")).build(),
            "sk", Condition.builder().comparisonOperator(ComparisonOperator.GE).attributeValueList(n("2")).build()))
        .queryFilter(Map.of("v", Condition.builder().comparisonOperator(ComparisonOperator.NE).attributeValueList(s("a10")).build()))
        .attributesToGet("sk"));
    assertThat(sortKeys(r, true)).containsExactly("2", "99.99", "1000");
    assertThat(r.items().get(0)).containsOnlyKeys("sk");
  }

  @Test
  void aPageStopsAfterOneMegabyteOfData() {
    String big = "x".repeat(100 * 1024);
    for (int i = 0; i < 15; i++) {
      put(NUMBERS, Map.of("pk", s("big"), "sk", n(Integer.toString(i)), "blob", s(big)));
    }
    QueryResponse first = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
        .expressionAttributeValues(Map.of(":p", s("big"))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    // ~100 KB items: the 11th crosses 1 MB and is the last one of the page.
    assertThat(first.count()).isEqualTo(11);
    assertThat(first.lastEvaluatedKey()).isEqualTo(Map.of("pk", s("big"), "sk", n("10")));
    assertThat(first.consumedCapacity().capacityUnits()).isGreaterThan(130.0);
    QueryResponse rest = ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
        .expressionAttributeValues(Map.of(":p", s("big"))).exclusiveStartKey(first.lastEvaluatedKey()));
    assertThat(rest.count()).isEqualTo(4);
    assertThat(rest.hasLastEvaluatedKey()).isFalse();
  }

  @Test
  void badQueriesAreRejected() {
    assertValidation(() -> query(NUMBERS, "sk = :v", Map.of(":v", n("1"))),
        "Query condition missed key schema element: pk");
    assertValidation(() -> ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
            .expressionAttributeValues(Map.of(":p", s("a"))).exclusiveStartKey(Map.of("pk", s("a")))),
        "The provided starting key is invalid: The provided key element does not match the schema");
    assertValidation(() -> ddb.query(b -> b.tableName(NUMBERS).keyConditionExpression("pk = :p")
            .expressionAttributeValues(Map.of(":p", s("a"))).indexName("nope")),
        "The table does not have the specified index: nope");
    assertValidation(() -> ddb.query(b -> b.tableName(NUMBERS)),
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  }

  @Test
  void scanVisitsEveryItemOnceAcrossPartitionsAndPages() {
    Set<String> all = new HashSet<>();
    int total = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = ddb.scan(b -> b.tableName(NUMBERS).limit(4).exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        all.add(item.get("pk").s() + "/" + item.get("sk").n());
        total++;
      }
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    long expected = ddb.describeTable(b -> b.tableName(NUMBERS)).table().itemCount();
    assertThat(total).isEqualTo(expected);
    assertThat(all).hasSize(total);
  }

  @Test
  void parallelScanSegmentsPartitionTheTable() {
    Set<String> union = new HashSet<>();
    int total = 0;
    for (int segment = 0; segment < 3; segment++) {
      int seg = segment;
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        ScanResponse r = ddb.scan(b -> b.tableName(NUMBERS).segment(seg).totalSegments(3).exclusiveStartKey(from));
        for (Map<String, AttributeValue> item : r.items()) {
          union.add(item.get("pk").s() + "/" + item.get("sk").n());
          total++;
        }
        start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
      } while (start != null);
    }
    assertThat(union).hasSize(total);
    assertThat((long) total).isEqualTo(ddb.describeTable(b -> b.tableName(NUMBERS)).table().itemCount());
    assertValidation(() -> ddb.scan(b -> b.tableName(NUMBERS).segment(3).totalSegments(3)),
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3");
  }

  @Test
  void batchWritesAndReadsAcrossTables() {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String sk = Integer.toString(i);
      writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("batch"), "sk", n(sk)))).build());
    }
    var written = ddb.batchWriteItem(b -> b.requestItems(Map.of(NUMBERS, writes)).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(written.unprocessedItems()).isEmpty();
    assertThat(written.consumedCapacity()).singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(25.0));
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      keys.add(Map.of("pk", s("batch"), "sk", n(Integer.toString(i))));
    }
    keys.add(Map.of("pk", s("batch"), "sk", n("999"))); // missing: simply absent
    var read = ddb.batchGetItem(b -> b.requestItems(Map.of(
        NUMBERS, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).build(),
        WORDS, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
            .keys(Map.of("pk", s("w"), "sk", s("zebra"))).projectionExpression("sk").build())));
    assertThat(read.responses().get(NUMBERS)).hasSize(25);
    assertThat(read.responses().get(WORDS)).containsExactly(Map.of("sk", s("zebra")));
    assertThat(read.unprocessedKeys()).isEmpty();
    List<WriteRequest> deletes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String sk = Integer.toString(i);
      deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", s("batch"), "sk", n(sk)))).build());
    }
    ddb.batchWriteItem(b -> b.requestItems(Map.of(NUMBERS, deletes)));
    assertThat(query(NUMBERS, "pk = :p", Map.of(":p", s("batch"))).count()).isZero();
  }

  @Test
  void invalidBatchesAreRejectedAndWriteNothing() {
    List<WriteRequest> duplicate = List.of(
        WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("dup"), "sk", n("1")))).build(),
        WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", s("dup"), "sk", n("1")))).build());
    assertValidation(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(NUMBERS, duplicate))),
        "Provided list of item keys contains duplicates");
    List<WriteRequest> tooMany = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      String sk = Integer.toString(i);
      tooMany.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("many"), "sk", n(sk)))).build());
    }
    assertThatThrownBy(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(NUMBERS, tooMany))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Map value must satisfy constraint: [Member must have length less than or equal to 25");
    Map<String, AttributeValue> key = Map.of("pk", s("dup"), "sk", n("1"));
    assertValidation(() -> ddb.batchGetItem(b -> b.requestItems(Map.of(NUMBERS,
            software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(key, new HashMap<>(key)).build()))),
        "Provided list of item keys contains duplicates");
    assertThat(query(NUMBERS, "pk = :p", Map.of(":p", s("dup"))).count()).isZero();
    assertThat(query(NUMBERS, "pk = :p", Map.of(":p", s("many"))).count()).isZero();
  }

  static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(DynamoDbException.class)
        .satisfies(e -> {
          DynamoDbException d = (DynamoDbException) e;
          assertThat(d.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
  }
}
