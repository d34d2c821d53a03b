package io.flywheel.replicahost;

import io.flywheel.base.Bytes;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.Space;
import io.flywheel.replication.Entry;
import io.flywheel.replication.EntryKind;
import io.flywheel.replication.HardState;
import io.flywheel.replication.Message;
import io.flywheel.replication.Ready;
import io.flywheel.replication.Rejection;
import io.flywheel.replication.Replica;
import io.flywheel.replication.Role;
import io.flywheel.replication.Status;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One hosted replica of one group: the consensus core, its stored log, the role's state machine,
 * and the proposals in flight. Everything but the volatile fields belongs to the group's worker
 * thread (or, before the worker adopts it, to the registering thread).
 *
 * <h2>Deciding on the leader</h2>
 *
 * A command is decided ({@link StateMachine#evaluate}) only when the core will append its entry
 * ({@link Replica#takesProposals()}) and the state machine has applied every entry that is not one
 * of this leadership's own decisions ({@link #decideFloor}): then the applied state plus the
 * decisions in flight is the latest state. An appended decision completes when the core
 * acknowledges it and its index is applied. A decision that appends nothing (a failed condition,
 * a read-only step) may depend on decisions still in flight, so it completes only once the index
 * it saw last is applied; leadership lost before that makes it fail as NOT_LEADER (it changed
 * nothing). Leadership lost with appended decisions in flight makes those OUTCOME_UNKNOWN, and the
 * state machine forgets every decision not applied.
 */
final class HostedGroup<C> {
  private static final System.Logger LOG = System.getLogger(HostedGroup.class.getName());

  final long id;
  final StateMachine<C> stateMachine;
  final Worker worker;
  final Replica replica;
  final StoredLog log;
  private final KvEngine kv;
  private final HostConfig config;

  long appliedIndex;
  /** Decide only once {@link #appliedIndex} reaches this (no leadership: never). */
  private long decideFloor = Long.MAX_VALUE;
  private boolean leading;
  private HardState persistedHardState;
  /** A Ready taken after the loop's sync that needs a sync of its own: carried out next loop. */
  Ready carried;
  /** Tick counter of the last loop that ticked this group. */
  long tickedInLoop = -1;
  /** Set when a drop of this group is queued: later proposals fail. */
  boolean dropping;
  private boolean warnedSnapshot;

  private record Appended(CompletableFuture<Object> future, Object result) {}

  private record Waiting(long index, CompletableFuture<Object> future, Object result, RuntimeException error) {}

  record Held(Object command, CompletableFuture<Object> future, long deadlineNanos) {}

  /** Appended decisions not yet acknowledged, by proposal id. */
  private final HashMap<Long, Appended> appended = new HashMap<>();
  /** Acknowledged decisions whose index is not applied yet, in index order. */
  private final ArrayDeque<Waiting> acknowledged = new ArrayDeque<>();
  /** Decisions that appended nothing, waiting for the index they saw last, in index order. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** Proposals waiting for this new leader to serve. */
  final ArrayDeque<Held> held = new ArrayDeque<>();

  volatile RuntimeException failure;
  /** Strongly consistent reads of the applied state are safe until then (monotonic clock); MIN_VALUE: not at all. */
  volatile long readableUntilNanos = Long.MIN_VALUE;
  volatile long leaderHint = Replica.NO_NODE;

  HostedGroup(long id, StateMachine<C> stateMachine, Worker worker, Replica replica, StoredLog log, KvEngine kv,
      HostConfig config, long appliedIndex, HardState persistedHardState) {
    this.id = id;
    this.stateMachine = stateMachine;
    this.worker = worker;
    this.replica = replica;
    this.log = log;
    this.kv = kv;
    this.config = config;
    this.appliedIndex = appliedIndex;
    this.persistedHardState = persistedHardState;
  }

  /** Whether this group needs the time even when idle: it has peers, or it has not won its election yet. */
  boolean needsPeriodicTicks() {
    return !leading || replica.hasPeers();
  }

  /** Whether the worker has anything to do for this group in the next loop without new tasks. */
  boolean hasWork() {
    return carried != null || replica.hasReady();
  }

  // ---- proposals ----

  @SuppressWarnings("unchecked")
  void propose(Object command, CompletableFuture<Object> future, long nowNanos, Loop loop) {
    if (failure != null) {
      future.completeExceptionally(new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED, "group " + id + " stopped"));
      return;
    }
    if (dropping) {
      future.completeExceptionally(new HostRejectedException(HostRejectedException.Reason.NO_SUCH_GROUP, "group " + id + " was dropped"));
      return;
    }
    if (!mayDecide()) {
      if (leading && held.size() < config.heldProposalsMax()) {
        held.add(new Held(command, future, nowNanos + config.holdProposalNanos()));
      } else {
        future.completeExceptionally(notLeader());
      }
      return;
    }
    decide((C) command, future, loop);
  }

  private boolean mayDecide() {
    return failure == null && replica.takesProposals() && appliedIndex >= decideFloor;
  }

  private void decide(C command, CompletableFuture<Object> future, Loop loop) {
    long index = replica.lastIndex() + 1;
    Evaluation evaluation;
    try {
      evaluation = stateMachine.evaluate(command, index);
    } catch (RuntimeException e) {
      evaluation = new Evaluation.Reject(e);
    }
    switch (evaluation) {
      case Evaluation.Append a -> {
        long proposalId = replica.propose(a.entry());
        if (replica.lastIndex() != index) {
          // The core refused a command it said it would take: never happens unless the entry is
          // larger than the core allows. Decisions after it may have built on it: forget them all.
          loseDecisions("proposal of " + a.entry().length + " bytes was not appended");
          future.completeExceptionally(new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED,
              "group " + id + " refused an entry of " + a.entry().length + " bytes"));
          return;
        }
        appended.put(proposalId, new Appended(future, a.result()));
        loop.logBytes += a.entry().length;
      }
      case Evaluation.Done d -> settleLater(index - 1, future, d.result(), null);
      case Evaluation.Reject r -> settleLater(index - 1, future, null, r.error());
    }
  }

  private void settleLater(long sawIndex, CompletableFuture<Object> future, Object result, RuntimeException error) {
    Waiting w = new Waiting(sawIndex, future, result, error);
    if (sawIndex <= appliedIndex && waiting.isEmpty()) {
      complete(w);
    } else {
      waiting.add(w);
    }
  }

  private static void complete(Waiting w) {
    if (w.error() != null) {
      w.future().completeExceptionally(w.error());
    } else {
      w.future().complete(w.result());
    }
  }

  /** Proposals held for a new leader: decided once it serves, refused when it cannot or they waited too long. */
  void retryHeld(long nowNanos, Loop loop) {
    while (!held.isEmpty()) {
      Held h = held.peek();
      if (mayDecide()) {
        held.poll();
        propose(h.command(), h.future(), nowNanos, loop);
      } else if (!leading || nowNanos >= h.deadlineNanos()) {
        held.poll();
        h.future().completeExceptionally(notLeader());
      } else {
        return;
      }
    }
  }

  private HostRejectedException notLeader() {
    return new HostRejectedException(HostRejectedException.Reason.NOT_LEADER, "replica of group " + id + " does not lead", leaderHint);
  }

  // ---- carrying out Readies ----

  /** The Ready to carry out in this loop's synced write: the one carried over, or a new one. */
  Ready take() {
    if (carried != null) {
      Ready rd = carried;
      carried = null;
      return rd;
    }
    return replica.hasReady() ? replica.ready() : null;
  }

  /** Step 1 and the first half of 2 of the Ready contract: send what may go now, stage what must be persisted. */
  void stage(Ready rd, KvBatch logBatch, Loop loop) {
    for (Message m : rd.messages()) {
      loop.send(m);
    }
    if (rd.hardState() != null) {
      logBatch.put(Space.DATA, LogKeys.entryKey(id, LogKeys.HARD_STATE), LogKeys.encodeHardState(rd.hardState()));
    }
    log.stage(rd.entries(), logBatch);
  }

  /**
   * The rest of the Ready contract once the staged write is durable; then every Ready that needs
   * no sync of its own (the commit index moved: apply and acknowledge) is carried out at once, and
   * the first that does is kept for the next loop.
   */
  void finish(Ready rd, Loop loop) {
    finishDurable(rd, loop);
    while (failure == null && replica.hasReady()) {
      Ready next = replica.ready();
      if (needsSync(next)) {
        carried = next;
        return;
      }
      for (Message m : next.messages()) {
        loop.send(m);
      }
      if (next.hardState() != null) {
        loop.lightWrite(LogKeys.entryKey(id, LogKeys.HARD_STATE), LogKeys.encodeHardState(next.hardState()));
      }
      finishDurable(next, loop);
    }
  }

  /**
   * A Ready must be persisted with a sync when it carries entries or a changed ballot, vote or
   * membership. A moved commit index alone need not be: after a crash the applied index (which
   * never passes it) restores it, and everything else catches up from the leader.
   */
  private boolean needsSync(Ready rd) {
    if (!rd.entries().isEmpty()) {
      return true;
    }
    HardState h = rd.hardState();
    if (h == null) {
      return false;
    }
    HardState p = persistedHardState;
    return p == null || h.ballot() != p.ballot() || h.votedFor() != p.votedFor() || h.membershipIndex() != p.membershipIndex()
        || !h.membership().equals(p.membership());
  }

  private void finishDurable(Ready rd, Loop loop) {
    if (rd.hardState() != null) {
      persistedHardState = rd.hardState();
    }
    log.persisted(rd.entries());
    Entry last = rd.lastEntry();
    if (last != null) {
      replica.logPersisted(last.index(), last.ballot());
    }
    for (Message m : rd.messagesAfterPersist()) {
      loop.send(m);
    }
    for (Message m : rd.messages()) {
      if (m instanceof Message.InstallSnapshot && !warnedSnapshot) {
        warnedSnapshot = true;
        LOG.log(System.Logger.Level.WARNING, "group " + id + ": a follower needs a snapshot, which this host cannot send yet");
      }
    }
    if (rd.roleChange() != null) {
      onRoleChange(rd.roleChange());
    }
    if (rd.leaseChange() != null && rd.leaseChange().serving() && leading) {
      // Serving from here on: every entry committed so far must be applied before deciding.
      decideFloor = Math.max(replica.status().commitIndex(), appliedIndex);
    }
    apply(rd, loop);
    for (Ready.Acknowledged a : rd.acknowledged()) {
      Appended p = appended.remove(a.proposalId());
      if (p != null) {
        acknowledged.add(new Waiting(a.index(), p.future(), p.result(), null));
      }
    }
    for (Rejection r : rd.rejections()) {
      onRejection(r);
    }
    if (rd.logFloor().isPresent()) {
      StoredLog.Truncation t = log.truncateBelow(rd.logFloor().getAsLong());
      if (t != null) {
        loop.truncations.add(t);
      }
    }
    if (rd.snapshotToInstall() != null && !warnedSnapshot) {
      warnedSnapshot = true;
      LOG.log(System.Logger.Level.WARNING, "group " + id + ": this replica needs a snapshot, which this host cannot install yet");
    }
    replica.advance(rd);
    settle();
  }

  private void apply(Ready rd, Loop loop) {
    if (rd.committedEntries().isEmpty() || failure != null) {
      return;
    }
    long last = appliedIndex;
    try (KvBatch batch = kv.newBatch()) {
      for (Entry e : rd.committedEntries()) {
        if (e.index() <= appliedIndex) {
          continue; // replayed after a restart that kept the applied index
        }
        if (e.kind() == EntryKind.COMMAND) {
          stateMachine.apply(e.index(), e.payload(), batch);
        }
        last = e.index();
      }
      if (last == appliedIndex) {
        return;
      }
      batch.put(Space.STATE, LogKeys.appliedKey(id), Bytes.ofLong(last));
      kv.write(batch, false);
      appliedIndex = last;
      stateMachine.applied(last);
      loop.appliedEntries += rd.committedEntries().size();
      loop.applied.put(id, last);
    } catch (RuntimeException e) {
      // Fail-stop: the log holds committed entries this replica cannot apply. It stays stopped
      // (after a restart too) until repaired; other groups go on.
      failure = e;
      LOG.log(System.Logger.Level.ERROR, "group " + id + " stopped: an entry failed to apply", e);
      failAll(new HostRejectedException(HostRejectedException.Reason.GROUP_FAILED, "group " + id + " stopped: " + e));
    }
  }

  private void onRoleChange(Ready.RoleChange change) {
    leaderHint = change.leaderId();
    boolean nowLeading = change.role() == Role.LEADER;
    if (leading && !nowLeading) {
      loseDecisions("leadership lost");
    }
    leading = nowLeading;
    if (!leading) {
      decideFloor = Long.MAX_VALUE;
    }
  }

  /**
   * Decisions not applied may never be: forget them, report the appended ones as of unknown
   * outcome and the others as not taken, and decide nothing until what is in the log is applied.
   */
  private void loseDecisions(String why) {
    stateMachine.discardDecisions(kv);
    decideFloor = leading ? replica.lastIndex() : Long.MAX_VALUE;
    HostRejectedException unknown = new HostRejectedException(HostRejectedException.Reason.OUTCOME_UNKNOWN,
        "group " + id + ": " + why + " with the write in flight; it may or may not take effect", leaderHint);
    for (Appended p : appended.values()) {
      p.future().completeExceptionally(unknown);
    }
    appended.clear();
    for (Waiting w : waiting) {
      w.future().completeExceptionally(notLeader());
    }
    waiting.clear();
  }

  private void onRejection(Rejection r) {
    Appended p = appended.remove(r.requestId());
    if (p == null) {
      return; // reported already, or a read
    }
    if (r instanceof Rejection.ProposalDropped d && d.reason() == Rejection.DropReason.LEADERSHIP_LOST) {
      p.future().completeExceptionally(new HostRejectedException(HostRejectedException.Reason.OUTCOME_UNKNOWN,
          "group " + id + ": leadership lost with the write in flight; it may or may not take effect", leaderHint));
    } else {
      p.future().completeExceptionally(notLeader());
      loseDecisions("a decided proposal was rejected (" + r + ")");
    }
  }

  /** Completes what the applied index now allows, and publishes the read lease. */
  void settle() {
    while (!acknowledged.isEmpty() && acknowledged.peek().index() <= appliedIndex) {
      complete(acknowledged.poll());
    }
    while (!waiting.isEmpty() && waiting.peek().index() <= appliedIndex) {
      complete(waiting.poll());
    }
    if (failure != null) {
      readableUntilNanos = Long.MIN_VALUE;
      return;
    }
    Status s = replica.status();
    readableUntilNanos = s.serving() && appliedIndex >= decideFloor ? s.leaseExpiryNanos() : Long.MIN_VALUE;
  }

  /** Fails every proposal this group holds (the group stopped or was dropped). */
  void failAll(RuntimeException error) {
    for (Appended p : appended.values()) {
      p.future().completeExceptionally(error);
    }
    appended.clear();
    for (Iterator<Waiting> it = acknowledged.iterator(); it.hasNext(); ) {
      it.next().future().completeExceptionally(error);
    }
    acknowledged.clear();
    for (Waiting w : waiting) {
      w.future().completeExceptionally(error);
    }
    waiting.clear();
    for (Held h : held) {
      h.future().completeExceptionally(error);
    }
    held.clear();
  }

  /** The host made the item engine durable up to {@code index}: the core may let the log go below it. */
  void durablyApplied(long index) {
    replica.applied(Math.min(index, appliedIndex));
  }

  /** What a worker loop collects from its groups besides the synced log batch. */
  static final class Loop {
    final java.util.ArrayList<Message> outbound = new java.util.ArrayList<>();
    final java.util.ArrayList<StoredLog.Truncation> truncations = new java.util.ArrayList<>();
    final Map<Long, Long> applied = new HashMap<>();
    final java.util.ArrayList<byte[][]> lightWrites = new java.util.ArrayList<>();
    long logBytes;
    long appliedEntries;

    void send(Message m) {
      outbound.add(m);
    }

    void lightWrite(byte[] key, byte[] value) {
      lightWrites.add(new byte[][] {key, value});
    }
  }
}
