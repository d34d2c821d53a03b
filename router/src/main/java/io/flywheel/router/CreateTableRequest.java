package io.flywheel.router;

import java.util.List;

/**
 * CreateTable's parameters after JSON decoding and constraint checks (names, enums, lengths);
 * {@link TableRequests} checks their meaning.
 *
 * @param billingMode "PROVISIONED", "PAY_PER_REQUEST" or null (PROVISIONED)
 * @param readCapacityUnits null when ProvisionedThroughput is absent
 */
public record CreateTableRequest(
    String tableName,
    List<AttributeDefinitionInput> attributeDefinitions,
    List<KeySchemaElement> keySchema,
    String billingMode,
    Long readCapacityUnits,
    Long writeCapacityUnits,
    boolean hasProvisionedThroughput) {

  public record AttributeDefinitionInput(String attributeName, String attributeType) {}

  public record KeySchemaElement(String attributeName, String keyType) {}
}
