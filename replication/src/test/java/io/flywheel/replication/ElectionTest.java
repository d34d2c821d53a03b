package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElectionTest {
  @Test
  void aReplicaWhoseTimerFiresAsksForPreVotesFirstAndIsElectedByAMajority() {
    TestCluster c = TestCluster.threeFullVoters();
    c.advanceAll(c.config.electionTimeoutNanos()).advance(1, c.config.electionTimeoutNanos()).processAll();

    // The pre-vote phase changes no durable state: ballot 1 is only named in the requests.
    Ready first = c.node(1).readies.get(0);
    assertThat(first.hardState()).isNull();
    assertThat(first.messages()).hasSize(2).allSatisfy(m -> {
      assertThat(m).isInstanceOf(VoteRequest.class);
      assertThat(((VoteRequest) m).preVote()).isTrue();
      assertThat(m.ballot()).isEqualTo(1);
    });
    assertThat(c.replica(1).status().role()).isEqualTo(Role.PRE_CANDIDATE);

    c.stabilize();

    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.replica(1).status().ballot()).isEqualTo(1);
    assertThat(c.replica(2).status().leaderId()).isEqualTo(1);
    assertThat(c.replica(3).status().leaderId()).isEqualTo(1);
    // The leader's NOOP entry is committed everywhere.
    assertThat(c.replica(1).status().commitIndex()).isEqualTo(1);
    c.run(c.config.heartbeatIntervalNanos());
    assertThat(c.replica(2).status().commitIndex()).isEqualTo(1);
    assertThat(c.node(2).hard.votedFor()).isEqualTo(1);
  }

  @Test
  void aLeaderServesOnlyAfterWaitingOutAPossibleOldLease() {
    TestCluster c = TestCluster.threeFullVoters().afterBallot(3);
    c.elect(1);
    assertThat(c.replica(1).status().serving()).isFalse();
    c.run(c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos() + 50 * MS);
    assertThat(c.replica(1).status().serving()).isTrue();
    assertThat(c.node(1).leases).last().extracting(Ready.LeaseChange::serving).isEqualTo(true);
  }

  @Test
  void aPartitionedFollowerCannotDeposeAHealthyLeaderWhenItRejoins() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.isolate(3).run(5 * c.config.electionTimeoutNanos());

    // Cut off, node 3 campaigned again and again, but only with pre-votes: its ballot never rose.
    assertThat(c.node(3).roles).extracting(Ready.RoleChange::role).contains(Role.PRE_CANDIDATE);
    assertThat(c.node(3).hard.ballot()).isEqualTo(1);

    // It rejoins with its timer fired: both the leader and the follower that hears it refuse.
    c.heal();
    c.advance(3, 3 * c.config.electionTimeoutNanos()).processAll();
    assertThat(c.replica(3).status().role()).isEqualTo(Role.PRE_CANDIDATE);
    c.deliverWhere(m -> m.from() == 3);
    c.processAll();
    List<Message> answers = c.take(m -> m instanceof VoteResponse && m.to() == 3);
    assertThat(answers).hasSize(2).allSatisfy(m -> assertThat(((VoteResponse) m).granted()).isFalse());
    c.stabilize().run(c.config.idleHeartbeatIntervalNanos()); // the group is idle: its leader heartbeats less often

    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.replica(1).status().ballot()).isEqualTo(1);
    assertThat(c.replica(1).status().serving()).isTrue();
    assertThat(c.replica(3).status().leaderId()).isEqualTo(1);
  }

  @Test
  void aVoterThatHearsItsLeaderRefusesAHigherBallotVoteWithoutAdoptingIt() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    VoteRequest disruptive = MessageCodec.seal(new VoteRequest(TestCluster.GROUP, 3, 2, 9, 1_000, 1, false, false, 0));
    c.deliver(disruptive);
    c.process(2);

    assertThat(c.replica(2).status().ballot()).isEqualTo(1);
    assertThat(c.replica(2).status().leaderId()).isEqualTo(1);
    assertThat(c.take(m -> m instanceof VoteResponse && m.to() == 3))
        .singleElement().satisfies(m -> assertThat(((VoteResponse) m).granted()).isFalse());
  }

  @Test
  void aLeaderThatHearsFromNoQuorumStepsDownWithinAnElectionTimeout() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    long cutAt = c.node(1).clock;
    c.dropWhere(m -> m.to() == 1); // it can still talk: only the answers are lost
    long steppedDownAt = -1;
    for (long t = 0; t < 3 * c.config.electionTimeoutNanos() && steppedDownAt < 0; t += 10 * MS) {
      c.run(10 * MS);
      if (c.replica(1).status().role() != Role.LEADER) {
        steppedDownAt = c.node(1).clock;
      }
    }
    assertThat(steppedDownAt).isPositive()
        .isLessThanOrEqualTo(cutAt + c.config.electionTimeoutNanos() + 10 * MS);
    assertThat(c.replica(1).status().role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  void votesAndAcknowledgementsAreSentOnlyAfterTheStateTheyPromiseIsPersisted() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    for (int i = 0; i < 5; i++) {
      c.propose(1, "c" + i);
      c.run(c.config.heartbeatIntervalNanos());
    }
    int grantedVotes = 0;
    int acks = 0;
    for (TestCluster.Node n : c.nodes()) {
      long persistedVote = 0;
      long persistedIndex = 0;
      for (Ready rd : n.readies) {
        for (Message m : rd.messages()) {
          assertThat(m).as("sent before persisting").isNotInstanceOfAny(
              VoteResponse.class, AppendResponse.class, HeartbeatResponse.class);
          if (m instanceof VoteRequest r) {
            assertThat(r.preVote()).as("a real vote request waits for the candidate's own vote").isTrue();
          }
        }
        if (rd.hardState() != null) {
          persistedVote = rd.hardState().votedFor();
        }
        if (rd.lastEntry() != null) {
          persistedIndex = rd.lastEntry().index();
        }
        for (Message m : rd.messagesAfterPersist()) {
          if (m instanceof VoteResponse v && v.granted() && !v.preVote()) {
            assertThat(persistedVote).isEqualTo(v.to());
            grantedVotes++;
          }
          if (m instanceof AppendResponse a && a.success()) {
            assertThat(persistedIndex).isGreaterThanOrEqualTo(a.index());
            acks++;
          }
        }
      }
    }
    assertThat(grantedVotes).isEqualTo(2);
    assertThat(acks).isGreaterThanOrEqualTo(10);
  }

  @Test
  void aReplicaNeverVotesTwiceInABallotEvenAcrossARestart() {
    TestCluster c = TestCluster.threeFullVoters();
    c.campaign(1);
    assertThat(c.node(2).hard.votedFor()).isEqualTo(1);
    assertThat(c.node(2).hard.ballot()).isEqualTo(1);
    c.take(m -> true);

    c.restart(2);
    // A transfer-flagged request bypasses the lease check, so only the vote itself decides.
    c.deliver(MessageCodec.seal(new VoteRequest(TestCluster.GROUP, 3, 2, 1, 1_000, 1, false, true, 0)));
    c.deliver(MessageCodec.seal(new VoteRequest(TestCluster.GROUP, 1, 2, 1, 0, 0, false, true, 0)));
    c.process(2);
    List<Message> answers = c.take(m -> m instanceof VoteResponse);
    assertThat(answers).hasSize(2);
    assertThat(((VoteResponse) answers.get(0)).granted()).as("a second candidate in ballot 1").isFalse();
    assertThat(((VoteResponse) answers.get(1)).granted()).as("the same candidate again").isTrue();
    assertThat(c.node(2).hard.votedFor()).isEqualTo(1);
  }

  @Test
  void aNewGroupsFirstListedVoterCampaignsAfterOneHeartbeatAndServesAtOnceInBallotOne() {
    TestCluster c = TestCluster.threeFullVoters();
    // Well before any election timeout: only the preferred leader (listed first) has campaigned.
    c.run(2 * c.config.heartbeatIntervalNanos());
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.replica(1).status().ballot()).isEqualTo(1);
    // Nobody led before ballot 1, so there is no old lease to wait out: it serves once its entry commits.
    assertThat(c.replica(1).status().serving()).isTrue();
    assertThat(c.node(1).leaseTimes.get(0)).as("served before a lease could have expired")
        .isLessThan(c.config.leaseDurationNanos());
  }

  @Test
  void aReplicaWhoseDurableBallotIsZeroPromisedNobodyButARestartedVoterKeepsItsPromise() {
    TestCluster fresh = TestCluster.of(Membership.fullVoters(2, 1, 3)); // node 2 is the preferred leader
    fresh.run(2 * fresh.config.heartbeatIntervalNanos());
    assertThat(fresh.leaders()).as("fresh voters grant votes at once").containsExactly(2L);

    TestCluster restarted = TestCluster.of(Membership.fullVoters(2, 1, 3)).afterBallot(1);
    restarted.run(2 * restarted.config.heartbeatIntervalNanos());
    assertThat(restarted.leaders()).as("voters that may have acknowledged a leader wait an election timeout").isEmpty();
    restarted.run(3 * restarted.config.electionTimeoutNanos());
    assertThat(restarted.leaders()).hasSize(1);
  }
}
