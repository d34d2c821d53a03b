package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planted-bug switches are off by default and, when on, change exactly the rule they name. */
class PlantedBugTest {
  @Test
  void aConfigNamesNoBugUnlessAskedAndKeepsWhatItWasGiven() {
    Config plain = Config.defaults();
    for (PlantedBug b : PlantedBug.values()) {
      assertThat(plain.planted(b)).as(b.name()).isFalse();
    }
    Config buggy = plain.withPlantedBugs(EnumSet.of(PlantedBug.LOG_REPLICA_APPLIES));
    assertThat(buggy.planted(PlantedBug.LOG_REPLICA_APPLIES)).isTrue();
    assertThat(buggy.planted(PlantedBug.SKIP_VOTE_PERSISTENCE)).isFalse();
    assertThat(buggy.withElectionTimeoutNanos(2_000_000_000L).plantedBugs()).containsExactly(PlantedBug.LOG_REPLICA_APPLIES);
    assertThat(buggy.withPlantedBugs(Set.of())).isEqualTo(plain);
  }

  @Test
  void withTheVoteBugAGrantedVoteLeavesBeforeItsHardStateIsDurable() {
    for (boolean bug : new boolean[] {false, true}) {
      Config config = bug ? Config.defaults().withPlantedBugs(EnumSet.of(PlantedBug.SKIP_VOTE_PERSISTENCE))
          : Config.defaults();
      TestCluster c = TestCluster.of(config, Membership.fullVoters(1, 2, 3));
      c.advanceAll(3 * config.electionTimeoutNanos()).processAll();
      c.take(m -> m instanceof Message.VoteRequest && m.from() != 1);
      c.deliverWhere(m -> m.from() == 1); // pre-votes
      c.processAll();
      c.deliverWhere(m -> m.to() == 1); // pre-vote grants
      c.processAll();
      c.deliverWhere(m -> m.from() == 1 && m instanceof Message.VoteRequest); // real votes
      Ready rd = c.replica(2).ready();
      boolean voteNow = rd.messages().stream().anyMatch(m -> m instanceof Message.VoteResponse v && v.granted());
      boolean voteAfter = rd.messagesAfterPersist().stream()
          .anyMatch(m -> m instanceof Message.VoteResponse v && v.granted());
      assertThat(voteNow).as("bug %s: the vote is sent now", bug).isEqualTo(bug);
      assertThat(voteAfter).as("bug %s: the vote is sent after persisting", bug).isEqualTo(!bug);
    }
  }
}
