package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Item operations through the AWS SDK v2 sync client against a real server. */
class ItemsTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static DynamoDbClient ddb;
  static final String TABLE = "items";
  static final String COMPOSITE = "items-composite";

  @BeforeAll
  static void setUp() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
    ddb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    ddb.createTable(b -> b.tableName(COMPOSITE).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.B).build(),
            AttributeDefinition.builder().attributeName("n").attributeType(ScalarAttributeType.N).build())
        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("n").keyType(KeyType.RANGE).build()));
  }

  @AfterAll
  static void tearDown() {
    ddb.deleteTable(b -> b.tableName(TABLE));
    ddb.deleteTable(b -> b.tableName(COMPOSITE));
    ddb.close();
  }

  static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.fromS(pk));
  }

  static Map<String, AttributeValue> get(String pk, boolean consistent) {
    return ddb.getItem(b -> b.tableName(TABLE).key(key(pk)).consistentRead(consistent)).item();
  }

  @Test
  void everyAttributeTypeRoundTrips() {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("all-types"));
    item.put("s", AttributeValue.fromS("héllo ☃"));
    item.put("n", AttributeValue.fromN("-12.50"));
    item.put("big", AttributeValue.fromN("12345678901234567890123456789012345678"));
    item.put("tiny", AttributeValue.fromN("1E-130"));
    item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 255})));
    item.put("bool", AttributeValue.fromBool(true));
    item.put("null", AttributeValue.fromNul(true));
    item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromN("2"))));
    item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromBool(false))))));
    item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
    item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
    item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2}))));
    ddb.putItem(b -> b.tableName(TABLE).item(item));

    Map<String, AttributeValue> expected = new HashMap<>(item);
    expected.put("n", AttributeValue.fromN("-12.5")); // canonical form: trailing zeros dropped
    expected.put("tiny", AttributeValue.fromN("0." + "0".repeat(129) + "1"));
    Map<String, AttributeValue> read = get("all-types", true);
    assertThat(read).containsOnlyKeys(expected.keySet());
    expected.forEach((k, v) -> {
      if (k.equals("ss") || k.equals("ns") || k.equals("bs")) {
        assertThat(read.get(k).ss()).containsExactlyInAnyOrderElementsOf(v.ss());
        assertThat(read.get(k).ns()).containsExactlyInAnyOrderElementsOf(v.ns());
        assertThat(read.get(k).bs()).containsExactlyInAnyOrderElementsOf(v.bs());
      } else {
        assertThat(read.get(k)).as(k).isEqualTo(v);
      }
    });
    assertThat(get("all-types", false)).isEqualTo(read);
  }

  @Test
  void putReplacesTheWholeItemAndReturnsTheOldOne() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("replace"), "a", AttributeValue.fromS("1"))));
    PutItemResponse second = ddb.putItem(b -> b.tableName(TABLE).returnValues(ReturnValue.ALL_OLD)
        .item(Map.of("pk", AttributeValue.fromS("replace"), "b", AttributeValue.fromS("2"))));
    assertThat(second.attributes()).isEqualTo(Map.of("pk", AttributeValue.fromS("replace"), "a", AttributeValue.fromS("1")));
    assertThat(get("replace", true)).isEqualTo(Map.of("pk", AttributeValue.fromS("replace"), "b", AttributeValue.fromS("2")));
    PutItemResponse fresh = ddb.putItem(b -> b.tableName(TABLE).returnValues(ReturnValue.ALL_OLD)
        .item(Map.of("pk", AttributeValue.fromS("fresh"))));
    assertThat(fresh.hasAttributes()).isFalse();
  }

  @Test
  void getOfAMissingItemHasNoItem() {
    GetItemResponse r = ddb.getItem(b -> b.tableName(TABLE).key(key("never-written")));
    assertThat(r.hasItem()).isFalse();
  }

  @Test
  void deleteRemovesTheItemAndReturnsIt() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("doomed"), "v", AttributeValue.fromN("7"))));
    var deleted = ddb.deleteItem(b -> b.tableName(TABLE).key(key("doomed")).returnValues(ReturnValue.ALL_OLD));
    assertThat(deleted.attributes()).containsEntry("v", AttributeValue.fromN("7"));
    assertThat(get("doomed", true)).isEmpty();
    var again = ddb.deleteItem(b -> b.tableName(TABLE).key(key("doomed")).returnValues(ReturnValue.ALL_OLD));
    assertThat(again.hasAttributes()).isFalse();
  }

  @Test
  void updateSetsAndRemovesAttributesAndCreatesMissingItems() {
    UpdateItemResponse created = ddb.updateItem(b -> b.tableName(TABLE).key(key("updated"))
        .updateExpression("SET #c = :one, tags = :tags")
        .expressionAttributeNames(Map.of("#c", "count"))
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":tags", AttributeValue.fromL(List.of())))
        .returnValues(ReturnValue.ALL_NEW));
    assertThat(created.attributes()).isEqualTo(Map.of("pk", AttributeValue.fromS("updated"), "count", AttributeValue.fromN("1"),
        "tags", AttributeValue.fromL(List.of())));
    UpdateItemResponse incremented = ddb.updateItem(b -> b.tableName(TABLE).key(key("updated"))
        .updateExpression("SET #c = #c + :one REMOVE tags")
        .expressionAttributeNames(Map.of("#c", "count"))
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
        .returnValues(ReturnValue.ALL_OLD));
    assertThat(incremented.attributes()).containsEntry("count", AttributeValue.fromN("1"));
    assertThat(get("updated", true)).isEqualTo(Map.of("pk", AttributeValue.fromS("updated"), "count", AttributeValue.fromN("2")));
  }

  @Test
  void updatedReturnValuesShowOnlyWhatTheUpdateTouched() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("touched"),
        "a", AttributeValue.fromN("1"), "b", AttributeValue.fromS("same"), "c", AttributeValue.fromS("kept"))));
    UpdateItemResponse oldValues = ddb.updateItem(b -> b.tableName(TABLE).key(key("touched"))
        .updateExpression("SET a = a + :one, b = :same, d = :new")
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":same", AttributeValue.fromS("same"),
            ":new", AttributeValue.fromS("d")))
        .returnValues(ReturnValue.UPDATED_OLD));
    assertThat(oldValues.attributes()).isEqualTo(Map.of("a", AttributeValue.fromN("1"), "b", AttributeValue.fromS("same")));
    UpdateItemResponse newValues = ddb.updateItem(b -> b.tableName(TABLE).key(key("touched"))
        .updateExpression("SET a = a + :one REMOVE c")
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
        .returnValues(ReturnValue.UPDATED_NEW));
    assertThat(newValues.attributes()).isEqualTo(Map.of("a", AttributeValue.fromN("3")));
  }

  @Test
  void projectionExpressionSelectsAttributes() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("projected"),
        "a", AttributeValue.fromS("1"), "b", AttributeValue.fromS("2"),
        "m", AttributeValue.fromM(Map.of("x", AttributeValue.fromS("in"), "y", AttributeValue.fromS("out"))))));
    Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(TABLE).key(key("projected"))
        .projectionExpression("a, #m.x").expressionAttributeNames(Map.of("#m", "m"))).item();
    assertThat(item).isEqualTo(Map.of("a", AttributeValue.fromS("1"), "m", AttributeValue.fromM(Map.of("x", AttributeValue.fromS("in")))));
  }

  @Test
  void conditionsGuardWritesAndFailedOnesChangeNothing() {
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("guarded"), "v", AttributeValue.fromN("1"))));
    assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("guarded"), "v", AttributeValue.fromN("2")))
            .conditionExpression("attribute_not_exists(pk)")
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
        .isInstanceOf(ConditionalCheckFailedException.class)
        .satisfies(e -> assertThat(((ConditionalCheckFailedException) e).item()).containsEntry("v", AttributeValue.fromN("1")));
    assertThat(get("guarded", true)).containsEntry("v", AttributeValue.fromN("1"));
    ddb.updateItem(b -> b.tableName(TABLE).key(key("guarded")).updateExpression("SET v = :two")
        .conditionExpression("v = :one")
        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":two", AttributeValue.fromN("2"))));
    assertThat(get("guarded", true)).containsEntry("v", AttributeValue.fromN("2"));
  }

  @Test
  void compositeKeysOfEveryTypeAddressDistinctItems() {
    for (String n : List.of("1", "1.5", "-3", "100")) {
      ddb.putItem(b -> b.tableName(COMPOSITE).item(Map.of(
          "id", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 7})), "n", AttributeValue.fromN(n),
          "v", AttributeValue.fromS("v" + n))));
    }
    Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(COMPOSITE).key(Map.of(
        "id", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 7})), "n", AttributeValue.fromN("1.50")))).item();
    assertThat(item.get("v")).isEqualTo(AttributeValue.fromS("v1.5"));
    assertThat(ddb.describeTable(b -> b.tableName(COMPOSITE)).table().itemCount()).isEqualTo(4L);
  }

  @Test
  void consumedCapacityFollowsDynamoDbsUnits() {
    String big = "x".repeat(1500);
    PutItemResponse put = ddb.putItem(b -> b.tableName(TABLE).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
        .item(Map.of("pk", AttributeValue.fromS("capacity"), "v", AttributeValue.fromS(big))));
    assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(2.0);
    assertThat(put.consumedCapacity().tableName()).isEqualTo(TABLE);
    GetItemResponse eventual = ddb.getItem(b -> b.tableName(TABLE).key(key("capacity"))
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(eventual.consumedCapacity().capacityUnits()).isEqualTo(0.5);
    GetItemResponse strong = ddb.getItem(b -> b.tableName(TABLE).key(key("capacity")).consistentRead(true)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(strong.consumedCapacity().capacityUnits()).isEqualTo(1.0);
  }

  @Test
  void badKeysAreRejectedWithDynamoDbsMessages() {
    assertValidation(() -> ddb.getItem(b -> b.tableName(TABLE).key(Map.of("other", AttributeValue.fromS("x")))),
        "The provided key element does not match the schema");
    assertValidation(() -> ddb.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromN("1")))),
        "The provided key element does not match the schema");
    assertValidation(() -> ddb.getItem(b -> b.tableName(TABLE)
            .key(Map.of("pk", AttributeValue.fromS("a"), "extra", AttributeValue.fromS("b")))),
        "The provided key element does not match the schema");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("v", AttributeValue.fromS("x")))),
        "One or more parameter values were invalid: Missing the key pk in the item");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromN("1")))),
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("")))),
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("x".repeat(2049))))),
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
    assertValidation(() -> ddb.updateItem(b -> b.tableName(TABLE).key(key("k")).updateExpression("SET pk = :v")
            .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("other")))),
        "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
  }

  @Test
  void badValuesAreRejectedAndChangeNothing() {
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("bad"), "n", AttributeValue.fromN("1e126")))),
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("bad"), "n", AttributeValue.fromN("123456789012345678901234567890123456789")))),
        "Attempting to store more than 38 significant digits in a Number");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("bad"), "n", AttributeValue.fromN("abc")))),
        "The parameter cannot be converted to a numeric value: abc");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("bad"), "s", AttributeValue.fromSs(List.of("a", "a"))))),
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
    assertValidation(() -> ddb.putItem(b -> b.tableName(TABLE)
            .item(Map.of("pk", AttributeValue.fromS("bad"), "big", AttributeValue.fromS("x".repeat(400 * 1024))))),
        "Item size has exceeded the maximum allowed size");
    assertThat(get("bad", true)).isEmpty();
  }

  @Test
  void anItemOfExactlyTheLimitIsAccepted() {
    // name "pk"(2) + "limit"(5) + "v"(1) + value: total exactly 400 KB
    String value = "x".repeat(400 * 1024 - 2 - 5 - 1);
    ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("limit"), "v", AttributeValue.fromS(value))));
    assertThat(get("limit", true).get("v").s()).hasSize(value.length());
  }

  private static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(DynamoDbException.class)
        .satisfies(e -> {
          DynamoDbException d = (DynamoDbException) e;
          assertThat(d.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
  }
}
