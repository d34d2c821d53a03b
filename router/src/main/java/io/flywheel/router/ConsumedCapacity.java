package io.flywheel.router;

/**
 * Capacity a request consumed, as DynamoDB reports it.
 *
 * @param tableBreakdown also report the table's share separately (ReturnConsumedCapacity=INDEXES)
 */
public record ConsumedCapacity(String tableName, double capacityUnits, double readCapacityUnits, double writeCapacityUnits, boolean tableBreakdown) {
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
        : new ConsumedCapacity(table, units, 0, units, mode == ReturnConsumedCapacity.INDEXES);
  }

  static ConsumedCapacity read(String table, double units, ReturnConsumedCapacity mode) {
    return mode == null || mode == ReturnConsumedCapacity.NONE ? null
        : new ConsumedCapacity(table, units, units, 0, mode == ReturnConsumedCapacity.INDEXES);
  }
}
