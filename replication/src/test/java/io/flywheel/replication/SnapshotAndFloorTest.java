package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotAndFloorTest {
  @Test
  void aReplicaBehindTheLeadersLogFloorIsToldToInstallASnapshotAndThenFollowsTheLog() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    for (int i = 0; i < 10; i++) {
      c.propose(1, "c" + i);
    }
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    c.archiveEverything().run(2 * c.config.heartbeatIntervalNanos());
    assertThat(c.node(1).log.firstIndex()).as("the leader collected its log").isGreaterThan(5);

    c.addJoiner(4);
    List<Member> target = List.of(Member.fullVoter(1), Member.fullVoter(2), Member.fullVoter(3), Member.learner(4));
    assertThat(c.replica(1).changeMembership(target)).isEqualTo(ControlOutcome.ACCEPTED);
    c.run(10 * c.config.heartbeatIntervalNanos());

    TestCluster.Node learner = c.node(4);
    assertThat(learner.snapshotsRequested).hasSize(1);
    Ready.SnapshotToInstall s = learner.snapshotsRequested.get(0);
    assertThat(s.fromNode()).isEqualTo(1);
    assertThat(s.index()).isGreaterThanOrEqualTo(c.node(1).log.firstIndex() - 1);
    assertThat(s.membership().members()).contains(Member.fullVoter(1), Member.fullVoter(2), Member.fullVoter(3));
    assertThat(learner.log.firstIndex()).isGreaterThan(1);
    assertThat(learner.appliedCommands()).isEqualTo(c.node(1).appliedCommands()).hasSize(10);

    c.propose(1, "later");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    assertThat(learner.appliedCommands()).hasSize(11).endsWith("later");
    assertThat(c.replica(4).status().membership()).isEqualTo(new Membership(target, List.of()));
  }

  @Test
  void aLaggingVoterIsSentASnapshotByANewLeaderThatCollectedItsLog() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.archiveEverything();
    c.isolate(3);
    for (int i = 0; i < 8; i++) {
      c.propose(1, "c" + i);
    }
    c.stabilize().run(2 * c.config.heartbeatIntervalNanos());
    // Node 2, a follower, kept only what it had not applied; node 1 kept what node 3 needs.
    assertThat(c.node(2).log.firstIndex()).isGreaterThan(c.node(3).log.lastIndex() + 1);

    assertThat(c.replica(1).transferLeadership(2)).isEqualTo(ControlOutcome.ACCEPTED);
    c.stabilize();
    assertThat(c.leaders()).containsExactly(2L);
    c.heal().run(4 * c.config.heartbeatIntervalNanos());

    assertThat(c.node(3).snapshotsRequested).singleElement().extracting(Ready.SnapshotToInstall::fromNode).isEqualTo(2L);
    assertThat(c.node(3).appliedCommands()).isEqualTo(c.node(2).appliedCommands()).hasSize(8);
    long p = c.propose(2, "after");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    assertThat(c.node(2).acks).extracting(Ready.Acknowledged::proposalId).contains(p);
    assertThat(c.node(3).appliedCommands()).endsWith("after");
  }

  @Test
  void theLeaderKeepsTheLogEveryVoterStillNeeds() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    long node3Has = c.node(3).log.lastIndex();
    c.isolate(3);
    for (int i = 0; i < 5; i++) {
      c.propose(1, "b" + i);
    }
    c.stabilize();
    c.archiveEverything().run(2 * c.config.heartbeatIntervalNanos());

    assertThat(c.node(1).log.firstIndex()).as("the leader keeps what node 3 needs").isLessThanOrEqualTo(node3Has + 1);
    assertThat(c.node(2).log.firstIndex()).as("a follower collects up to what it applied")
        .isEqualTo(c.node(2).appliedIndex + 1);

    c.heal().run(4 * c.config.heartbeatIntervalNanos());
    assertThat(c.node(3).appliedCommands()).hasSize(6);
    assertThat(c.node(3).snapshotsRequested).isEmpty();
    assertThat(c.node(1).log.firstIndex()).isGreaterThan(node3Has + 1);
  }

  @Test
  void aReplicaKeepsWhatIsNotArchivedYetAndALogReplicaIsBoundByTheArchiveAlone() {
    TestCluster c = TestCluster.of(Membership.of(Member.fullVoter(1), Member.fullVoter(2), Member.logVoter(3)))
        .electAndServe(1);
    for (int i = 0; i < 6; i++) {
      c.propose(1, "c" + i);
    }
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    c.compactLogs = true;
    c.replica(2).archived(3);
    c.replica(3).archived(4);
    c.run(2 * c.config.heartbeatIntervalNanos());

    assertThat(c.node(1).log.firstIndex()).as("nothing archived on node 1").isEqualTo(1);
    assertThat(c.node(2).log.firstIndex()).isEqualTo(4);
    assertThat(c.node(3).log.firstIndex()).as("no applied index holds a log replica back").isEqualTo(5);
    assertThat(c.node(3).applied).isEmpty();
  }
}
