package io.flywheel.router;

import java.util.List;

/**
 * CreateTable's parameters after JSON decoding and constraint checks (names, enums, lengths);
 * {@link TableRequests} checks their meaning.
 *
 * @param billingMode "PROVISIONED", "PAY_PER_REQUEST" or null (PROVISIONED)
 * @param readCapacityUnits null when ProvisionedThroughput is absent
 * @param localIndexes null when LocalSecondaryIndexes is absent
 * @param globalIndexes null when GlobalSecondaryIndexes is absent
 */
public record CreateTableRequest(
    String tableName,
    List<AttributeDefinitionInput> attributeDefinitions,
    List<KeySchemaElement> keySchema,
    String billingMode,
    Long readCapacityUnits,
    Long writeCapacityUnits,
    boolean hasProvisionedThroughput,
    List<IndexInput> localIndexes,
    List<IndexInput> globalIndexes) {

  public record AttributeDefinitionInput(String attributeName, String attributeType) {}

  public record KeySchemaElement(String attributeName, String keyType) {}

  /**
   * A secondary index as requested.
   *
   * @param projectionType null when the Projection names none
   * @param nonKeyAttributes null when absent
   * @param readCapacityUnits null when the index has no ProvisionedThroughput
   */
  public record IndexInput(
      String indexName, List<KeySchemaElement> keySchema, String projectionType, List<String> nonKeyAttributes,
      Long readCapacityUnits, Long writeCapacityUnits) {
    public boolean hasProvisionedThroughput() {
      return readCapacityUnits != null;
    }
  }
}
