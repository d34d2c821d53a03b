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
    long writeCapacityUnits) {
  public CreateTableSpec {
    attributeDefinitions = List.copyOf(attributeDefinitions);
  }
}
