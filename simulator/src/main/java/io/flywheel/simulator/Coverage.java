package io.flywheel.simulator;

/**
 * What a run exercised, so that a passing run can be told from one where nothing happened.
 *
 * @param leadersElected distinct ballots that had a leader
 * @param logReplicaLeaderships ballots led by a log replica (which must hand leadership over)
 * @param crashes power losses (unsynced writes dropped)
 * @param crashesWithUnsyncedWrites crashes that actually dropped a write in flight
 * @param pauses nodes frozen longer than their lease
 * @param partitions leaders (or leader-peer links) cut off both ways
 * @param oneWayCuts links cut in one direction
 * @param membershipChanges joint-consensus changes a leader accepted
 * @param transfers leadership transfers requested
 * @param snapshotsInstalled snapshots installed by lagging replicas
 */
public record Coverage(long leadersElected, long logReplicaLeaderships, long crashes, long crashesWithUnsyncedWrites, long pauses, long partitions,
    long oneWayCuts, long membershipChanges, long transfers, long snapshotsInstalled) {
  public static final Coverage NONE = new Coverage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public Coverage plus(Coverage o) {
    return new Coverage(leadersElected + o.leadersElected, logReplicaLeaderships + o.logReplicaLeaderships,
        crashes + o.crashes,
        crashesWithUnsyncedWrites + o.crashesWithUnsyncedWrites, pauses + o.pauses, partitions + o.partitions,
        oneWayCuts + o.oneWayCuts, membershipChanges + o.membershipChanges, transfers + o.transfers,
        snapshotsInstalled + o.snapshotsInstalled);
  }
}
