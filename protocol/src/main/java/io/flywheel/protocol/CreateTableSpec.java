package io.flywheel.protocol;

import io.flywheel.model.KeySchema;
import java.util.List;

/** A validated CreateTable request, as the router hands it to the metadata service. */
public record CreateTableSpec(
    String name,
    KeySchema keySchema,
    List<AttributeDefinition> attributeDefinitions,
    BillingMode billingMode,
    long readCapacityUnits,
    long writeCapacityUnits,
    List<IndexSpec> indexes) {
  public CreateTableSpec {
    attributeDefinitions = List.copyOf(attributeDefinitions);
    indexes = List.copyOf(indexes);
  }

  /** A validated secondary index definition. */
  public record IndexSpec(
      String name, boolean global, KeySchema keySchema, ProjectionType projectionType, List<String> nonKeyAttributes,
      long readCapacityUnits, long writeCapacityUnits) {
    public IndexSpec {
      nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }
  }
}
