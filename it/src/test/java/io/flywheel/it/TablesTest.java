package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Table lifecycle through the AWS SDK v2 sync client against a real server. */
class TablesTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static DynamoDbClient ddb;

  @BeforeAll
  static void client() {
    ddb = SharedServer.syncClient(SERVER.endpoint());
  }

  @AfterAll
  static void close() {
    ddb.close();
  }

  static CreateTableRequest.Builder hashTable(String name) {
    return CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
        .billingMode(BillingMode.PAY_PER_REQUEST);
  }

  @Test
  void aCreatedTableIsDescribedListedUsableAndDeleted() {
    CreateTableResponse created = ddb.createTable(CreateTableRequest.builder()
        .tableName("tables-lifecycle")
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
        .keySchema(
            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
        .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(7L).build())
        .build());
    TableDescription t = created.tableDescription();
    assertThat(t.tableName()).isEqualTo("tables-lifecycle");
    assertThat(t.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(t.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("pk", "sk");
    assertThat(t.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
    assertThat(t.provisionedThroughput().writeCapacityUnits()).isEqualTo(7L);
    assertThat(t.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/tables-lifecycle");
    assertThat(t.tableId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(t.creationDateTime()).isNotNull();

    ddb.putItem(b -> b.tableName("tables-lifecycle").item(Map.of(
        "pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1"), "v", AttributeValue.fromS("xyz"))));
    DescribeTableResponse described = ddb.describeTable(b -> b.tableName("tables-lifecycle"));
    assertThat(described.table().itemCount()).isEqualTo(1L);
    assertThat(described.table().tableSizeBytes()).isEqualTo(2 + 1 + 2 + 2 + 1 + 3);
    assertThat(ddb.listTables().tableNames()).contains("tables-lifecycle");

    TableDescription deleted = ddb.deleteTable(b -> b.tableName("tables-lifecycle")).tableDescription();
    assertThat(deleted.tableStatus()).isEqualTo(TableStatus.DELETING);
    assertThat(ddb.listTables().tableNames()).doesNotContain("tables-lifecycle");
    assertThatThrownBy(() -> ddb.describeTable(b -> b.tableName("tables-lifecycle")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found: Table: tables-lifecycle not found");
    assertThatThrownBy(() -> ddb.getItem(b -> b.tableName("tables-lifecycle")
            .key(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1")))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void aRecreatedTableStartsEmpty() {
    ddb.createTable(hashTable("tables-recreated").build());
    ddb.putItem(b -> b.tableName("tables-recreated").item(Map.of("pk", AttributeValue.fromS("old"))));
    ddb.deleteTable(b -> b.tableName("tables-recreated"));
    ddb.createTable(hashTable("tables-recreated").build());
    assertThat(ddb.getItem(b -> b.tableName("tables-recreated").key(Map.of("pk", AttributeValue.fromS("old")))).hasItem())
        .isFalse();
    assertThat(ddb.describeTable(b -> b.tableName("tables-recreated")).table().itemCount()).isZero();
    ddb.deleteTable(b -> b.tableName("tables-recreated"));
  }

  @Test
  void creatingAnExistingTableIsResourceInUse() {
    ddb.createTable(hashTable("tables-dup").build());
    assertThatThrownBy(() -> ddb.createTable(hashTable("tables-dup").build()))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("Table already exists: tables-dup");
    ddb.deleteTable(b -> b.tableName("tables-dup"));
  }

  @Test
  void listTablesPagesInNameOrder() {
    List<String> names = List.of("page-c", "page-a", "page-e", "page-b", "page-d");
    for (String n : names) {
      ddb.createTable(hashTable(n).build());
    }
    List<String> seen = new ArrayList<>();
    String start = "page-";
    while (true) {
      String from = start;
      ListTablesResponse page = ddb.listTables(b -> b.limit(2).exclusiveStartTableName(from));
      assertThat(page.tableNames().size()).isLessThanOrEqualTo(2);
      for (String n : page.tableNames()) {
        if (n.startsWith("page-")) {
          seen.add(n);
        }
      }
      if (page.lastEvaluatedTableName() == null) {
        break;
      }
      start = page.lastEvaluatedTableName();
    }
    assertThat(seen).containsExactly("page-a", "page-b", "page-c", "page-d", "page-e");
    for (String n : names) {
      ddb.deleteTable(b -> b.tableName(n));
    }
  }

  @Test
  void updateTableSwitchesBillingModeAndThroughput() {
    ddb.createTable(hashTable("tables-billing").billingMode(BillingMode.PROVISIONED)
        .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(1L).writeCapacityUnits(1L).build()).build());
    TableDescription raised = ddb.updateTable(b -> b.tableName("tables-billing")
        .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(20L))).tableDescription();
    assertThat(raised.provisionedThroughput().readCapacityUnits()).isEqualTo(10L);
    assertThat(raised.provisionedThroughput().lastIncreaseDateTime()).isNotNull();
    assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName("tables-billing")
            .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(20L))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("The provisioned throughput for the table will not change");
    TableDescription onDemand = ddb.updateTable(b -> b.tableName("tables-billing").billingMode(BillingMode.PAY_PER_REQUEST))
        .tableDescription();
    assertThat(onDemand.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(onDemand.provisionedThroughput().readCapacityUnits()).isZero();
    assertThat(ddb.describeTable(b -> b.tableName("tables-billing")).table().billingModeSummary().billingMode())
        .isEqualTo(BillingMode.PAY_PER_REQUEST);
    ddb.deleteTable(b -> b.tableName("tables-billing"));
  }

  @Test
  void invalidTableDefinitionsAreRejectedWithDynamoDbsMessages() {
    assertValidation(hashTable("ab").build(), "TableName must be at least 3 characters long and at most 255 characters long");
    assertValidation(hashTable("bad name!").build(),
        "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    assertValidation(hashTable("tables-bad").billingMode(BillingMode.PROVISIONED).build(),
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    assertValidation(hashTable("tables-bad")
            .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(1L).writeCapacityUnits(1L).build()).build(),
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    assertValidation(hashTable("tables-bad")
            .keySchema(KeySchemaElement.builder().attributeName("other").keyType(KeyType.HASH).build()).build(),
        "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]");
    assertValidation(hashTable("tables-bad")
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build()).build(),
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    assertValidation(hashTable("tables-bad").attributeDefinitions(
            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("extra").attributeType(ScalarAttributeType.S).build()).build(),
        "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    assertThat(ddb.listTables().tableNames()).doesNotContain("tables-bad");
  }

  private static void assertValidation(CreateTableRequest request, String message) {
    assertThatThrownBy(() -> ddb.createTable(request))
        .isInstanceOf(DynamoDbException.class)
        .satisfies(e -> {
          DynamoDbException d = (DynamoDbException) e;
          assertThat(d.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
          assertThat(d.statusCode()).isEqualTo(400);
        });
  }

  @Test
  void missingTablesAreResourceNotFoundForEveryOperation() {
    assertThatThrownBy(() -> ddb.deleteTable(b -> b.tableName("tables-none"))).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName("tables-none").billingMode(BillingMode.PAY_PER_REQUEST)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> ddb.putItem(b -> b.tableName("tables-none").item(Map.of("pk", AttributeValue.fromS("a")))))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found");
  }
}
