package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.QuorumTracker.VoteResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumTrackerTest {
  private static final Membership ABC = Membership.fullVoters(1, 2, 3);

  @Test
  void theQuorumValueIsWhatAMajorityOfVotersHasAtLeast() {
    Map<Long, Long> match = Map.of(1L, 9L, 2L, 5L, 3L, 7L);
    assertThat(QuorumTracker.quorumValue(ABC, match::get)).isEqualTo(7);
    assertThat(QuorumTracker.quorumValue(Membership.fullVoters(1), n -> 4)).isEqualTo(4);
    Membership four = Membership.fullVoters(1, 2, 3, 4);
    Map<Long, Long> m4 = Map.of(1L, 9L, 2L, 5L, 3L, 7L, 4L, 1L);
    assertThat(QuorumTracker.quorumValue(four, m4::get)).as("three of four").isEqualTo(5);
  }

  @Test
  void learnersNeverCountAndLogReplicasDo() {
    Membership m = Membership.of(Member.fullVoter(1), Member.logVoter(2), Member.learner(3), Member.fullVoter(4));
    Map<Long, Long> match = Map.of(1L, 9L, 2L, 8L, 3L, 100L, 4L, 1L);
    assertThat(QuorumTracker.quorumValue(m, match::get)).as("two of voters 1, 2, 4").isEqualTo(8);
  }

  @Test
  void aJointConfigurationNeedsAMajorityOfEachHalf() {
    Membership joint = Membership.fullVoters(1, 2, 3).enterJoint(Membership.fullVoters(1, 4, 5).members());
    Map<Long, Long> match = Map.of(1L, 10L, 2L, 10L, 3L, 10L, 4L, 2L, 5L, 1L);
    assertThat(QuorumTracker.quorumValue(joint, match::get)).isEqualTo(2);

    Set<Long> granted = Set.of(1L, 2L, 3L);
    assertThat(QuorumTracker.tally(joint, granted::contains, n -> false)).isEqualTo(VoteResult.PENDING);
    Set<Long> rejected = Set.of(4L, 5L);
    assertThat(QuorumTracker.tally(joint, granted::contains, rejected::contains)).isEqualTo(VoteResult.LOST);
    Set<Long> both = Set.of(1L, 2L, 4L);
    assertThat(QuorumTracker.tally(joint, both::contains, n -> false)).isEqualTo(VoteResult.WON);
  }

  @Test
  void aVoteIsLostOnlyWhenAMajorityCanNoLongerBeReached() {
    assertThat(QuorumTracker.tally(ABC, n -> n == 1, n -> n == 2)).isEqualTo(VoteResult.PENDING);
    assertThat(QuorumTracker.tally(ABC, n -> n == 1, n -> n != 1)).isEqualTo(VoteResult.LOST);
    assertThat(QuorumTracker.tally(ABC, n -> n != 3, n -> n == 3)).isEqualTo(VoteResult.WON);
    assertThat(QuorumTracker.tally(new Membership(List.of(Member.fullVoter(1)), List.of()), n -> n == 1, n -> false))
        .isEqualTo(VoteResult.WON);
  }
}
