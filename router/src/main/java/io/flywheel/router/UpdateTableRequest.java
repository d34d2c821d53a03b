package io.flywheel.router;

/** UpdateTable's parameters: billing mode and provisioned throughput changes. */
public record UpdateTableRequest(String tableName, String billingMode, Long readCapacityUnits, Long writeCapacityUnits, boolean hasProvisionedThroughput) {}
