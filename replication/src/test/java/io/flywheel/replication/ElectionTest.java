package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.VoteRequest;
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
    TestCluster c = TestCluster.threeFullVoters();
    c.elect(1);
    assertThat(c.replica(1).status().serving()).isFalse();
    c.run(c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos() + 50 * MS);
    assertThat(c.replica(1).status().serving()).isTrue();
    assertThat(c.node(1).leases).last().extracting(Ready.LeaseChange::serving).isEqualTo(true);
  }
}
