package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberKindsTest {
  private static Membership twoFullOneLog() {
    return Membership.of(Member.fullVoter(1), Member.fullVoter(2), Member.logVoter(3));
  }

  @Test
  void aLogReplicaCountsForTheQuorumButNeverApplies() {
    TestCluster c = TestCluster.of(twoFullOneLog()).electAndServe(1);
    c.isolate(2); // only the leader and the log replica are left: still a majority
    long a = c.propose(1, "a");
    long b = c.propose(1, "b");
    c.stabilize().run(c.config.heartbeatIntervalNanos());

    assertThat(c.node(1).acks).extracting(Ready.Acknowledged::proposalId).containsExactly(a, b);
    assertThat(c.node(1).appliedCommands()).containsExactly("a", "b");
    assertThat(c.node(3).log.entries()).extracting(Entry::kind).contains(EntryKind.COMMAND);
    assertThat(c.replica(3).status().commitIndex()).isEqualTo(c.replica(1).status().commitIndex());
    assertThat(c.node(3).applied).isEmpty();
    assertThat(c.node(3).readies).allSatisfy(rd -> assertThat(rd.committedEntries()).isEmpty());
  }

  @Test
  void fullVotersWinElectionsBeforeALogReplicaTries() {
    for (long seed = 1; seed <= 20; seed++) {
      TestCluster c = new TestCluster(Config.defaults(), twoFullOneLog(), seed);
      c.run(4 * c.config.electionTimeoutNanos());
      assertThat(c.leaders()).as("seed %d", seed).hasSize(1).doesNotContain(3L);
      assertThat(c.node(3).roles).extracting(Ready.RoleChange::role).as("seed %d", seed)
          .doesNotContain(Role.PRE_CANDIDATE, Role.CANDIDATE, Role.LEADER);
    }
  }

  @Test
  void aLogReplicaLeadsOnlyToHandItsLogTailToAFullVoter() {
    TestCluster c = TestCluster.of(twoFullOneLog()).electAndServe(1);
    c.cut(1, 2); // node 2 falls behind: the committed tail lives only on nodes 1 and 3
    c.propose(1, "a");
    c.propose(1, "b");
    c.stabilize();
    assertThat(c.node(1).acks).hasSize(2);
    assertThat(c.node(2).appliedCommands()).isEmpty();

    // The leader dies. Node 2 cannot win (node 3 holds a longer log); node 3 must lead, briefly.
    c.heal().isolate(1);
    c.run(8 * c.config.electionTimeoutNanos());

    TestCluster.Node log = c.node(3);
    assertThat(log.roles).extracting(Ready.RoleChange::role).contains(Role.LEADER);
    assertThat(log.leases).noneMatch(Ready.LeaseChange::serving);
    assertThat(c.leaders()).containsExactly(2L);
    assertThat(c.replica(2).status().serving()).isTrue();
    assertThat(c.node(2).appliedCommands()).containsExactly("a", "b");
    assertThat(log.applied).isEmpty();
    assertThat(c.replica(3).status().leaderId()).isEqualTo(2);

    // The log replica never served, and it handed over its remaining wait: node 2 served no
    // earlier than D + ε after node 3 was elected.
    long logLeaderElected = log.roleTimes.get(log.roles.stream().map(Ready.RoleChange::role).toList().indexOf(Role.LEADER));
    int firstServing = c.node(2).leases.stream().map(Ready.LeaseChange::serving).toList().indexOf(true);
    assertThat(c.node(2).leaseTimes.get(firstServing))
        .isGreaterThanOrEqualTo(logLeaderElected + c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos());
  }

  @Test
  void aLogReplicaLeaderServesNoReadsAndTakesNoProposals() {
    TestCluster c = TestCluster.of(twoFullOneLog()).electAndServe(1);
    c.cut(1, 2).propose(1, "a");
    c.stabilize();
    c.heal().isolate(1);
    c.campaign(3);
    // Keep it leading: node 2 hears heartbeats but no appends, so it never catches up for a hand-off.
    c.dropWhere(m -> m instanceof Message.AppendEntries && m.from() == 3 && m.to() == 2);
    c.stabilize();
    assertThat(c.replica(3).status().role()).isEqualTo(Role.LEADER);
    c.run(c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos() + 100 * MS);

    c.read(3, 1);
    long p = c.propose(3, "x");
    c.process(3);
    assertThat(c.node(3).reads).isEmpty();
    assertThat(c.node(3).rejections).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(Rejection.NotLeader.class));
    assertThat(c.node(3).rejections).extracting(Rejection::requestId).containsExactly(1L, p);
    assertThat(c.replica(3).status().serving()).isFalse();
  }

  @Test
  void aLearnerReceivesAndAppliesTheLogButNeverVotesCampaignsOrCountsForAQuorum() {
    Membership withLearner = Membership.of(Member.fullVoter(1), Member.fullVoter(2), Member.learner(3));
    TestCluster c = TestCluster.of(withLearner).electAndServe(1);
    assertThat(c.node(1).readies).flatMap(Ready::messages)
        .filteredOn(m -> m instanceof VoteRequest).allSatisfy(m -> assertThat(m.to()).isEqualTo(2));
    c.propose(1, "a");
    c.stabilize().run(c.config.heartbeatIntervalNanos());
    assertThat(c.node(3).appliedCommands()).containsExactly("a");

    // Without node 2 nothing commits: the leader and a learner are not a quorum of {1, 2}.
    c.isolate(2);
    long commit = c.replica(1).status().commitIndex();
    c.propose(1, "b");
    c.stabilize();
    assertThat(c.replica(1).status().commitIndex()).isEqualTo(commit);

    // Alone, the learner never campaigns, and asked for a vote it refuses.
    c.heal().isolate(1).isolate(2).run(5 * c.config.electionTimeoutNanos());
    assertThat(c.node(3).roles).extracting(Ready.RoleChange::role).containsOnly(Role.FOLLOWER);
    long ballot = c.replica(3).status().ballot();
    c.heal();
    c.deliver(MessageCodec.seal(new VoteRequest(TestCluster.GROUP, 2, 3, ballot + 1, 1_000, ballot + 1, false, true, 0)));
    c.process(3);
    List<Message> answers = c.take(m -> m instanceof VoteResponse && m.from() == 3);
    assertThat(answers).singleElement().satisfies(m -> assertThat(((VoteResponse) m).granted()).isFalse());
  }
}
