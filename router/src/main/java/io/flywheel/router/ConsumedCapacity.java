package io.flywheel.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity a request consumed, as DynamoDB reports it: in total, and with ReturnConsumedCapacity
 * INDEXES also for the table and each index it touched. Immutable; {@link #plus} sums two reports
 * of the same table (batches).
 *
 * @param table the table's share (for a query of a global index: nothing)
 * @param localIndexes each local index's share, by index name
 * @param globalIndexes each global index's share, by index name
 * @param breakdown whether the response shows the shares (ReturnConsumedCapacity=INDEXES)
 */
public record ConsumedCapacity(String tableName, Capacity table, Map<String, Capacity> localIndexes,
    Map<String, Capacity> globalIndexes, boolean breakdown) {
  private static final int WRITE_UNIT_BYTES = 1024;
  private static final int READ_UNIT_BYTES = 4096;

  public ConsumedCapacity {
    localIndexes = Map.copyOf(localIndexes);
    globalIndexes = Map.copyOf(globalIndexes);
  }

  /** Read and write units. */
  public record Capacity(double readUnits, double writeUnits) {
    public static final Capacity NONE = new Capacity(0, 0);

    public double units() {
      return readUnits + writeUnits;
    }

    Capacity plus(Capacity other) {
      return new Capacity(readUnits + other.readUnits, writeUnits + other.writeUnits);
    }
  }

  /** A write of an item or index entry whose larger version (before or after) has {@code sizeBytes}. */
  public static double writeUnits(int sizeBytes) {
    return Math.max(1, (sizeBytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
  }

  /** A read of {@code sizeBytes} (a missing item still costs one unit); eventual reads cost half. */
  public static double readUnits(long sizeBytes, boolean consistent) {
    double units = Math.max(1, (sizeBytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
    return consistent ? units : units / 2;
  }

  /** Nothing consumed yet on {@code tableName}; null when the request did not ask for capacity. */
  static ConsumedCapacity of(String tableName, ReturnConsumedCapacity mode) {
    return mode == null || mode == ReturnConsumedCapacity.NONE ? null
        : new ConsumedCapacity(tableName, Capacity.NONE, Map.of(), Map.of(), mode == ReturnConsumedCapacity.INDEXES);
  }

  ConsumedCapacity withTable(Capacity units) {
    return new ConsumedCapacity(tableName, table.plus(units), localIndexes, globalIndexes, breakdown);
  }

  ConsumedCapacity withIndex(String indexName, boolean global, Capacity units) {
    Map<String, Capacity> local = localIndexes;
    Map<String, Capacity> globals = globalIndexes;
    if (global) {
      globals = added(globals, indexName, units);
    } else {
      local = added(local, indexName, units);
    }
    return new ConsumedCapacity(tableName, table, local, globals, breakdown);
  }

  /** The sum of two reports of this table. */
  ConsumedCapacity plus(ConsumedCapacity other) {
    ConsumedCapacity sum = withTable(other.table);
    for (Map.Entry<String, Capacity> e : other.localIndexes.entrySet()) {
      sum = sum.withIndex(e.getKey(), false, e.getValue());
    }
    for (Map.Entry<String, Capacity> e : other.globalIndexes.entrySet()) {
      sum = sum.withIndex(e.getKey(), true, e.getValue());
    }
    return sum;
  }

  private static Map<String, Capacity> added(Map<String, Capacity> shares, String name, Capacity units) {
    Map<String, Capacity> next = new LinkedHashMap<>(shares);
    next.merge(name, units, Capacity::plus);
    return next;
  }

  /** The table's and every index's units together. */
  public Capacity total() {
    Capacity sum = table;
    for (Capacity c : localIndexes.values()) {
      sum = sum.plus(c);
    }
    for (Capacity c : globalIndexes.values()) {
      sum = sum.plus(c);
    }
    return sum;
  }
}
