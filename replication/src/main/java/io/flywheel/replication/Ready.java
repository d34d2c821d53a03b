package io.flywheel.replication;

import io.flywheel.replication.Message.InstallSnapshot;
import java.util.List;
import java.util.OptionalLong;

/**
 * Everything a replica asks its host to do after a batch of inputs: one immutable record returned
 * by {@link Replica#ready()}.
 *
 * <h2>The host contract, in this order</h2>
 *
 * <ol>
 *   <li><b>Send {@link #messages()}</b> at any time from now on (they depend on nothing unpersisted
 *       on this replica; a leader's appends may go out while it persists the same entries).
 *   <li><b>Persist</b>, in one durable (fsynced) write, ordered after the writes of earlier
 *       Readies: {@link #hardState()} if non-null, and {@link #entries()}, which replace every
 *       stored entry from {@code entries().get(0).index()} on. Then call {@link
 *       Replica#logPersisted} with the last entry's index and ballot (see {@link #lastEntry()}), so
 *       the core may count the entries as durable and drop its in-memory copies.
 *   <li><b>Only after that write is durable, send {@link #messagesAfterPersist()}</b>: votes and
 *       acknowledgements, which promise what was just persisted.
 *   <li><b>Before applying anything of this Ready</b>, if {@link #messages()} holds an {@link
 *       InstallSnapshot}, capture the state machine for it: its {@code snapshotIndex} is the applied
 *       index as of the previous Ready, which is exactly what the host has applied at this point.
 *   <li><b>Apply {@link #committedEntries()}</b> in order (after the persist of step 2; they may
 *       include entries of this very Ready). Entries of kind NOOP and CONFIG take an index and
 *       must be counted as applied but change no item.
 *   <li>Complete proposals in {@link #acknowledged()} once their index is applied; serve reads in
 *       {@link #readStates()} once the applied index reaches theirs; deliver {@link #rejections()}.
 *   <li>If {@link #snapshotToInstall()} is non-null, fetch and install that snapshot from the
 *       named node (outside the core) and later call {@link Replica#snapshotInstalled}.
 *   <li>Garbage-collect the log below {@link #logFloor()} when present (any time later).
 *   <li>Call {@link Replica#advance(Ready)}. No other Ready can be taken before it.
 * </ol>
 *
 * A host may carry out the Readies of many groups together (one fsync for all of them), as long
 * as each group's steps keep this order.
 *
 * @param hardState ballot, vote, commit index and committed membership to persist; null if unchanged
 * @param entries entries to persist, contiguous; they replace stored entries from the first's index on
 * @param messages to send now
 * @param messagesAfterPersist to send only once this Ready's write is durable
 * @param committedEntries committed entries to apply, in index order (never on a log replica)
 * @param readStates strongly consistent reads now safe to serve, each once applied up to its index
 * @param acknowledged proposals of this leader now committed (acknowledge once applied)
 * @param rejections proposals and reads not taken
 * @param snapshotToInstall a snapshot this replica must install, or null
 * @param roleChange the new role, ballot and leader, when any of them changed; else null
 * @param leaseChange the new serving state, when it changed; else null
 * @param logFloor entries below this index are no longer needed; empty if it did not rise
 */
public record Ready(
    HardState hardState,
    List<Entry> entries,
    List<Message> messages,
    List<Message> messagesAfterPersist,
    List<Entry> committedEntries,
    List<ReadState> readStates,
    List<Acknowledged> acknowledged,
    List<Rejection> rejections,
    SnapshotToInstall snapshotToInstall,
    RoleChange roleChange,
    LeaseChange leaseChange,
    OptionalLong logFloor) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    messagesAfterPersist = List.copyOf(messagesAfterPersist);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
    acknowledged = List.copyOf(acknowledged);
    rejections = List.copyOf(rejections);
  }

  /** A strongly consistent read that may be served once the applied index reaches {@code index}. */
  public record ReadState(long readId, long index) {}

  /** A proposal committed at {@code index}: acknowledge it once {@code index} is applied. */
  public record Acknowledged(long proposalId, long index) {}

  /** This replica's role, ballot and known leader ({@link Replica#NO_NODE} if none) after the change. */
  public record RoleChange(Role role, long ballot, long leaderId) {}

  /**
   * Whether this replica now serves (leads, holds the lease, has committed an entry of its ballot),
   * and until when its lease holds on its clock ({@link Long#MIN_VALUE} when it holds none).
   */
  public record LeaseChange(boolean serving, long leaseExpiryNanos) {}

  /** Install the state as of {@code index} (entry ballot {@code ballot}) fetched from {@code fromNode}. */
  public record SnapshotToInstall(long index, long ballot, Membership membership, long fromNode) {}

  /** The last entry to persist, or null: what {@link Replica#logPersisted} is called with. */
  public Entry lastEntry() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  /** Nothing to do (a host may skip persisting and still must call {@link Replica#advance}). */
  public boolean isEmpty() {
    return hardState == null
        && entries.isEmpty()
        && messages.isEmpty()
        && messagesAfterPersist.isEmpty()
        && committedEntries.isEmpty()
        && readStates.isEmpty()
        && acknowledged.isEmpty()
        && rejections.isEmpty()
        && snapshotToInstall == null
        && roleChange == null
        && leaseChange == null
        && logFloor.isEmpty();
  }
}
