package io.flywheel.simulator;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Entry;
import io.flywheel.replication.EntryKind;
import io.flywheel.replication.HardState;
import io.flywheel.replication.MemberKind;
import io.flywheel.replication.Message;
import io.flywheel.replication.Ready;
import io.flywheel.replication.Rejection;
import io.flywheel.replication.Replica;
import io.flywheel.replication.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The host of one replica on one simulated node. It carries out every {@link Ready} exactly as its
 * contract says, with a disk whose fsync takes time: messages go out when the Ready is taken, the
 * write is issued, and only when the fsync completes (an event later) does the host report the
 * entries persisted, send the after-persist messages, apply, answer clients and advance. While the
 * fsync is in flight the replica keeps taking inputs but no new Ready is taken. A crash in that
 * window loses the write.
 *
 * <p>Every input is preceded by a tick at the node's clock reading, so the core judges its lease at
 * the instant a request arrives. A paused node (SIGSTOP) runs nothing until it resumes; its events
 * wait, its clock does not.
 */
final class SimNode {
  final long id;
  final SimClock clock;
  final SimDisk disk;
  private final Simulation sim;
  /** A degraded disk: every fsync takes 5-40 ms. */
  private final boolean slowDisk;
  private RegisterMachine machine = new RegisterMachine();
  Replica replica;
  boolean alive;
  int incarnation;
  long pausedUntilNanos = Long.MIN_VALUE;
  private Ready outstanding;
  /** Snapshots this node captured for followers, by index; the last few only. */
  private final TreeMap<Long, RegisterMachine> captured = new TreeMap<>();

  // Client requests waiting on the replica.
  private final TreeMap<Long, Clients.Request> proposals = new TreeMap<>();
  private final TreeMap<Long, Clients.Request> reads = new TreeMap<>();
  /** Acknowledged proposals waiting to be applied, by index. */
  private final TreeMap<Long, Clients.Request> acked = new TreeMap<>();
  /** A read the replica declared safe: serve it once applied up to {@code index}. */
  private record SafeRead(long index, Clients.Request request) {}

  /** Reads safe to serve once applied up to their index (one per client at most). */
  private final List<SafeRead> safeReads = new ArrayList<>();

  // Checker bookkeeping.
  /** What this node applied at each index (Checkers.key), 0 where it did not apply (a snapshot covered it). */
  final Checkers.LongTable appliedKeys = new Checkers.LongTable();
  long commitChecked;
  long commitSeen;
  boolean servingNow;
  long servingSinceTrueNanos = Long.MIN_VALUE;
  long leaseEndTrueNanos = Long.MIN_VALUE;

  SimNode(Simulation sim, long id, SimClock clock, HardState initial, boolean slowDisk) {
    this.sim = sim;
    this.slowDisk = slowDisk;
    this.id = id;
    this.clock = clock;
    this.disk = new SimDisk(initial);
  }

  RegisterMachine machine() {
    return machine;
  }

  long localNow() {
    return clock.localAt(sim.events.nowNanos());
  }

  /** Starts (or restarts) the replica from the durable state. */
  void start() {
    alive = true;
    incarnation++;
    long now = localNow();
    replica = Replica.start(sim.config, Simulation.GROUP, id, disk.durableHardState(), machine.appliedIndex(),
        disk.visibleLog(), RandomSource.seeded(sim.seed * 1_000_003L + id * 1_009L + incarnation), now);
    replica.archived(Long.MAX_VALUE); // nothing to archive here: collect the log as soon as the core allows
    commitSeen = replica.status().commitIndex();
    scheduleTick(incarnation);
    run(r -> {});
  }

  /** Power loss: the process and every unsynced write are gone; clients waiting on it learn nothing more. */
  void crash() {
    if (!alive) {
      return;
    }
    alive = false;
    incarnation++;
    replica = null;
    outstanding = null;
    disk.crash();
    pausedUntilNanos = Long.MIN_VALUE;
    sim.checkers.nodeStopped(this);
    for (Clients.Request r : proposals.values()) {
      sim.clients.unknown(r);
    }
    for (Clients.Request r : acked.values()) {
      sim.clients.unknown(r);
    }
    for (Clients.Request r : reads.values()) {
      sim.clients.failed(r, Replica.NO_NODE);
    }
    for (SafeRead w : safeReads) {
      sim.clients.failed(w.request(), Replica.NO_NODE);
    }
    proposals.clear();
    acked.clear();
    reads.clear();
    safeReads.clear();
  }

