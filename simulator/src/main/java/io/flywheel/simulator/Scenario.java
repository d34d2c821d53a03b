package io.flywheel.simulator;

/**
 * What a run's nemesis does during its fault phase, on top of the network's ever-present drops,
 * delays, duplicates and reordering. Every scenario then heals everything and checks liveness and
 * convergence.
 */
public enum Scenario {
  /** The current leader crashes (losing unsynced writes) and restarts, again and again. */
  LEADER_CRASH,
  /**
   * The current leader is cut off, both ways, from everyone — or from one peer only, a partial
   * partition the other replicas bridge (the paper's gray failure) — and later rejoins.
   */
  LEADER_PARTITIONED,
  /** Single links fail one way, often the leader's: it hears but is not heard, or the reverse. */
  ONE_WAY_LINKS,
  /** The leader freezes (SIGSTOP) for longer than its lease while its clock runs on. */
  PAUSED_LEADER,
  /**
   * Membership changes by joint consensus — replicas replaced, full replicas swapped for log
   * replicas and back, leadership transferred — while nodes crash and links fail. Some runs start
   * with a log replica.
   */
  MEMBERSHIP_CHANGES,
  /** All of the above, drawn at random. */
  RANDOM_MIX;

  /** The scenario of seed {@code seed} when a run names none: seeds cycle through all of them. */
  public static Scenario forSeed(long seed) {
    Scenario[] all = values();
    return all[(int) Math.floorMod(seed, (long) all.length)];
  }
}
