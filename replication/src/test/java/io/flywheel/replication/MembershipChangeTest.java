package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.TimeoutNow;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipChangeTest {
  private static final List<Member> ONE_TWO_FOUR = List.of(Member.fullVoter(1), Member.fullVoter(2), Member.fullVoter(4));

  private static List<Membership> configsInLog(TestCluster.Node n) {
    return n.log.entries().stream().filter(e -> e.kind() == EntryKind.CONFIG).map(Entry::membership).toList();
  }

  @Test
  void aReplicaIsReplacedThroughTheJointConfigurationThenTheNewOne() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "before");
    c.stabilize();
    c.addJoiner(4);

    assertThat(c.replica(1).changeMembership(ONE_TWO_FOUR)).isEqualTo(ControlOutcome.ACCEPTED);
    assertThat(c.replica(1).changeMembership(List.of(Member.fullVoter(1), Member.fullVoter(2))))
        .as("one change at a time").isEqualTo(ControlOutcome.BUSY);
    c.run(5 * c.config.heartbeatIntervalNanos());
    c.propose(1, "after");
    c.stabilize().run(c.config.heartbeatIntervalNanos());

    Membership target = new Membership(ONE_TWO_FOUR, List.of());
    assertThat(configsInLog(c.node(1))).containsExactly(
        new Membership(ONE_TWO_FOUR, Membership.fullVoters(1, 2, 3).members()), target);
    for (long id : List.of(1L, 2L, 4L)) {
      assertThat(c.replica(id).status().membership()).as("node %d", id).isEqualTo(target);
      assertThat(c.node(id).appliedCommands()).as("node %d", id).containsExactly("before", "after");
      assertThat(c.node(id).hard.membership()).as("node %d persisted it", id).isEqualTo(target);
    }
    assertThat(c.replica(1).status().serving()).isTrue();
  }

  @Test
  void duringTheJointPhaseACommitNeedsAMajorityOfBothConfigurations() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.addJoiner(4);
    c.addJoiner(5);
    c.isolate(4).isolate(5);
    List<Member> target = List.of(Member.fullVoter(1), Member.fullVoter(4), Member.fullVoter(5));
    assertThat(c.replica(1).changeMembership(target)).isEqualTo(ControlOutcome.ACCEPTED);
    long jointIndex = c.replica(1).status().lastIndex();
    c.run(5 * c.config.heartbeatIntervalNanos());

    // Nodes 1, 2 and 3 store it -- all of C_old -- but of C_new only node 1 does.
    assertThat(c.node(2).log.lastIndex()).isEqualTo(jointIndex);
    assertThat(c.node(3).log.lastIndex()).isEqualTo(jointIndex);
    assertThat(c.replica(1).status().commitIndex()).isLessThan(jointIndex);
    assertThat(c.replica(1).status().membership().isJoint()).isTrue();

    c.heal().run(5 * c.config.heartbeatIntervalNanos());
    assertThat(c.replica(1).status().commitIndex()).isGreaterThan(jointIndex);
    assertThat(c.replica(1).status().membership()).isEqualTo(new Membership(target, List.of()));
    assertThat(c.leaders()).containsExactly(1L);
  }

  @Test
  void removingTheLeaderFinishesTheChangeThenHandsLeadershipAndTheLeaseToAFullVoter() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize();
    List<Member> withoutLeader = List.of(Member.fullVoter(2), Member.fullVoter(3));
    assertThat(c.replica(1).changeMembership(withoutLeader)).isEqualTo(ControlOutcome.ACCEPTED);
    c.stabilize().run(c.config.heartbeatIntervalNanos());

    List<Long> leaders = c.leaders();
    assertThat(leaders).hasSize(1).doesNotContain(1L);
    long next = leaders.get(0);
    assertThat(c.node(1).readies).flatMap(Ready::messages).filteredOn(m -> m instanceof TimeoutNow)
        .singleElement().extracting(Message::to).isEqualTo(next);
    // The old leader had served, so the lease passed on without a wait.
    assertThat(c.replica(next).status().serving()).isTrue();
    assertThat(c.replica(next).status().membership()).isEqualTo(new Membership(withoutLeader, List.of()));
    long p = c.propose(next, "b");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    assertThat(c.node(next).acks).extracting(Ready.Acknowledged::proposalId).contains(p);
    long other = next == 2 ? 3 : 2;
    assertThat(c.node(other).appliedCommands()).containsExactly("a", "b");
    assertThat(c.node(1).appliedCommands()).containsExactly("a");
  }

  @Test
  void aFullReplicaIsSwappedForALogReplicaWhichThenCountsForTheQuorum() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize();
    c.addJoiner(4);
    List<Member> target = List.of(Member.fullVoter(1), Member.fullVoter(2), Member.logVoter(4));
    assertThat(c.replica(1).changeMembership(target)).isEqualTo(ControlOutcome.ACCEPTED);
    c.run(5 * c.config.heartbeatIntervalNanos());
    assertThat(c.replica(4).status().membership()).isEqualTo(new Membership(target, List.of()));

    c.isolate(2).isolate(3);
    long p = c.propose(1, "b");
    c.stabilize();
    assertThat(c.node(1).acks).extracting(Ready.Acknowledged::proposalId).contains(p);
    assertThat(c.node(4).log.entries()).extracting(Entry::kind).contains(EntryKind.COMMAND);
    assertThat(c.node(4).applied).isEmpty();
  }

  @Test
  void invalidChangesAreRefused() {
    TestCluster c = TestCluster.of(Membership.of(Member.fullVoter(1), Member.fullVoter(2), Member.logVoter(3)))
        .electAndServe(1);
    assertThat(c.replica(1).changeMembership(List.of(Member.fullVoter(1), Member.fullVoter(2), Member.fullVoter(3))))
        .as("a log replica has no state to become a full replica with").isEqualTo(ControlOutcome.INVALID);
    assertThat(c.replica(1).changeMembership(List.of(Member.logVoter(3), Member.learner(4))))
        .as("no full voter left").isEqualTo(ControlOutcome.INVALID);
    assertThat(c.replica(1).changeMembership(List.of(Member.fullVoter(1), Member.fullVoter(1))))
        .as("a node twice").isEqualTo(ControlOutcome.INVALID);
    assertThat(c.replica(2).changeMembership(List.of(Member.fullVoter(1)))).isEqualTo(ControlOutcome.NOT_LEADER);
  }
}