  boolean paused() {
    return sim.events.nowNanos() < pausedUntilNanos;
  }

  /**
   * Runs one input on this node: deferred while it is paused, dropped while it is down; ticks first,
   * carries out the Readies it causes, then runs the per-event checkers.
   */
  void run(Consumer<Replica> input) {
    if (!alive) {
      return;
    }
    if (paused()) {
      int inc = incarnation;
      sim.events.at(pausedUntilNanos, () -> {
        if (incarnation == inc) {
          run(input);
        }
      });
      return;
    }
    try {
      replica.tick(localNow());
      input.accept(replica);
      pump();
    } catch (IllegalStateException | io.flywheel.base.CorruptDataException e) {
      // The core fail-stopped: nothing in this simulation corrupts data, so that is a finding.
      throw new Checkers.Violation("replica fail-stop", "node " + id + ": " + e, e);
    }
    sim.checkers.afterEvent(this);
  }

  private void scheduleTick(int inc) {
    sim.events.after(sim.tickNanos, () -> {
      if (incarnation == inc && alive) {
        run(r -> {});
        scheduleTick(inc);
      }
    });
  }

  void deliver(Message m) {
    run(r -> r.receive(m));
  }

  /** Takes and carries out Readies until one waits on an fsync or none is left. */
  private void pump() {
    for (int i = 0; i < 1_000 && alive && outstanding == null && replica.hasReady(); i++) {
      Ready rd = replica.ready();
      sim.checkers.onReady(this, rd);
      sim.trace.record(Trace.READY, id, rd.entries().size() * 1_000L + rd.committedEntries().size(),
          rd.messages().size() * 1_000L + rd.messagesAfterPersist().size());
      // Before anything of this Ready is applied: capture the state an InstallSnapshot names.
      for (Message m : rd.messages()) {
        if (m instanceof Message.InstallSnapshot s) {
          sim.checkers.check(machine.appliedIndex() == s.snapshotIndex(), "snapshot capture",
              "node " + id + " names snapshot " + s.snapshotIndex() + " but applied " + machine.appliedIndex());
          captured.put(s.snapshotIndex(), machine.copy());
          while (captured.size() > 4) {
            captured.pollFirstEntry();
          }
        }
      }
      // The write is issued first (it reaches only the page cache: the messages do not wait for it),
      // so that the checkers see the replica's log on the host while the messages leave.
      boolean write = rd.hardState() != null || !rd.entries().isEmpty();
      if (write) {
        disk.write(rd.hardState(), rd.entries());
      }
      sim.checkers.afterWrite(this);
      for (Message m : rd.messages()) {
        send(m);
      }
      if (write) {
        outstanding = rd;
        int inc = incarnation;
        sim.events.after(sim.fsyncDelayNanos(slowDisk), () -> {
          if (incarnation == inc && alive) {
            disk.sync();
            run(r -> finish(rd));
          }
        });
        return;
      }
      finish(rd);
    }
  }

  private void send(Message m) {
    sim.checkers.onSend(this, m);
    sim.network.send(m);
  }

  /** The rest of the Ready contract, once its write is durable. */
  private void finish(Ready rd) {
    if (outstanding != null) {
      sim.checkers.check(outstanding == rd, "ready order", "node " + id + " finished a Ready it did not write");
      outstanding = null;
    }
    Entry last = rd.lastEntry();
    if (last != null) {
      replica.logPersisted(last.index(), last.ballot());
    }
    for (Message m : rd.messagesAfterPersist()) {
      send(m);
    }
    for (Ready.Acknowledged a : rd.acknowledged()) {
      Clients.Request r = proposals.remove(a.proposalId());
      if (r != null) {
        acked.put(a.index(), r);
      }
    }
    for (Entry e : rd.committedEntries()) {
      apply(e);
    }
    for (Ready.ReadState rs : rd.readStates()) {
      Clients.Request r = reads.remove(rs.readId());
      if (r != null) {
        safeReads.add(new SafeRead(rs.index(), r));
      }
    }
    serveReads();
    for (Rejection rej : rd.rejections()) {
      reject(rej);
    }
    if (rd.logFloor().isPresent()) {
      disk.compact(rd.logFloor().getAsLong());
    }
    if (machine.appliedIndex() > 0 && replica.status().appliedIndex() >= machine.appliedIndex()) {
      replica.applied(machine.appliedIndex());
    }
    replica.advance(rd);
    if (rd.snapshotToInstall() != null) {
      install(rd.snapshotToInstall());
    }
  }

