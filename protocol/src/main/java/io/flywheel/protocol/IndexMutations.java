package io.flywheel.protocol;

import java.util.List;

/**
 * Changes to one global-secondary-index partition that one base partition's write (its log entry
 * {@code sequence}) implies. A GSI partition applies each source's mutations at most once and in
 * sequence order, so redelivery after a crash is harmless.
 */
public record IndexMutations(long sourceGroupId, long sequence, List<Mutation> mutations) {
  public IndexMutations {
    mutations = List.copyOf(mutations);
  }

  /** Put {@code image} at {@code key} in the index, or delete {@code key} when {@code image} is null. */
  public record Mutation(byte[] key, byte[] image) {}
}
