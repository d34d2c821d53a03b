package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismAndRestartTest {
  /** A scripted failover with proposals, reads and a dropped link; returns every Ready of every node as text. */
  private static List<String> script(long seed) {
    TestCluster c = new TestCluster(Config.defaults(), Membership.fullVoters(1, 2, 3), seed);
    c.run(3 * c.config.electionTimeoutNanos());
    long leader = c.leaders().get(0);
    for (int i = 0; i < 20; i++) {
      c.propose(leader, "c" + i);
      c.read(leader, i);
      c.run(30 * MS);
    }
    c.isolate(leader).run(3 * c.config.electionTimeoutNanos());
    c.heal().run(c.config.electionTimeoutNanos());
    List<String> trace = new ArrayList<>();
    for (TestCluster.Node n : c.nodes()) {
      for (Ready rd : n.readies) {
        trace.add(n.id + ": " + rd);
      }
    }
    return trace;
  }

  @Test
  void theSameInputsAndSeedGiveTheSameReadiesByteForByte() {
    List<String> first = script(42);
    List<String> second = script(42);
    assertThat(first).hasSizeGreaterThan(100).isEqualTo(second);
    assertThat(script(43)).as("the seed matters (timer jitter)").isNotEqualTo(first);
  }

  @Test
  void aRestartedFollowerResumesFromItsDurableStateAndCatchesUp() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    c.isolate(3);
    c.propose(1, "b");
    c.stabilize();
    c.restart(3); // forgets everything in memory: ballot, vote, commit index come from its HardState
    assertThat(c.replica(3).status().ballot()).isEqualTo(1);
    assertThat(c.replica(3).status().commitIndex()).isEqualTo(c.node(3).hard.commitIndex());
    c.heal().run(3 * c.config.heartbeatIntervalNanos());
    assertThat(c.node(3).appliedCommands()).containsExactly("a", "b");
    assertThat(c.leaders()).containsExactly(1L);
  }

  @Test
  void aRestartedLeaderComesBackAsAFollowerAndTheGroupServesAgain() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize();
    c.restart(1);
    assertThat(c.replica(1).status().role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.replica(1).status().serving()).isFalse();
    for (int i = 0; i < 400 && c.servingNodes().isEmpty(); i++) {
      c.run(10 * MS);
    }
    assertThat(c.servingNodes()).hasSize(1);
    long leader = c.servingNodes().get(0);
    c.propose(leader, "b");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    for (long id = 1; id <= 3; id++) {
      assertThat(c.node(id).appliedCommands()).as("node %d", id).containsExactly("a", "b");
    }
  }
}
