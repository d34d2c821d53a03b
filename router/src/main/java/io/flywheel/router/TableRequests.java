package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.ProjectionType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Semantic validation of table requests, with DynamoDB's messages, in DynamoDB's order. Syntax
 * (names, lengths, enums) is checked before, where the request is decoded.
 */
final class TableRequests {
  /** Provisioned units above this are refused outright. */
  static final long MAX_CAPACITY_UNITS = 1_000_000_000_000L;
  static final int LOCAL_INDEXES_MAX = 5;
  static final int GLOBAL_INDEXES_MAX = 20;

  private TableRequests() {}

  static CreateTableSpec createSpec(CreateTableRequest r) {
    BillingMode mode = "PAY_PER_REQUEST".equals(r.billingMode()) ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED;
    if (mode == BillingMode.PAY_PER_REQUEST) {
      if (r.hasProvisionedThroughput()) {
        throw DynamoException.invalidParameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      }
    } else {
      if (r.readCapacityUnits() == null || r.writeCapacityUnits() == null) {
        throw DynamoException.invalidParameter(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
      }
      checkUnits(r.readCapacityUnits(), r.writeCapacityUnits());
    }
    List<String> definitions = new ArrayList<>();
    for (CreateTableRequest.AttributeDefinitionInput d : r.attributeDefinitions()) {
      definitions.add(d.attributeName());
    }
    List<String> keys = names(r.keySchema());
    if (keys.size() > definitions.size()) {
      throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
    }
    checkKeySchema(r.keySchema(), definitions);
    Set<String> seen = new HashSet<>();
    for (String d : definitions) {
      if (!seen.add(d)) {
        throw DynamoException.validation("Cannot have two attributes with the same name");
      }
    }
    boolean anyIndex = r.localIndexes() != null || r.globalIndexes() != null;
    if (!anyIndex && keys.size() != definitions.size()) {
      throw DynamoException.invalidParameter(
          "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
    List<AttributeDefinition> defs = definitions(r.attributeDefinitions());
    KeySchema tableKeys = keySchema(r.keySchema(), defs);
    List<CreateTableSpec.IndexSpec> indexes = new ArrayList<>();
    Set<String> indexNames = new HashSet<>();
    if (r.localIndexes() != null) {
      if (r.localIndexes().isEmpty()) {
        throw DynamoException.invalidParameter("List of LocalSecondaryIndexes is empty");
      }
      if (!tableKeys.hasSortKey()) {
        throw DynamoException.invalidParameter(
            "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
      }
      for (CreateTableRequest.IndexInput index : r.localIndexes()) {
        checkKeySchema(index.keySchema(), definitions);
        if (index.keySchema().size() != 2) {
          throw DynamoException.invalidParameter("Index KeySchema does not have a range key for index: " + index.indexName());
        }
        String indexHash = index.keySchema().get(0).attributeName();
        if (!indexHash.equals(tableKeys.partitionKey().name())) {
          throw DynamoException.invalidParameter("Index KeySchema does not have the same leading hash key as table KeySchema for index: "
              + index.indexName() + ". index hash key: " + indexHash + ", table hash key: " + tableKeys.partitionKey().name());
        }
        checkProjection(index);
        if (!indexNames.add(index.indexName())) {
          throw DynamoException.invalidParameter("Duplicate index name: " + index.indexName());
        }
        indexes.add(spec(index, false, defs, 0, 0));
      }
      if (r.localIndexes().size() > LOCAL_INDEXES_MAX) {
        throw DynamoException.invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of " + LOCAL_INDEXES_MAX);
      }
    }
    if (r.globalIndexes() != null) {
      if (r.globalIndexes().isEmpty()) {
        throw DynamoException.invalidParameter("List of GlobalSecondaryIndexes is empty");
      }
      for (CreateTableRequest.IndexInput index : r.globalIndexes()) {
        checkKeySchema(index.keySchema(), definitions);
        checkProjection(index);
        long[] units = indexUnits(index, mode);
        if (!indexNames.add(index.indexName())) {
          throw DynamoException.invalidParameter("Duplicate index name: " + index.indexName());
        }
        indexes.add(spec(index, true, defs, units[0], units[1]));
      }
      if (r.globalIndexes().size() > GLOBAL_INDEXES_MAX) {
        throw DynamoException.invalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of " + GLOBAL_INDEXES_MAX);
      }
    }
    if (anyIndex) {
      Set<String> used = new LinkedHashSet<>(keys);
      for (CreateTableSpec.IndexSpec index : indexes) {
        used.add(index.keySchema().partitionKey().name());
        if (index.keySchema().hasSortKey()) {
          used.add(index.keySchema().sortKey().name());
        }
      }
      if (!used.containsAll(definitions) || used.size() != definitions.size()) {
        throw DynamoException.invalidParameter("Some AttributeDefinitions are not used. AttributeDefinitions: "
            + bracketed(definitions) + ", keys used: " + bracketed(new ArrayList<>(used)));
      }
    }
    long rcu = mode == BillingMode.PROVISIONED ? r.readCapacityUnits() : 0;
    long wcu = mode == BillingMode.PROVISIONED ? r.writeCapacityUnits() : 0;
    return new CreateTableSpec(r.tableName(), tableKeys, defs, mode, rcu, wcu, indexes);
  }

  /** A global index's capacity: none on demand, required when provisioned. */
  static long[] indexUnits(CreateTableRequest.IndexInput index, BillingMode mode) {
    if (mode == BillingMode.PAY_PER_REQUEST) {
      if (index.hasProvisionedThroughput()) {
        throw DynamoException.invalidParameter("ProvisionedThroughput should not be specified for index: " + index.indexName()
            + " when BillingMode is PAY_PER_REQUEST");
      }
      return new long[] {0, 0};
    }
    if (!index.hasProvisionedThroughput()) {
      throw DynamoException.invalidParameter("ProvisionedThroughput must be specified for index: " + index.indexName());
    }
    checkUnits(index.readCapacityUnits(), index.writeCapacityUnits());
    return new long[] {index.readCapacityUnits(), index.writeCapacityUnits()};
  }

  static void checkKeySchema(List<CreateTableRequest.KeySchemaElement> keySchema, List<String> definitions) {
    List<String> keys = names(keySchema);
    if (!definitions.containsAll(keys)) {
      throw DynamoException.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: "
          + bracketed(keys) + ", AttributeDefinitions: " + bracketed(definitions));
    }
    if (keys.size() == 2 && keys.get(0).equals(keys.get(1))) {
      throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
    if (!"HASH".equals(keySchema.get(0).keyType())) {
      throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    if (keys.size() == 2 && !"RANGE".equals(keySchema.get(1).keyType())) {
      throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
  }

  static void checkProjection(CreateTableRequest.IndexInput index) {
    if (index.projectionType() == null) {
      throw DynamoException.invalidParameter("Unknown ProjectionType: null");
    }
    if (index.nonKeyAttributes() != null && !index.projectionType().equals("INCLUDE")) {
      throw DynamoException.invalidParameter(
          "ProjectionType is " + index.projectionType() + ", but NonKeyAttributes is specified");
    }
    if (index.nonKeyAttributes() == null && index.projectionType().equals("INCLUDE")) {
      throw DynamoException.invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    }
  }

  static CreateTableSpec.IndexSpec spec(CreateTableRequest.IndexInput index, boolean global, List<AttributeDefinition> defs, long rcu, long wcu) {
    return new CreateTableSpec.IndexSpec(index.indexName(), global, keySchema(index.keySchema(), defs),
        ProjectionType.valueOf(index.projectionType()), index.nonKeyAttributes() == null ? List.of() : index.nonKeyAttributes(), rcu, wcu);
  }

  static List<AttributeDefinition> definitions(List<CreateTableRequest.AttributeDefinitionInput> inputs) {
    List<AttributeDefinition> defs = new ArrayList<>();
    for (CreateTableRequest.AttributeDefinitionInput d : inputs) {
      defs.add(new AttributeDefinition(d.attributeName(), ScalarType.fromWire(d.attributeType())));
    }
    return defs;
  }

  static KeySchema keySchema(List<CreateTableRequest.KeySchemaElement> elements, List<AttributeDefinition> defs) {
    KeyAttribute pk = new KeyAttribute(elements.get(0).attributeName(), typeOf(defs, elements.get(0).attributeName()));
    KeyAttribute sk = elements.size() == 2 ? new KeyAttribute(elements.get(1).attributeName(), typeOf(defs, elements.get(1).attributeName())) : null;
    return new KeySchema(pk, sk);
  }

  static void checkUpdate(UpdateTableRequest r) {
    boolean indexUpdates = r.globalIndexUpdates() != null && !r.globalIndexUpdates().isEmpty();
    if (!r.hasProvisionedThroughput() && r.billingMode() == null && !indexUpdates) {
      throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
          + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    }
    if ("PROVISIONED".equals(r.billingMode()) && !r.hasProvisionedThroughput()) {
      throw DynamoException.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    }
    if (r.hasProvisionedThroughput()) {
      if ("PAY_PER_REQUEST".equals(r.billingMode())) {
        throw DynamoException.invalidParameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      }
      checkUnits(r.readCapacityUnits(), r.writeCapacityUnits());
    }
    if (r.globalIndexUpdates() != null) {
      Set<String> names = new HashSet<>();
      for (UpdateTableRequest.GlobalIndexUpdate u : r.globalIndexUpdates()) {
        int set = (u.create() != null ? 1 : 0) + (u.update() != null ? 1 : 0) + (u.delete() != null ? 1 : 0);
        if (set == 0) {
          throw DynamoException.invalidParameter("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
              + "GlobalSecondaryIndexUpdate.Delete must not be null");
        }
        String name = u.create() != null ? u.create().indexName() : u.update() != null ? u.update().indexName() : u.delete();
        if (!names.add(name)) {
          throw DynamoException.invalidParameter("Only one global secondary index update per index is allowed simultaneously. Index: " + name);
        }
      }
    }
  }

  private static void checkUnits(long read, long write) {
    if (read > MAX_CAPACITY_UNITS) {
      throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
    }
    if (write > MAX_CAPACITY_UNITS) {
      throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
    }
  }

  private static List<String> names(List<CreateTableRequest.KeySchemaElement> elements) {
    List<String> names = new ArrayList<>();
    for (CreateTableRequest.KeySchemaElement k : elements) {
      names.add(k.attributeName());
    }
    return names;
  }

  private static ScalarType typeOf(List<AttributeDefinition> defs, String name) {
    for (AttributeDefinition d : defs) {
      if (d.name().equals(name)) {
        return d.type();
      }
    }
    throw new IllegalStateException("checked before: " + name);
  }

  static String bracketed(List<String> names) {
    return "[" + String.join(", ", names) + "]";
  }
}
