package io.flywheel.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * CreateTable, DescribeTable, UpdateTable, DeleteTable and ListTables, mostly their validation:
 * each row of {@link #CREATE_ROWS} is one CreateTable request built from a valid base request.
 */
class TableScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  static AttributeDefinition def(String name, String type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  static KeySchemaElement hash(String name) {
    return TableSpec.key(name, KeyType.HASH);
  }

  static KeySchemaElement range(String name) {
    return TableSpec.key(name, KeyType.RANGE);
  }

  static ProvisionedThroughput throughput(long read, long write) {
    return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
  }

  static LocalSecondaryIndex lsi(String name, String rangeAttribute, ProjectionType projection, String... nonKey) {
    return LocalSecondaryIndex.builder().indexName(name).keySchema(hash("pk"), range(rangeAttribute))
        .projection(TableSpec.projection(projection, nonKey)).build();
  }

  static GlobalSecondaryIndex gsi(String name, String hashAttribute, ProjectionType projection, String... nonKey) {
    return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(hashAttribute))
        .projection(TableSpec.projection(projection, nonKey)).build();
  }

  /**
   * One CreateTable request; {@code deviation} (null if none) explains why DynamoDB Local answers
   * it differently, {@code flywheel} what Flywheel must do then (null: a message deviation).
   */
  record CreateRow(String label, Consumer<CreateTableRequest.Builder> change, Deviation deviation, Expectation flywheel) {
    CreateRow deviates(Deviation why) {
      return new CreateRow(label, change, why, null);
    }

    CreateRow deviates(Deviation why, Expectation flywheelOutcome) {
      return new CreateRow(label, change, why, flywheelOutcome);
    }
  }

  static CreateRow row(String label, Consumer<CreateTableRequest.Builder> change) {
    return new CreateRow(label, change, null, null);
  }

  /** What Flywheel answers to a CreateTable the service refuses. */
  static Expectation refused(String message) {
    return Expectation.failure("ValidationException", message);
  }

  static final Expectation INDEX_THROUGHPUT_ZERO = new Expectation("describes the on-demand index's throughput as zeros",
      o -> o instanceof Outcome.Returned r && r.view().contains("ProvisionedThroughput: [0, 0]}]"));

  /** Changes to a valid request: table pk (S) + sk (N), attribute x (S), on demand. */
  static final List<CreateRow> CREATE_ROWS = List.of(
      row("a valid table with a sort key", b -> { }),
      row("a valid table with only a partition key", b -> b.keySchema(hash("pk")).attributeDefinitions(def("pk", "S"))),
      row("a binary partition key", b -> b.keySchema(hash("pk")).attributeDefinitions(def("pk", "B"))),
      row("a definition not used by any key", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a key without a definition", b -> b.attributeDefinitions(def("pk", "S"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a definition of an unknown type", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "X"))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("a definition of type BOOL", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "BOOL"))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("the same attribute defined twice", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("sk", "S"))),
      row("two partition keys", b -> b.keySchema(hash("pk"), hash("sk"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("two sort keys", b -> b.keySchema(range("pk"), range("sk"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("the sort key first", b -> b.keySchema(range("sk"), hash("pk"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("three key elements", b -> b.keySchema(hash("pk"), range("sk"), range("x")).attributeDefinitions(def("pk", "S"),
          def("sk", "N"), def("x", "S"))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("no key schema", b -> b.keySchema(List.of())).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("the same attribute as partition and sort key", b -> b.keySchema(hash("pk"), range("pk")).attributeDefinitions(def("pk", "S"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a key attribute name of 256 bytes", b -> b.keySchema(hash("k".repeat(256))).attributeDefinitions(def("k".repeat(256), "S"))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("a name of 2 characters", b -> b.tableName("ab")).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a name of 256 characters", b -> b.tableName("t".repeat(256))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a name with a space", b -> b.tableName("a table")).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("a name with a slash", b -> b.tableName("a/table")).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("provisioned without throughput", b -> b.billingMode(BillingMode.PROVISIONED)).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("provisioned with throughput", b -> b.billingMode(BillingMode.PROVISIONED).provisionedThroughput(throughput(5, 7))),
      row("throughput without a billing mode", b -> b.billingMode((String) null).provisionedThroughput(throughput(1, 1))),
      row("no billing mode and no throughput", b -> b.billingMode((String) null)).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("on demand with throughput", b -> b.provisionedThroughput(throughput(1, 1))).deviates(Deviation.PAY_PER_REQUEST_WITH_THROUGHPUT, refused("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")),
      row("provisioned with zero throughput", b -> b.billingMode(BillingMode.PROVISIONED).provisionedThroughput(throughput(0, 1))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("an unknown billing mode", b -> b.billingMode("FREE")).deviates(Deviation.INTERNAL_FAILURE_ON_INVALID_INPUT, refused("1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")),
      row("a local index", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.KEYS_ONLY))),
      row("a local index with INCLUDE", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.INCLUDE, "a", "b"))),
      row("a local index on a table without a sort key", b -> b.keySchema(hash("pk")).attributeDefinitions(def("pk", "S"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.ALL))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a local index with another partition key", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("by-x").keySchema(hash("x"), range("sk"))
              .projection(TableSpec.projection(ProjectionType.ALL)).build())).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a local index without a sort key", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"))
          .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("by-x").keySchema(hash("pk"))
              .projection(TableSpec.projection(ProjectionType.ALL)).build())).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("two local indexes with one name", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.ALL), lsi("by-x", "x", ProjectionType.KEYS_ONLY))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("six local indexes", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("i1x", "x", ProjectionType.ALL), lsi("i2x", "x", ProjectionType.ALL), lsi("i3x", "x", ProjectionType.ALL),
              lsi("i4x", "x", ProjectionType.ALL), lsi("i5x", "x", ProjectionType.ALL), lsi("i6x", "x", ProjectionType.ALL))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("INCLUDE without attributes", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.INCLUDE))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("ALL with attributes", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.ALL, "a"))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("INCLUDE of a key attribute", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("by-x", "x", ProjectionType.INCLUDE, "sk"))),
      row("an index name of 2 characters", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .localSecondaryIndexes(lsi("ix", "x", ProjectionType.ALL))).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("a global index", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL))).deviates(Deviation.GSI_THROUGHPUT_ON_DEMAND, INDEX_THROUGHPUT_ZERO),
      row("a global index on the table's keys", b -> b.globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("swap")
          .keySchema(hash("sk"), range("pk")).projection(TableSpec.projection(ProjectionType.KEYS_ONLY)).build())).deviates(Deviation.GSI_THROUGHPUT_ON_DEMAND, INDEX_THROUGHPUT_ZERO),
      row("a global index with throughput on an on-demand table", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL).toBuilder().provisionedThroughput(throughput(1, 1)).build())).deviates(Deviation.PAY_PER_REQUEST_WITH_THROUGHPUT, refused("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: by-x when BillingMode is PAY_PER_REQUEST")),
      row("a global index without throughput on a provisioned table", b -> b.billingMode(BillingMode.PROVISIONED)
          .provisionedThroughput(throughput(1, 1)).attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a global index on an undefined attribute", b -> b.globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a global and a local index with one name", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL)).localSecondaryIndexes(lsi("by-x", "x", ProjectionType.ALL))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("two global indexes with one name", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(gsi("by-x", "x", ProjectionType.ALL), gsi("by-x", "x", ProjectionType.KEYS_ONLY))).deviates(Deviation.TABLE_VALIDATION_MESSAGE),
      row("a global index without a projection", b -> b.attributeDefinitions(def("pk", "S"), def("sk", "N"), def("x", "S"))
          .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("by-x").keySchema(hash("x")).build())).deviates(Deviation.CONSTRAINT_MESSAGE),
      row("an empty list of local indexes", b -> b.localSecondaryIndexes(List.of())).deviates(Deviation.EMPTY_INDEX_LIST_ACCEPTED, refused("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty")),
      row("an empty list of global indexes", b -> b.globalSecondaryIndexes(List.of())).deviates(Deviation.TABLE_VALIDATION_MESSAGE));

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (CreateRow row : CREATE_ROWS) {
      Scenario scenario = Scenario.of("create table: " + row.label(), s -> {
        String t = s.table("t");
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(t).billingMode(BillingMode.PAY_PER_REQUEST)
            .keySchema(hash("pk"), range("sk")).attributeDefinitions(def("pk", "S"), def("sk", "N"));
        row.change().accept(b);
        CreateTableRequest request = b.build();
        s.call("create", () -> s.ddb().createTable(request), r -> Views.tableShape(r.tableDescription(), false));
        // Whether the table exists afterwards, asked so that it means the same on both servers.
        boolean exists = s.setup("list", () -> s.ddb().listTables().tableNames().contains(t));
        s.observe("exists afterwards", exists);
        if (exists && row.deviation() != Deviation.PAY_PER_REQUEST_WITH_THROUGHPUT
            && row.deviation() != Deviation.EMPTY_INDEX_LIST_ACCEPTED) {
          s.awaitActive("t");
          s.call("describe", () -> s.ddb().describeTable(d -> d.tableName(t)), r -> Views.tableShape(r.table(), true));
        }
      });
      if (row.deviation() == null) {
        all.add(scenario);
      } else if (row.flywheel() == null) {
        all.add(scenario.deviates(row.deviation(), "create"));
      } else if (row.deviation() == Deviation.GSI_THROUGHPUT_ON_DEMAND) {
        all.add(scenario.deviates(row.deviation(), row.flywheel(), "create", "describe"));
      } else if (row.deviation() == Deviation.INTERNAL_FAILURE_ON_INVALID_INPUT) {
        all.add(scenario.deviates(row.deviation(), row.flywheel(), "create"));
      } else {
        // DynamoDB Local creates a table the service refuses.
        all.add(scenario.deviates(row.deviation(), row.flywheel(), "create")
            .deviates(row.deviation(), Expectation.returned("false"), "exists afterwards"));
      }
    }
    all.add(Scenario.of("table lifecycle errors", s -> {
      String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
      s.call("create it again", () -> s.ddb().createTable(TableSpec.hash("pk", ScalarAttributeType.S).request(t)));
      s.call("describe a missing table", () -> s.ddb().describeTable(b -> b.tableName(s.table("missing"))));
      s.call("delete a missing table", () -> s.ddb().deleteTable(b -> b.tableName(s.table("missing"))));
      s.call("delete", () -> s.ddb().deleteTable(b -> b.tableName(t)), r -> Views.tableShape(r.tableDescription(), false));
      s.setup("gone", () -> io.flywheel.it.Eventually.await(() -> {
        try {
          s.ddb().describeTable(b -> b.tableName(t));
          return false;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
          return true;
        }
      }, gone -> gone, Session.INDEX_CATCH_UP, "table deleted"));
      s.call("describe after delete", () -> s.ddb().describeTable(b -> b.tableName(t)));
      s.call("a name of 2 characters", () -> s.ddb().describeTable(b -> b.tableName("ab")));
      s.call("put into the deleted table", () -> s.ddb().putItem(b -> b.tableName(t).item(Values.item("pk", Values.s("k")))));
    }).deviates(Deviation.MISSING_TABLE_MESSAGE, "create it again", "describe a missing table", "delete a missing table",
        "describe after delete", "put into the deleted table")
        .deviates(Deviation.TABLE_VALIDATION_MESSAGE, "a name of 2 characters"));
    all.add(Scenario.of("update table", s -> {
      String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
      s.call("nothing to update", () -> s.ddb().updateTable(b -> b.tableName(t)));
      s.call("throughput on an on-demand table", () -> s.ddb().updateTable(b -> b.tableName(t).provisionedThroughput(throughput(2, 2))));
      s.call("to provisioned without throughput", () -> s.ddb().updateTable(b -> b.tableName(t).billingMode(BillingMode.PROVISIONED)));
      s.call("to provisioned", () -> s.ddb().updateTable(b -> b.tableName(t).billingMode(BillingMode.PROVISIONED)
          .provisionedThroughput(throughput(3, 4))), r -> Views.tableShape(r.tableDescription(), false));
      s.awaitActive("t");
      s.call("describe", () -> s.ddb().describeTable(b -> b.tableName(t)), r -> Views.tableShape(r.table(), true));
      s.call("the same throughput again", () -> s.ddb().updateTable(b -> b.tableName(t).provisionedThroughput(throughput(3, 4))));
      s.call("zero throughput", () -> s.ddb().updateTable(b -> b.tableName(t).provisionedThroughput(throughput(0, 4))));
      s.call("new throughput", () -> s.ddb().updateTable(b -> b.tableName(t).provisionedThroughput(throughput(5, 6))),
          r -> Views.tableShape(r.tableDescription(), false));
      s.awaitActive("t");
      s.call("back to on demand", () -> s.ddb().updateTable(b -> b.tableName(t).billingMode(BillingMode.PAY_PER_REQUEST)),
          r -> Views.tableShape(r.tableDescription(), false));
      s.awaitActive("t");
      s.call("describe again", () -> s.ddb().describeTable(b -> b.tableName(t)), r -> Views.tableShape(r.table(), true));
      s.call("a missing table", () -> s.ddb().updateTable(b -> b.tableName(s.table("missing")).billingMode(BillingMode.PROVISIONED)
          .provisionedThroughput(throughput(1, 1))));
    }).deviates(Deviation.TABLE_VALIDATION_MESSAGE, "nothing to update", "to provisioned without throughput",
        "the same throughput again")
        .deviates(Deviation.PAY_PER_REQUEST_WITH_THROUGHPUT, refused("One or more parameter values were invalid: "
            + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
            "throughput on an on-demand table")
        .deviates(Deviation.CONSTRAINT_MESSAGE, "zero throughput")
        .deviates(Deviation.MISSING_TABLE_MESSAGE, "a missing table"));
    all.add(Scenario.of("list tables with pagination", s -> {
      List<String> names = new ArrayList<>();
      for (String role : List.of("a", "b", "c", "d", "e")) {
        names.add(s.createTable(role, TableSpec.hash("pk", ScalarAttributeType.S)));
      }
      String prefix = names.get(0).substring(0, names.get(0).indexOf('-') + 1);
      s.call("all", () -> s.ddb().listTables(), r -> r.tableNames().stream().filter(n -> n.startsWith(prefix)).toList());
      s.call("two after the first", () -> s.ddb().listTables(b -> b.exclusiveStartTableName(names.get(0)).limit(2)),
          r -> r.tableNames().stream().filter(n -> n.startsWith(prefix)).toList());
      s.call("limit 0", () -> s.ddb().listTables(b -> b.limit(0)));
      s.call("limit 101", () -> s.ddb().listTables(b -> b.limit(101)));
    }).deviates(Deviation.CONSTRAINT_MESSAGE, "limit 0", "limit 101"));
    return all;
  }
}
