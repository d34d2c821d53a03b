package io.flywheel.protocol;

/** Item count and total DynamoDB size of a partition, as of its applied state. */
public record PartitionStats(long itemCount, long sizeBytes) {
  public static final PartitionStats EMPTY = new PartitionStats(0, 0);

  public PartitionStats plus(PartitionStats other) {
    return new PartitionStats(itemCount + other.itemCount, sizeBytes + other.sizeBytes);
  }
}
