package io.flywheel.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The shape of a table a scenario needs (keys and indexes, on-demand billing), built fluently:
 * {@code TableSpec.hash("pk", S).range("sk", N).gsi("by-v", "v", S, null, null, ProjectionType.ALL)}.
 */
final class TableSpec {
  private final Map<String, ScalarAttributeType> attributes = new LinkedHashMap<>();
  private final List<KeySchemaElement> keySchema = new ArrayList<>();
  private final List<LocalSecondaryIndex> localIndexes = new ArrayList<>();
  private final List<GlobalSecondaryIndex> globalIndexes = new ArrayList<>();

  private TableSpec() {}

  static TableSpec hash(String name, ScalarAttributeType type) {
    TableSpec spec = new TableSpec();
    spec.attributes.put(name, type);
    spec.keySchema.add(key(name, KeyType.HASH));
    return spec;
  }

  TableSpec range(String name, ScalarAttributeType type) {
    attributes.put(name, type);
    keySchema.add(key(name, KeyType.RANGE));
    return this;
  }

  /** A local index on the table's partition key and {@code rangeName}. */
  TableSpec lsi(String indexName, String rangeName, ScalarAttributeType rangeType, ProjectionType projection, String... nonKey) {
    attributes.put(rangeName, rangeType);
    localIndexes.add(LocalSecondaryIndex.builder().indexName(indexName)
        .keySchema(key(keySchema.get(0).attributeName(), KeyType.HASH), key(rangeName, KeyType.RANGE))
        .projection(projection(projection, nonKey)).build());
    return this;
  }

  /** A global index; {@code rangeName} may be null for a hash-only index. */
  TableSpec gsi(String indexName, String hashName, ScalarAttributeType hashType, String rangeName, ScalarAttributeType rangeType,
      ProjectionType projection, String... nonKey) {
    attributes.put(hashName, hashType);
    List<KeySchemaElement> keys = new ArrayList<>(List.of(key(hashName, KeyType.HASH)));
    if (rangeName != null) {
      attributes.put(rangeName, rangeType);
      keys.add(key(rangeName, KeyType.RANGE));
    }
    globalIndexes.add(GlobalSecondaryIndex.builder().indexName(indexName).keySchema(keys)
        .projection(projection(projection, nonKey)).build());
    return this;
  }

  boolean hasGlobalIndexes() {
    return !globalIndexes.isEmpty();
  }

  CreateTableRequest request(String tableName) {
    List<AttributeDefinition> definitions = new ArrayList<>();
    attributes.forEach((name, type) -> definitions.add(AttributeDefinition.builder().attributeName(name).attributeType(type).build()));
    CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(definitions).keySchema(keySchema);
    if (!localIndexes.isEmpty()) {
      b.localSecondaryIndexes(localIndexes);
    }
    if (!globalIndexes.isEmpty()) {
      b.globalSecondaryIndexes(globalIndexes);
    }
    return b.build();
  }

  static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  static Projection projection(ProjectionType type, String... nonKey) {
    Projection.Builder b = Projection.builder().projectionType(type);
    if (nonKey.length > 0) {
      b.nonKeyAttributes(nonKey);
    }
    return b.build();
  }
}
