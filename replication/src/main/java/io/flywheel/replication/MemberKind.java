package io.flywheel.replication;

/** What a replica does in its group (paper §4: full replicas, log replicas; plus non-voting learners). */
public enum MemberKind {
  /** Persists and acknowledges the log, votes, counts for quorums, applies entries, may lead and serve. */
  FULL_VOTER(1),
  /**
   * The paper's log replica: persists and acknowledges entries and counts for quorums, but keeps no
   * state machine, so it never applies and never reports applied state. It campaigns only when no
   * full voter got elected (a longer election timeout), serves nothing while leading, and hands
   * leadership to an up-to-date full voter at once.
   */
  LOG_VOTER(2),
  /** Receives and applies the log; never votes and never counts for a quorum. */
  LEARNER(3);

  final int code;

  MemberKind(int code) {
    this.code = code;
  }

  /** Votes and counts for quorums. */
  public boolean votes() {
    return this != LEARNER;
  }

  /** Keeps a state machine and so applies committed entries. */
  public boolean applies() {
    return this != LOG_VOTER;
  }

  static MemberKind ofCode(int code) {
    for (MemberKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new io.flywheel.base.CorruptDataException("unknown member kind " + code);
  }
}
