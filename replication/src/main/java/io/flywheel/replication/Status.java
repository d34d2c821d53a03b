package io.flywheel.replication;

/**
 * A snapshot of a replica's state for hosts, simulators and checkers (not needed to drive it).
 *
 * @param serving leads and holds the lease now: may serve strongly consistent reads and take writes
 * @param leaseExpiryNanos when the lease lapses on this replica's clock ({@link Long#MIN_VALUE} when none)
 */
public record Status(
    long nodeId,
    Role role,
    long ballot,
    long leaderId,
    long commitIndex,
    long lastIndex,
    long appliedIndex,
    boolean serving,
    long leaseExpiryNanos,
    Membership membership) {}
