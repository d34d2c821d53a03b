package io.flywheel.protocol;

/** DynamoDB's IndexStatus values. */
public enum IndexStatus {
  CREATING,
  UPDATING,
  DELETING,
  ACTIVE
}