  private void apply(Entry e) {
    sim.checkers.onApply(this, e);
    appliedKeys.put(e.index(), Checkers.key(e));
    if (e.kind() == EntryKind.COMMAND) {
      RegisterMachine.Command c = RegisterMachine.Command.decode(e.payload());
      long before = machine.apply(e.index(), c);
      Clients.Request r = acked.remove(e.index());
      if (r != null) {
        sim.checkers.check(r.opId() == c.opId(), "acknowledged command applied",
            "node " + id + " acknowledged op " + r.opId() + " at index " + e.index() + " but applied op " + c.opId());
        sim.checkers.onAcknowledged(e);
        sim.clients.completed(r, before);
      }
    } else {
      machine.advance(e.index());
    }
  }

  private void serveReads() {
    for (Iterator<SafeRead> it = safeReads.iterator(); it.hasNext(); ) {
      SafeRead w = it.next();
      if (w.index() <= machine.appliedIndex()) {
        it.remove();
        sim.clients.completed(w.request(), machine.get(w.request().key()));
      }
    }
  }

  private void reject(Rejection rej) {
    Clients.Request r = rej.kind() == Rejection.RequestKind.PROPOSAL ? proposals.remove(rej.requestId())
        : reads.remove(rej.requestId());
    if (r == null) {
      return;
    }
    switch (rej) {
      case Rejection.NotLeader n -> sim.clients.failed(r, n.leaderHint());
      case Rejection.NoLease n -> sim.clients.failed(r, Replica.NO_NODE);
      case Rejection.Overloaded o -> sim.clients.failed(r, id);
      case Rejection.ProposalDropped d -> {
        if (d.reason() == Rejection.DropReason.TOO_LARGE) {
          sim.clients.failed(r, Replica.NO_NODE);
        } else {
          sim.clients.unknown(r); // appended, then leadership was lost: it may still commit
        }
      }
    }
  }

  /** Fetches the named snapshot from its sender (out of band) and installs it, unless it went stale. */
  private void install(Ready.SnapshotToInstall s) {
    SimNode from = sim.node(s.fromNode());
    RegisterMachine state = from == null ? null : from.captured.get(s.index());
    if (state == null || s.index() <= replica.status().commitIndex()) {
      return; // gone or stale: the leader asks again after its retry timeout
    }
    sim.checkers.check(!disk.hasUnsynced(), "snapshot install", "node " + id + " installs over an unsynced write");
    HardState h = disk.visibleHardState();
    disk.installSnapshot(s.index(), s.ballot(),
        new HardState(h.ballot(), h.votedFor(), Math.max(h.commitIndex(), s.index()), s.membership(), s.index()));
    MemberKind kind = s.membership().kindInMembers(id);
    if (kind == null || kind.applies()) {
      machine = state.copy();
    }
    replica.snapshotInstalled(s.index(), s.ballot(), s.membership());
    sim.snapshotsInstalled++;
    sim.trace.record(Trace.APPLY, id, s.index(), -1);
  }

  // ------------------------------------------------------------------------------------------
  // Client requests

  void clientRequest(Clients.Request r) {
    if (!alive) {
      sim.clients.failed(r, Replica.NO_NODE); // connection refused: it never reached a replica
      return;
    }
    run(rep -> {
      if (r.kind() == Op.Kind.READ) {
        reads.put(r.readId(), r);
        rep.read(r.readId());
      } else {
        RegisterMachine.Command c = new RegisterMachine.Command(
            r.kind() == Op.Kind.WRITE ? RegisterMachine.WRITE : RegisterMachine.CAS, r.key(), r.expected(),
            r.value(), r.opId());
        long pid = rep.propose(c.encode());
        proposals.put(pid, r);
      }
    });
  }

  Status status() {
    return replica.status();
  }

  @Override
  public String toString() {
    return "node " + id + (alive ? "" : " (down)") + (slowDisk ? " (slow disk)" : "") + (paused() ? " (paused)" : "") + " drift " + clock.driftPpm()
        + "ppm " + (replica == null ? "" : replica.status().toString()) + " applied " + machine.appliedIndex();
  }
}
