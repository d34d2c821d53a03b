package io.flywheel.router;

import java.util.List;

/**
 * UpdateTable's parameters: billing mode, provisioned throughput, and global index changes.
 *
 * @param attributeDefinitions null when absent (needed to define a new index's keys)
 * @param globalIndexUpdates null when absent
 */
public record UpdateTableRequest(
    String tableName,
    String billingMode,
    Long readCapacityUnits,
    Long writeCapacityUnits,
    boolean hasProvisionedThroughput,
    List<CreateTableRequest.AttributeDefinitionInput> attributeDefinitions,
    List<GlobalIndexUpdate> globalIndexUpdates) {

  /** Exactly one of create, update (throughput) and delete is set in a valid request. */
  public record GlobalIndexUpdate(CreateTableRequest.IndexInput create, CreateTableRequest.IndexInput update, String delete) {}
}
