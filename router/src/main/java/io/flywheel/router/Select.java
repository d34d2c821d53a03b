package io.flywheel.router;

/** What Query and Scan return for each matching item. */
public enum Select {
  ALL_ATTRIBUTES,
  ALL_PROJECTED_ATTRIBUTES,
  SPECIFIC_ATTRIBUTES,
  COUNT
}
