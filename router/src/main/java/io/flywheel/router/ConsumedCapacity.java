package io.flywheel.router;

/**
 * Capacity a request consumed, as DynamoDB reports it.
 *
 * @param tableBreakdown also report the table's and the index's shares separately
 *     (ReturnConsumedCapacity=INDEXES)
 * @param index the secondary index a Query or Scan read, with its share of the units; null otherwise
 */
public record ConsumedCapacity(String tableName, double capacityUnits, double readCapacityUnits, double writeCapacityUnits,
    boolean tableBreakdown, IndexShare index) {

  /** What reading a secondary index cost, out of the request's total. */
  public record IndexShare(String indexName, boolean global, double capacityUnits) {}

  /** The table's own share: the total less what the index took. */
  public double tableUnits() {
    return index == null ? capacityUnits : capacityUnits - index.capacityUnits();
  }
  private static final int WRITE_UNIT_BYTES = 1024;
  private static final int READ_UNIT_BYTES = 4096;

  /** A write of an item whose larger version (before or after) has {@code sizeBytes}. */
  public static double writeUnits(int sizeBytes) {
    return Math.max(1, (sizeBytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
  }

  /** A read of {@code sizeBytes} (a missing item still costs one unit); eventual reads cost half. */
  public static double readUnits(long sizeBytes, boolean consistent) {
    double units = Math.max(1, (sizeBytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
    return consistent ? units : units / 2;
  }

  static ConsumedCapacity write(String table, double units, ReturnConsumedCapacity mode) {
    return mode == null || mode == ReturnConsumedCapacity.NONE ? null
        : new ConsumedCapacity(table, units, 0, units, mode == ReturnConsumedCapacity.INDEXES, null);
  }

  static ConsumedCapacity read(String table, double units, ReturnConsumedCapacity mode) {
    return mode == null || mode == ReturnConsumedCapacity.NONE ? null
        : new ConsumedCapacity(table, units, units, 0, mode == ReturnConsumedCapacity.INDEXES, null);
  }

  /**
   * A Query or Scan of a secondary index: {@code units} in all, of which {@code indexUnits} read the
   * index and the rest fetched items from the table (a local index that does not project them).
   */
  static ConsumedCapacity indexRead(String table, String indexName, boolean global, double units, double indexUnits,
      ReturnConsumedCapacity mode) {
    return mode == null || mode == ReturnConsumedCapacity.NONE ? null
        : new ConsumedCapacity(table, units, units, 0, mode == ReturnConsumedCapacity.INDEXES,
            new IndexShare(indexName, global, Math.min(indexUnits, units)));
  }
}
