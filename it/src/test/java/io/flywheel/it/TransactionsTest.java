package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** TransactWriteItems and TransactGetItems through the AWS SDK v2 against a real server. */
class TransactionsTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static DynamoDbClient ddb;
  static final String TABLE = "tx-items";
  static final String OTHER = "tx-other";

  @BeforeAll
  static void setUp() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
    for (String name : List.of(TABLE, OTHER)) {
      ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }
  }

  @AfterAll
  static void tearDown() {
    ddb.deleteTable(b -> b.tableName(TABLE));
    ddb.deleteTable(b -> b.tableName(OTHER));
    ddb.close();
  }

  static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.fromS(pk));
  }

  static Map<String, AttributeValue> item(String pk, String x) {
    return Map.of("pk", AttributeValue.fromS(pk), "x", AttributeValue.fromS(x));
  }

  static Map<String, AttributeValue> get(String table, String pk) {
    return ddb.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
  }

  static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).conditionExpression(condition).build()).build();
  }

  static TransactWriteItem check(String table, String pk, String condition) {
    return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(key(pk))
        .conditionExpression(condition).build()).build();
  }

  static TransactWriteItem increment(String table, String pk) {
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(pk))
        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build()).build();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void everyKindOfActionAcrossTwoTablesTakesEffectTogether() {
    String a = unique("a");
    String b = unique("b");
    String c = unique("c");
    String d = unique("d");
    ddb.putItem(r -> r.tableName(TABLE).item(item(b, "old")));
    ddb.putItem(r -> r.tableName(OTHER).item(item(c, "doomed")));
    ddb.putItem(r -> r.tableName(OTHER).item(item(d, "checked")));
    TransactWriteItemsResponse response = ddb.transactWriteItems(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
        .transactItems(
            put(TABLE, item(a, "new"), "attribute_not_exists(pk)"),
            TransactWriteItem.builder().update(Update.builder().tableName(TABLE).key(key(b))
                .updateExpression("SET #x = :v").conditionExpression("#x = :old").expressionAttributeNames(Map.of("#x", "x"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("updated"), ":old", AttributeValue.fromS("old")))
                .build()).build(),
            TransactWriteItem.builder().delete(Delete.builder().tableName(OTHER).key(key(c)).build()).build(),
            TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(OTHER).key(key(d))
                .conditionExpression("x = :checked").expressionAttributeValues(Map.of(":checked", AttributeValue.fromS("checked")))
                .build()).build()));
    assertThat(get(TABLE, a)).isEqualTo(item(a, "new"));
    assertThat(get(TABLE, b)).isEqualTo(item(b, "updated"));
    assertThat(get(OTHER, c)).isEmpty();
    assertThat(get(OTHER, d)).as("a condition check writes nothing").isEqualTo(item(d, "checked"));
    // Transactional writes cost twice the units of plain writes, per table.
    assertThat(response.consumedCapacity()).hasSize(2);
    assertThat(response.consumedCapacity().get(0).tableName()).isEqualTo(TABLE);
    assertThat(response.consumedCapacity().get(0).capacityUnits()).isEqualTo(4.0);
    assertThat(response.consumedCapacity().get(1).capacityUnits()).isEqualTo(4.0);
  }

  @Test
  void aFalseConditionCancelsEverythingWithAReasonPerActionAndTheOldItemWhenAsked() {
    String a = unique("a");
    String b = unique("b");
    String c = unique("c");
    ddb.putItem(r -> r.tableName(TABLE).item(item(b, "present")));
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(
            put(TABLE, item(a, "1"), null),
            TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(TABLE).key(key(b))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build(),
            put(TABLE, item(c, "1"), "attribute_exists(pk)"))))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
              .containsExactly("None", "ConditionalCheckFailed", "ConditionalCheckFailed");
          assertThat(e.cancellationReasons().get(0).message()).isNull();
          assertThat(e.cancellationReasons().get(1).message()).isEqualTo("The conditional request failed");
          assertThat(e.cancellationReasons().get(1).item()).isEqualTo(item(b, "present"));
          assertThat(e.cancellationReasons().get(2).hasItem()).isFalse();
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Transaction cancelled, please refer cancellation reasons for "
              + "specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]");
          assertThat(e.statusCode()).isEqualTo(400);
        });
    assertThat(get(TABLE, a)).isEmpty();
    assertThat(get(TABLE, c)).isEmpty();
  }

  @Test
  void aKeyThatDoesNotFitTheSchemaIsAValidationErrorReasonForTheFirstSuchActionOnly() {
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(
            put(TABLE, Map.of("pk", AttributeValue.fromN("7")), null),
            put(TABLE, Map.of("pk", AttributeValue.fromN("8")), null),
            put(TABLE, item(unique("ok"), "1"), "attribute_exists(pk)"))))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.cancellationReasons()).extracting(CancellationReason::code).containsExactly("ValidationError", "None", "None");
          assertThat(e.cancellationReasons().get(0).message())
              .isEqualTo("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
        });
  }

  @Test
  void requestsThatBreakTheRulesAreValidationExceptionsAndChangeNothing() {
    String a = unique("a");
    assertValidation(() -> ddb.transactWriteItems(r -> r.transactItems(put(TABLE, item(a, "1"), null),
        check(TABLE, a, "attribute_not_exists(pk)"))), "Transaction request cannot include multiple operations on one item");
    assertValidation(() -> ddb.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
            .conditionCheck(ConditionCheck.builder().tableName(TABLE).key(key(a)).build()).build())),
        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy "
            + "constraint: Member must not be null");
    assertValidation(() -> ddb.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
            .put(Put.builder().tableName(TABLE).item(item(a, "1")).build())
            .delete(Delete.builder().tableName(TABLE).key(key(a)).build()).build())),
        "TransactItems can only contain one of Check, Put, Update or Delete");
    assertValidation(() -> ddb.transactWriteItems(r -> r.transactItems(put(TABLE, item(a, "1"), "attribute_exists(#nope)"))),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope");
    assertValidation(() -> ddb.transactWriteItems(r -> r.clientRequestToken("x".repeat(37)).transactItems(put(TABLE, item(a, "1"), null))),
        "1 validation error detected: Value '" + "x".repeat(37) + "' at 'clientRequestToken' failed to satisfy constraint: "
            + "Member must have length less than or equal to 36");
    List<TransactWriteItem> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add(put(TABLE, item(a + i, "1"), null));
    }
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(tooMany)))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .startsWith("1 validation error detected: Value '").contains("at 'transactItems' failed to satisfy constraint: "
                + "Member must have length less than or equal to 100"));
    List<TransactWriteItem> tooBig = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tooBig.add(put(TABLE, Map.of("pk", AttributeValue.fromS(a + i), "x", AttributeValue.fromS("x".repeat(100_000))), null));
    }
    assertValidation(() -> ddb.transactWriteItems(r -> r.transactItems(tooBig)), "Transaction payload size cannot exceed 4 MB");
    assertValidation(() -> ddb.transactGetItems(r -> r.transactItems(getOf(TABLE, a, null), getOf(TABLE, a, null))),
        "Transaction request cannot include multiple operations on one item");
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(put("no-such-table", item(a, "1"), null))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(get(TABLE, a)).isEmpty();
  }

  @Test
  void aHundredActionsAreAllowed() {
    String prefix = unique("many");
    List<TransactWriteItem> actions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      actions.add(put(TABLE, item(prefix + i, Integer.toString(i)), null));
    }
    ddb.transactWriteItems(r -> r.transactItems(actions));
    List<TransactGetItem> gets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      gets.add(getOf(TABLE, prefix + i, null));
    }
    TransactGetItemsResponse read = ddb.transactGetItems(r -> r.transactItems(gets));
    for (int i = 0; i < 100; i++) {
      assertThat(read.responses().get(i).item()).isEqualTo(item(prefix + i, Integer.toString(i)));
    }
  }

  @Test
  void aRetryWithTheSameTokenDoesNotRunAgainAndADifferentRequestWithItIsAMismatch() {
    String counter = unique("counter");
    String token = UUID.randomUUID().toString();
    ddb.transactWriteItems(r -> r.transactItems(increment(TABLE, counter)));
    ddb.transactWriteItems(r -> r.transactItems(increment(TABLE, counter)));
    assertThat(get(TABLE, counter).get("n").n()).as("without a token, both run").isEqualTo("2");
    TransactWriteItemsResponse first = ddb.transactWriteItems(r -> r.clientRequestToken(token)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(increment(TABLE, counter)));
    TransactWriteItemsResponse again = ddb.transactWriteItems(r -> r.clientRequestToken(token)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(increment(TABLE, counter)));
    assertThat(get(TABLE, counter).get("n").n()).isEqualTo("3");
    assertThat(first.consumedCapacity().get(0).writeCapacityUnits()).isEqualTo(2.0);
    assertThat(again.consumedCapacity().get(0).readCapacityUnits()).as("a repeat reports reads").isPositive();
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.clientRequestToken(token)
            .transactItems(increment(TABLE, counter), increment(TABLE, unique("other")))))
        .isInstanceOf(IdempotentParameterMismatchException.class);
    assertThat(get(TABLE, counter).get("n").n()).isEqualTo("3");
  }

  @Test
  void aCancelledTransactionDoesNotUseUpItsToken() {
    String a = unique("a");
    String token = UUID.randomUUID().toString();
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.clientRequestToken(token)
            .transactItems(put(TABLE, item(a, "1"), "attribute_exists(pk)"))))
        .isInstanceOf(TransactionCanceledException.class);
    ddb.putItem(r -> r.tableName(TABLE).item(item(a, "0")));
    ddb.transactWriteItems(r -> r.clientRequestToken(token).transactItems(put(TABLE, item(a, "1"), "attribute_exists(pk)")));
    assertThat(get(TABLE, a)).isEqualTo(item(a, "1"));
  }

  static TransactGetItem getOf(String table, String pk, String projection) {
    return TransactGetItem.builder().get(Get.builder().tableName(table).key(key(pk)).projectionExpression(projection).build()).build();
  }

  @Test
  void transactGetItemsAnswersInRequestOrderWithProjectionsAndEmptyResponsesForMissingItems() {
    String a = unique("a");
    String b = unique("b");
    ddb.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(a), "x", AttributeValue.fromS("1"),
        "y", AttributeValue.fromS("2"))));
    ddb.putItem(r -> r.tableName(OTHER).item(item(b, "3")));
    TransactGetItemsResponse read = ddb.transactGetItems(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
        getOf(OTHER, b, null), getOf(TABLE, unique("missing"), null), getOf(TABLE, a, "y")));
    assertThat(read.responses()).hasSize(3);
    assertThat(read.responses().get(0).item()).isEqualTo(item(b, "3"));
    assertThat(read.responses().get(1).hasItem()).isFalse();
    assertThat(read.responses().get(2).item()).isEqualTo(Map.of("y", AttributeValue.fromS("2")));
    assertThat(read.consumedCapacity()).extracting(c -> c.tableName()).containsExactly(OTHER, TABLE);
    assertThat(read.consumedCapacity().get(1).readCapacityUnits()).as("transactional reads cost twice").isEqualTo(4.0);
    assertValidation(() -> ddb.transactGetItems(r -> r.transactItems(TransactGetItem.builder().get(Get.builder().tableName(TABLE)
            .key(key(a)).projectionExpression("#x").expressionAttributeNames(Map.of("#x", "x", "#unused", "y")).build()).build())),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
  }

  static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }
}
