package io.flywheel.replication;

import io.flywheel.base.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replication core alone (issue 4, must show 6): no I/O, no network, no threads — replicas of
 * in-memory groups driven through their Readies by one thread, the way a host's worker loop does.
 * A <em>step</em> is one input to a replica ({@code tick}, {@code receive}, {@code propose}) with
 * the Ready it produces carried out; the {@code steps} counter reports them per second.
 *
 * <ul>
 *   <li>{@code oneGroup}: a leader and two followers; each operation proposes a 1 KB command at the
 *       leader and runs the group until it is quiet (appends, acknowledgements, commit, apply on all
 *       three). Logs are collected below the floor, so memory stays flat.
 *   <li>{@code tenThousandGroups}: 10,000 three-replica groups on one host; each operation is one
 *       millisecond of the host's life: every replica ticks (heartbeats every 100 ms), 1 % of the
 *       groups take a 1 KB proposal, and everything runs until quiet.
 *   <li>{@code idleGroupFootprint}: bytes per idle three-replica group with a serving leader (its
 *       three replicas and their in-memory logs), from the heap growth over 2,000 such groups,
 *       measured after repeated GCs; reported as the {@code bytesPerIdleGroup} counter.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplicationCoreBenchmark {
  static final long MS = 1_000_000L;
  static final byte[] COMMAND = new byte[1024];

  /** Steps taken, as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Steps {
    public long steps;

    @Setup(Level.Iteration)
    public void reset() {
      steps = 0;
    }
  }

  /** One group of three replicas with in-memory logs, carried through its Readies by the caller's thread. */
  static final class Group {
    final Replica[] replicas = new Replica[3];
    final MemoryLog[] logs = new MemoryLog[3];
    final long[] applied = new long[3];
    final ArrayList<Message> inFlight = new ArrayList<>();
    long steps;

    Group(long groupId, long nowNanos) {
      Membership m = Membership.fullVoters(1, 2, 3);
      for (int i = 0; i < 3; i++) {
        logs[i] = new MemoryLog();
        replicas[i] = Replica.start(Config.defaults(), groupId, i + 1, HardState.bootstrap(m), 0, logs[i],
            RandomSource.seeded(groupId * 3 + i), nowNanos);
        replicas[i].archived(Long.MAX_VALUE); // no archive: collect the log below the floor
      }
    }

    void tick(long nowNanos) {
      for (Replica r : replicas) {
        r.tick(nowNanos);
        steps++;
      }
    }

    /** Carries out Readies and delivers messages until the group is quiet. */
    void runUntilQuiet() {
      for (int round = 0; round < 100; round++) {
        boolean any = false;
        for (int i = 0; i < 3; i++) {
          Replica r = replicas[i];
          while (r.hasReady()) {
            any = true;
            Ready rd = r.ready();
            inFlight.addAll(rd.messages());
            logs[i].write(rd.entries());
            if (rd.lastEntry() != null) {
              r.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
            }
            inFlight.addAll(rd.messagesAfterPersist());
            if (!rd.committedEntries().isEmpty()) {
              applied[i] = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
              r.applied(applied[i]);
            }
            if (rd.logFloor().isPresent()) {
              logs[i].compact(rd.logFloor().getAsLong());
            }
            r.advance(rd);
          }
        }
        if (inFlight.isEmpty()) {
          if (!any) {
            return;
          }
          continue;
        }
        for (int k = 0; k < inFlight.size(); k++) {
          Message msg = inFlight.get(k);
          replicas[(int) msg.to() - 1].receive(msg);
          steps++;
        }
        inFlight.clear();
      }
      throw new IllegalStateException("the group did not settle");
    }

    Replica leader() {
      for (Replica r : replicas) {
        if (r.status().serving()) {
          return r;
        }
      }
      return null;
    }
  }

  /** Runs a new group (ticking every 50 ms) until its leader serves; returns the time reached. */
  static long elect(Group g, long nowNanos) {
    long t = nowNanos;
    for (int step = 0; step < 1_000; step++) {
      t += 50 * MS;
      g.tick(t);
      g.runUntilQuiet();
      if (g.leader() != null) {
        return t;
      }
    }
    throw new IllegalStateException("no leader served");
  }

  @State(Scope.Thread)
  public static class OneGroup {
    Group group;
    Replica leader;
    long now;

    @Setup(Level.Trial)
    public void setUp() {
      group = new Group(1, 0);
      now = elect(group, 0);
      leader = group.leader();
    }
  }

  @Benchmark
  public long oneGroup(OneGroup s, Steps steps) {
    Group g = s.group;
    g.steps = 0;
    s.now += 10_000; // 10 µs per proposal: heartbeats keep the lease every 10,000 proposals
    g.tick(s.now);
    if (!s.leader.takesProposals()) {
      throw new IllegalStateException("the leader stopped taking proposals");
    }
    s.leader.propose(COMMAND);
    g.steps++;
    g.runUntilQuiet();
    steps.steps += g.steps;
    return g.applied[0];
  }

  @State(Scope.Thread)
  public static class ManyGroups {
    static final int GROUPS = 10_000;
    static final int BUSY_PERCENT = 1;
    Group[] groups;
    long now;
    int nextBusy;

    @Setup(Level.Trial)
    public void setUp() {
      groups = new Group[GROUPS];
      long t = 0;
      for (int i = 0; i < GROUPS; i++) {
        groups[i] = new Group(i + 1, 0);
        t = Math.max(t, elect(groups[i], 0));
      }
      now = t;
    }
  }

  @Benchmark
  @Warmup(iterations = 3, time = 3)
  @Measurement(iterations = 5, time = 3)
  public long tenThousandGroups(ManyGroups s, Steps steps) {
    s.now += MS;
    int busy = ManyGroups.GROUPS * ManyGroups.BUSY_PERCENT / 100;
    long taken = 0;
    for (int i = 0; i < busy; i++) {
      Group g = s.groups[s.nextBusy];
      s.nextBusy = (s.nextBusy + 1) % ManyGroups.GROUPS;
      Replica leader = g.leader();
      if (leader != null && leader.takesProposals()) {
        leader.propose(COMMAND);
        g.steps++;
        taken++;
      }
    }
    for (Group g : s.groups) {
      g.tick(s.now);
      g.runUntilQuiet();
      steps.steps += g.steps;
      g.steps = 0;
    }
    return taken;
  }

  /** Bytes per idle group, as a counter. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Footprint {
    public long bytesPerIdleGroup;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public int idleGroupFootprint(Footprint f) {
    int n = 2_000;
    List<Group> groups = new ArrayList<>(n + 1);
    Group warm = new Group(0, 0);
    elect(warm, 0);
    groups.add(warm); // class loading and JIT before the first measurement
    long before = settledHeapBytes();
    for (int i = 1; i <= n; i++) {
      Group g = new Group(i, 0);
      elect(g, 0);
      g.inFlight.trimToSize();
      groups.add(g);
    }
    long after = settledHeapBytes();
    f.bytesPerIdleGroup = (after - before) / n;
    return groups.size();
  }

  /** The least used heap over several full collections: what is reachable, without floating garbage. */
  static long settledHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      least = Math.min(least, rt.totalMemory() - rt.freeMemory());
    }
    return least;
  }
}
