package io.flywheel.router;

import io.flywheel.model.DynamoException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Semantic validation of table requests, with DynamoDB's messages, in DynamoDB's order. Syntax
 * (names, lengths, enums) is checked before, where the request is decoded.
 */
final class TableRequests {
  /** Provisioned units above this are refused outright. */
  static final long MAX_CAPACITY_UNITS = 1_000_000_000_000L;

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
    List<String> keys = new ArrayList<>();
    for (CreateTableRequest.KeySchemaElement k : r.keySchema()) {
      keys.add(k.attributeName());
    }
    if (keys.size() > definitions.size()) {
      throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
    }
    if (!definitions.containsAll(keys)) {
      throw DynamoException.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: "
          + bracketed(keys) + ", AttributeDefinitions: " + bracketed(definitions));
    }
    if (keys.size() == 2 && keys.get(0).equals(keys.get(1))) {
      throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
    if (!"HASH".equals(r.keySchema().get(0).keyType())) {
      throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    if (keys.size() == 2 && !"RANGE".equals(r.keySchema().get(1).keyType())) {
      throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
    Set<String> seen = new HashSet<>();
    for (String d : definitions) {
      if (!seen.add(d)) {
        throw DynamoException.validation("Cannot have two attributes with the same name");
      }
    }
    if (keys.size() != definitions.size()) {
      throw DynamoException.invalidParameter(
          "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
    List<AttributeDefinition> defs = new ArrayList<>();
    for (CreateTableRequest.AttributeDefinitionInput d : r.attributeDefinitions()) {
      defs.add(new AttributeDefinition(d.attributeName(), ScalarType.fromWire(d.attributeType())));
    }
    KeyAttribute pk = new KeyAttribute(keys.get(0), typeOf(defs, keys.get(0)));
    KeyAttribute sk = keys.size() == 2 ? new KeyAttribute(keys.get(1), typeOf(defs, keys.get(1))) : null;
    long rcu = mode == BillingMode.PROVISIONED ? r.readCapacityUnits() : 0;
    long wcu = mode == BillingMode.PROVISIONED ? r.writeCapacityUnits() : 0;
    return new CreateTableSpec(r.tableName(), new KeySchema(pk, sk), defs, mode, rcu, wcu);
  }

  static void checkUpdate(UpdateTableRequest r) {
    if (!r.hasProvisionedThroughput() && r.billingMode() == null) {
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
  }

  private static void checkUnits(long read, long write) {
    if (read > MAX_CAPACITY_UNITS) {
      throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
    }
    if (write > MAX_CAPACITY_UNITS) {
      throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
    }
  }

  private static ScalarType typeOf(List<AttributeDefinition> defs, String name) {
    for (AttributeDefinition d : defs) {
      if (d.name().equals(name)) {
        return d.type();
      }
    }
    throw new IllegalStateException("checked above: " + name);
  }

  private static String bracketed(List<String> names) {
    return "[" + String.join(", ", names) + "]";
  }
}
