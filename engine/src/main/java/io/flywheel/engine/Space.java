package io.flywheel.engine;

/** The key spaces (column families) of an engine instance. */
public enum Space {
  /** Items, or log entries in a log engine. */
  DATA,
  /** Per-replica state (applied index, descriptors), written in the same batch as the data it covers. */
  STATE
}
