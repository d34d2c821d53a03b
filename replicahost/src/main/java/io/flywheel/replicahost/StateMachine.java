package io.flywheel.replicahost;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;

/**
 * A role's replicated state for one group: what a partition (storage node) or the catalog
 * (metadata) keeps. Called only on the owning worker's thread.
 *
 * @param <C> the commands proposed to the group
 */
public interface StateMachine<C> {
  /**
   * Decides a command on the leader against the latest state, including entries evaluated earlier
   * in this loop and not yet applied. Returns the log entry to replicate (the resulting item
   * images, never the command itself) or a rejection; must not modify durable state.
   */
  Evaluation evaluate(C command);

  /**
   * Applies a committed entry: adds its writes to {@code batch}, deterministically (every replica
   * applies the same entries to the same state). The host adds the group's applied index to the
   * same batch.
   */
  void apply(long index, byte[] entry, KvBatch batch);

  /** The batch holding everything up to {@code index} is written; drop this loop's overlay. */
  void applied(long index);

  /** Called once at registration, before any replay, with the engine to read state from. */
  default void recover(KvEngine kv) {}

  /** The outcome of {@link #evaluate}. */
  sealed interface Evaluation {
    /** Replicate {@code entry}; once it is applied, complete the proposal with {@code result}. */
    record Append(byte[] entry, Object result) implements Evaluation {}

    /** Nothing to replicate; complete the proposal at once with {@code result}. */
    record Done(Object result) implements Evaluation {}

    /** Complete the proposal exceptionally at once; the state is unchanged. */
    record Reject(RuntimeException error) implements Evaluation {}
  }
}
