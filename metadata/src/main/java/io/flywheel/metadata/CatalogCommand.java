package io.flywheel.metadata;

import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.TableStatus;
import java.util.List;

/** A change proposed to the catalog group. Time and randomness come in the command, decided by the proposer. */
sealed interface CatalogCommand {
  /**
   * Create a table in CREATING state; its partitions (and each global index's) get {@code
   * replicaSets} in turn (node ids, the first the preferred leader).
   */
  record CreateTable(CreateTableSpec spec, long nowMillis, String tableUuid, int partitions, List<List<Long>> replicaSets)
      implements CatalogCommand {}

  /** Move table {@code tableId} from one of {@code from} to {@code to}. */
  record SetStatus(String name, long tableId, List<TableStatus> from, TableStatus to) implements CatalogCommand {}

  record UpdateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits, long nowMillis) implements CatalogCommand {}

  /** Forget table {@code tableId} (its replicas are already dropped). */
  record Remove(String name, long tableId) implements CatalogCommand {}

  /** Add a global index, CREATING and backfilling, its partitions getting {@code replicaSets} in turn. */
  record AddGlobalIndex(String name, long tableId, CreateTableSpec.IndexSpec index, List<AttributeDefinition> definitions,
      int partitions, List<List<Long>> replicaSets) implements CatalogCommand {}

  record SetIndexStatus(String name, long tableId, String indexName, IndexStatus status, boolean backfilling) implements CatalogCommand {}

  record SetIndexThroughput(String name, long tableId, String indexName, long readCapacityUnits, long writeCapacityUnits, long nowMillis)
      implements CatalogCommand {}

  /** Forget index {@code indexName} (its partitions are already dropped). */
  record RemoveIndex(String name, long tableId, String indexName) implements CatalogCommand {}
}
