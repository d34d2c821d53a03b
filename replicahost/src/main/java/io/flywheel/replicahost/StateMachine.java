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
   * Decides a command on the leader against the latest state: the applied state plus every
   * decision not applied yet (keep those in {@link DecidedValues}, tagged with their entry's
   * index). Returns the log entry to replicate (the resulting item images, never the command
   * itself) or a rejection; must not modify durable state.
   *
   * @param index the log index the entry will take if this returns {@link Evaluation.Append}
   */
  Evaluation evaluate(C command, long index);

  /**
   * Applies a committed entry: adds its writes to {@code batch}, deterministically (every replica
   * applies the same entries to the same state). The host adds the group's applied index to the
   * same batch.
   */
  void apply(long index, byte[] entry, KvBatch batch);

  /**
   * The batch holding every entry up to {@code index} is written: decisions up to {@code index} are
   * part of the applied state now.
   */
  void applied(long index);

  /**
   * This replica stopped leading: decisions not applied yet may never be (another leader may
   * replace their entries). Forget them and decide nothing more until leading again; entries that
   * do commit arrive through {@link #apply} like any other. {@code kv} holds the applied state.
   */
  void discardDecisions(KvEngine kv);

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
