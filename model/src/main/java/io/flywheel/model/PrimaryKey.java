package io.flywheel.model;

import java.util.Objects;

/** A validated primary key: the partition key value and, for composite keys, the sort key value. */
public record PrimaryKey(AttributeValue partition, AttributeValue sort) {
  public PrimaryKey {
    Objects.requireNonNull(partition);
  }
}
