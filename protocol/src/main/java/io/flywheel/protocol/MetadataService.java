package io.flywheel.protocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The authoritative catalog of tables and partitions. Mutations complete once durable in the
 * metadata replication group and carried out on the storage nodes.
 */
public interface MetadataService {
  /** Fails with ResourceInUseException when the name is taken. */
  CompletableFuture<TableDescriptor> createTable(CreateTableSpec spec);

  /** Returns the table as it was, with status DELETING. Fails with ResourceNotFoundException. */
  CompletableFuture<TableDescriptor> deleteTable(String name);

  /** Changes billing mode and/or provisioned throughput. */
  CompletableFuture<TableDescriptor> updateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits);

  /**
   * Adds a global secondary index to an existing table: returns the table with the index
   * CREATING at once, then fills the index from the table in the background (the table stays
   * writable) and makes it ACTIVE. {@code definitions} are the table's attribute definitions
   * including the new index's keys.
   */
  CompletableFuture<TableDescriptor> createGlobalIndex(String tableName, CreateTableSpec.IndexSpec index, List<AttributeDefinition> definitions);

  /** Deletes a global secondary index: returns the table with the index DELETING; it is gone shortly after. */
  CompletableFuture<TableDescriptor> deleteGlobalIndex(String tableName, String indexName);

  /** Changes a global secondary index's provisioned throughput. */
  CompletableFuture<TableDescriptor> updateGlobalIndexThroughput(String tableName, String indexName, long readCapacityUnits, long writeCapacityUnits);

  /** The table, or null when there is none. */
  TableDescriptor table(String name);

  /** All table names in ascending order. */
  List<String> tableNames();
}
