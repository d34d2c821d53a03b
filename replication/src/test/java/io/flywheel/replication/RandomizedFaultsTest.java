package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not the simulator (that is another module's job): a quick seeded storm over the test cluster to
 * shake out bugs in the core. Clocks drift within the configured bound; messages are delayed, reordered, duplicated and
 * dropped; nodes are isolated and restarted; leaders take proposals and reads; membership changes
 * swap replicas in and out. After every step: at most one replica serves, every read sees every
 * write acknowledged in an earlier step, applied logs agree, and at the end every acknowledged
 * proposal is applied where it was acknowledged.
 */
class RandomizedFaultsTest {
  /** Seeds per test; raise it for a soak: {@code -Dreplication.seeds=2000}. */
  private static final int SEEDS = Integer.getInteger("replication.seeds", 24);
  private static final int STEPS = 2_500;

  @Test
  void underRandomFaultsAtMostOneReplicaServesAndAcknowledgedProposalsAreNeverLost() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      runSeed(seed, false);
    }
  }

  @Test
  void underRandomFaultsAndMembershipChangesTheSameHolds() {
    for (long seed = 101; seed <= 100 + SEEDS; seed++) {
      runSeed(seed, true);
    }
  }

  private static void runSeed(long seed, boolean changeMembership) {
    RandomSource random = RandomSource.seeded(seed);
    TestCluster c = new TestCluster(Config.defaults(), Membership.fullVoters(1, 2, 3), seed);
    // Clocks drift apart by up to 4% (36 ms over a 900 ms lease, within the 50 ms bound).
    for (TestCluster.Node n : c.nodes()) {
      n.driftPpm = random.nextInt(40_001) - 20_000;
    }
    long nextNode = 4;
    Map<Long, Map<Long, String>> proposed = new HashMap<>(); // node -> proposal id -> command
    List<long[]> acknowledged = new ArrayList<>(); // {node, index}
    Map<Long, Integer> ackSeen = new HashMap<>();
    Map<Long, Integer> readSeen = new HashMap<>();
    long ackedBeforeThisStep = 0; // the highest index acknowledged in an earlier step
    List<String> ackCommands = new ArrayList<>();
    long isolatedUntil = -1;
    long isolatedNode = 0;
    int commandNo = 0;
    for (int step = 0; step < STEPS; step++) {
      String at = "seed " + seed + " step " + step;
      c.advanceAllReal(10 * MS);
      c.processAll();
      // The network: each message is delivered, kept for later (reordering), duplicated or dropped.
      List<Message> batch = c.take(m -> true);
      for (Message m : batch) {
        int roll = random.nextInt(100);
        if (roll < 70) {
          c.deliver(m);
        } else if (roll < 85) {
          c.network.add(m);
        } else if (roll < 90) {
          c.deliver(m);
          c.network.add(m);
        }
      }
      c.processAll();
      // Faults.
      if (isolatedUntil >= 0 && step >= isolatedUntil) {
        c.heal();
        isolatedUntil = -1;
      } else if (isolatedUntil < 0 && random.nextInt(200) == 0) {
        List<Long> ids = ids(c);
        isolatedNode = ids.get(random.nextInt(ids.size()));
        c.isolate(isolatedNode);
        isolatedUntil = step + 50 + random.nextInt(300);
      }
      if (random.nextInt(400) == 0) {
        List<Long> ids = ids(c);
        c.restart(ids.get(random.nextInt(ids.size())));
      }
      // Clients.
      for (long leader : c.leaders()) {
        if (random.nextInt(3) == 0) {
          String command = "c" + (commandNo++);
          long id = c.propose(leader, command);
          proposed.computeIfAbsent(leader, k -> new HashMap<>()).put(id, command);
        }
        c.read(leader, step);
        if (changeMembership && random.nextInt(300) == 0) {
          List<Member> target = swapOne(c.replica(leader).status().membership(), nextNode, random);
          c.addJoiner(nextNode).driftPpm = random.nextInt(40_001) - 20_000;
          c.replica(leader).changeMembership(target);
          nextNode++;
        }
      }
      c.processAll();
      // Invariants after every step.
      assertThat(c.servingNodes()).as(at + ": at most one replica serves\n" + c.describe()).hasSizeLessThanOrEqualTo(1);
      long ackedThisStep = ackedBeforeThisStep;
      for (TestCluster.Node n : c.nodes()) {
        // A read decided now must see every write acknowledged in an earlier step (linearizable reads).
        int readsSeen = readSeen.getOrDefault(n.id, 0);
        for (int i = readsSeen; i < n.reads.size(); i++) {
          assertThat(n.reads.get(i).index()).as(at + ": read at node " + n.id + " misses an acknowledged write\n"
              + c.describe()).isGreaterThanOrEqualTo(ackedBeforeThisStep);
        }
        readSeen.put(n.id, n.reads.size());
        Map<Long, String> mine = proposed.getOrDefault(n.id, Map.of());
        int seen = ackSeen.getOrDefault(n.id, 0);
        for (int i = seen; i < n.acks.size(); i++) {
          Ready.Acknowledged a = n.acks.get(i);
          acknowledged.add(new long[] {n.id, a.index()});
          ackedThisStep = Math.max(ackedThisStep, a.index());
          ackCommands.add(mine.get(a.proposalId()));
        }
        ackSeen.put(n.id, n.acks.size());
      }
      ackedBeforeThisStep = ackedThisStep;
      assertAppliedLogsAgree(c, at);
    }
    // Heal everything and let the group settle: it must elect a serving leader and apply everything acknowledged.
    c.heal();
    for (int i = 0; i < 600; i++) {
      c.advanceAllReal(10 * MS).stabilize();
    }
    String at = "seed " + seed + " at the end";
    assertThat(c.servingNodes()).as(at + "\n" + c.describe()).hasSize(1);
    long leader = c.servingNodes().get(0);
    List<Entry> applied = c.node(leader).applied;
    for (int i = 0; i < acknowledged.size(); i++) {
      long index = acknowledged.get(i)[1];
      assertThat(applied.size()).as(at).isGreaterThanOrEqualTo((int) index);
      Entry e = applied.get((int) index - 1);
      assertThat(new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8))
          .as(at + ": acknowledged proposal at index " + index).isEqualTo(ackCommands.get(i));
    }
    assertAppliedLogsAgree(c, at);
  }

  private static List<Long> ids(TestCluster c) {
    List<Long> ids = new ArrayList<>();
    for (TestCluster.Node n : c.nodes()) {
      ids.add(n.id);
    }
    return ids;
  }

  /** Replaces one member with a new node, of a random kind, keeping at least one full voter. */
  private static List<Member> swapOne(Membership current, long newNode, RandomSource random) {
    List<Member> members = new ArrayList<>(current.members());
    int victim = random.nextInt(members.size());
    members.remove(victim);
    MemberKind kind = switch (random.nextInt(3)) {
      case 0 -> MemberKind.LOG_VOTER;
      case 1 -> MemberKind.LEARNER;
      default -> MemberKind.FULL_VOTER;
    };
    members.add(new Member(newNode, kind));
    return members;
  }

  /** Every two replicas applied the same entries, one a prefix of the other (log replicas apply none). */
  private static void assertAppliedLogsAgree(TestCluster c, String at) {
    List<TestCluster.Node> nodes = new ArrayList<>();
    c.nodes().forEach(nodes::add);
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        List<Entry> a = nodes.get(i).applied;
        List<Entry> b = nodes.get(j).applied;
        int n = Math.min(a.size(), b.size());
        assertThat(a.subList(0, n)).as(at + ": nodes %d and %d applied the same entries", nodes.get(i).id,
            nodes.get(j).id).isEqualTo(b.subList(0, n));
      }
    }
  }
}
