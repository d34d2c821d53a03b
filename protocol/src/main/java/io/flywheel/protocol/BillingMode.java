package io.flywheel.protocol;

/** How a table's capacity is billed. */
public enum BillingMode {
  PROVISIONED,
  PAY_PER_REQUEST
}
