package io.flywheel.protocol;

/**
 * A table's provisioned capacity and the history DescribeTable reports. Zero units for on-demand
 * tables. Times are epoch milliseconds, 0 when never.
 */
public record ProvisionedThroughput(
    long readCapacityUnits, long writeCapacityUnits, long lastIncreaseMillis, long lastDecreaseMillis, int decreasesToday) {
  public static final ProvisionedThroughput ON_DEMAND = new ProvisionedThroughput(0, 0, 0, 0, 0);

  /** The throughput after a change at {@code nowMillis}, with DynamoDB's bookkeeping. */
  public ProvisionedThroughput changeTo(long read, long write, long nowMillis) {
    boolean increase = read > readCapacityUnits || write > writeCapacityUnits;
    boolean decrease = read < readCapacityUnits || write < writeCapacityUnits;
    return new ProvisionedThroughput(read, write,
        increase ? nowMillis : lastIncreaseMillis,
        decrease ? nowMillis : lastDecreaseMillis,
        decreasesToday + (decrease ? 1 : 0));
  }
}
