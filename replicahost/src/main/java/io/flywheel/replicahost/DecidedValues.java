package io.flywheel.replicahost;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Values a leader decided and has not applied yet, each remembered with the log index of the entry
 * that carries it: what a {@link StateMachine} consults, before its applied state, to decide the
 * next commands (see {@link StateMachine#evaluate}). A value leaves once its entry is applied
 * ({@link #appliedThrough}), or with every other when the decisions may never be applied ({@link
 * #clear}, on {@link StateMachine#discardDecisions}). A later decision for the same key replaces an
 * earlier one. Holds only what is in flight, so it stays as small as the replication pipeline.
 *
 * <p>Not thread-safe: used on the group's worker thread only.
 *
 * @param <K> the key (use value-comparable keys: {@code ByteBuffer.wrap(bytes)}, not {@code byte[]})
 * @param <V> the decided value; null is not allowed (use a marker for "deleted")
 */
public final class DecidedValues<K, V> {
  private record Decided<V>(V value, long index) {}

  private final HashMap<K, Decided<V>> values = new HashMap<>();

  /** Records that the entry at {@code index} sets {@code key} to {@code value}. */
  public void put(K key, V value, long index) {
    values.put(key, new Decided<>(value, index));
  }

  /** The latest decided value of {@code key}, or null when none is in flight. */
  public V get(K key) {
    Decided<V> d = values.get(key);
    return d == null ? null : d.value();
  }

  /** Forgets a decision before its entry exists (the command it belonged to was not appended). */
  public void remove(K key) {
    values.remove(key);
  }

  /** Entries up to {@code index} are applied: their values are in the applied state now. */
  public void appliedThrough(long index) {
    if (values.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<K, Decided<V>>> it = values.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().index() <= index) {
        it.remove();
      }
    }
  }

  /** Forgets every decision. */
  public void clear() {
    values.clear();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public int size() {
    return values.size();
  }
}
