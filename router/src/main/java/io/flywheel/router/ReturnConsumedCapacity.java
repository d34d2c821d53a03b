package io.flywheel.router;

/** How much consumed-capacity detail a response carries. */
public enum ReturnConsumedCapacity {
  NONE,
  TOTAL,
  INDEXES
}
