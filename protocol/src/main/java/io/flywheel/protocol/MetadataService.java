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

  /** The table, or null when there is none. */
  TableDescriptor table(String name);

  /** All table names in ascending order. */
  List<String> tableNames();
}
