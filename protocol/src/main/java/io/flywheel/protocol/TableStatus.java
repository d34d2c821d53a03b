package io.flywheel.protocol;

/** DynamoDB's TableStatus values that Flywheel uses. */
public enum TableStatus {
  CREATING,
  UPDATING,
  DELETING,
  ACTIVE
}
