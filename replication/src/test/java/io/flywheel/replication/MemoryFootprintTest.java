package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rough measure of what an idle group costs: many three-replica groups, each with an elected,
 * serving leader and nothing to do, counted by heap growth (logs with their NOOP entry included).
 * The JMH benchmark of the simulator work measures it properly; this keeps it from regressing badly.
 */
class MemoryFootprintTest {
  private static final int GROUPS = 2_000;

  private static final class Group {
    final Replica[] replicas = new Replica[3];
    final MemoryLog[] logs = new MemoryLog[3];
  }

  private static Group idleGroup(long groupId, long clock) {
    Group g = new Group();
    Membership m = Membership.fullVoters(1, 2, 3);
    for (int i = 0; i < 3; i++) {
      g.logs[i] = new MemoryLog();
      g.replicas[i] = Replica.start(Config.defaults(), groupId, i + 1, HardState.bootstrap(m), 0, g.logs[i],
          RandomSource.seeded(groupId * 3 + i), clock);
    }
    long t = clock;
    List<Message> inFlight = new ArrayList<>();
    for (int step = 0; step < 1_000; step++) {
      t += 10_000_000L;
      for (Replica r : g.replicas) {
        r.tick(t);
      }
      for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 3; i++) {
          Replica r = g.replicas[i];
          while (r.hasReady()) {
            Ready rd = r.ready();
            inFlight.addAll(rd.messages());
            g.logs[i].write(rd.entries());
            if (rd.lastEntry() != null) {
              r.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
            }
            inFlight.addAll(rd.messagesAfterPersist());
            r.advance(rd);
          }
        }
        List<Message> batch = new ArrayList<>(inFlight);
        inFlight.clear();
        for (Message msg : batch) {
          g.replicas[(int) msg.to() - 1].receive(msg);
        }
      }
      boolean serving = false;
      for (Replica r : g.replicas) {
        serving |= r.status().serving();
      }
      if (serving && step > 300) {
        return g;
      }
    }
    throw new AssertionError("group " + groupId + " never served");
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  @Test
  void anIdleReplicaWithItsLeaderStateTakesLessThanFourKilobytes() {
    List<Group> groups = new ArrayList<>(GROUPS);
    groups.add(idleGroup(0, 0)); // warm up class loading before measuring
    long before = usedHeap();
    for (int g = 1; g <= GROUPS; g++) {
      groups.add(idleGroup(g, 0));
    }
    long after = usedHeap();
    long perReplica = (after - before) / (GROUPS * 3L);
    System.out.println("idle replica footprint ~" + perReplica + " bytes (including its MemoryLog)");
    assertThat(groups).hasSize(GROUPS + 1);
    assertThat(perReplica).isLessThan(4_096);
  }
}
