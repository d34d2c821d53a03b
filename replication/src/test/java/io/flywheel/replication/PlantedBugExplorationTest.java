package io.flywheel.replication;

import static io.flywheel.replication.ExhaustiveExplorationTest.THREE_FULL;
import static io.flywheel.replication.ExhaustiveExplorationTest.TWO_FULL_ONE_LOG;
import static io.flywheel.replication.ExhaustiveExplorationTest.run;
import static io.flywheel.replication.ExhaustiveExplorationTest.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.ExhaustiveExplorer.Result;
import io.flywheel.replication.ExhaustiveExplorer.Search;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The explorer can fail: with a planted bug ({@link PlantedBug}) switched on in the core, a breadth
 * first search of a small scenario reaches a state that breaks an invariant, and prints the
 * shortest path to it (breadth first: no shorter one exists within the scenario's bounds).
 */
class PlantedBugExplorationTest {
  private static ExplorerScenario planted(ExplorerScenario s, PlantedBug bug) {
    return s.withConfig(s.config().withPlantedBugs(Set.of(bug)));
  }

  @Test
  void aVoteSentBeforeItIsDurableIsCaught() {
    ExplorerScenario s = planted(scenario("first election, SKIP_VOTE_PERSISTENCE", THREE_FULL, false, 5, 2, 1, 0,
        0, 0, 0, 1), PlantedBug.SKIP_VOTE_PERSISTENCE);
    Result r = run(s, Search.BREADTH_FIRST);
    assertThat(r.violation()).contains("granted its vote in ballot 1");
    assertThat(String.join("\n", r.trace())).contains("CRASH").contains("VoteResponse b1 granted");
  }

  @Test
  void theSameScenarioExploresTheSameStatesAndFindsTheSameTraceEveryTime() {
    ExplorerScenario s = planted(scenario("first election, SKIP_VOTE_PERSISTENCE", THREE_FULL, false, 5, 2, 1, 0,
        0, 0, 0, 1), PlantedBug.SKIP_VOTE_PERSISTENCE);
    Result first = new ExhaustiveExplorer(s, Search.BREADTH_FIRST).explore();
    Result second = new ExhaustiveExplorer(s, Search.BREADTH_FIRST).explore();
    assertThat(second.states()).isEqualTo(first.states());
    assertThat(second.transitions()).isEqualTo(first.transitions());
    assertThat(second.trace()).isNotEmpty().isEqualTo(first.trace());
  }

  @Test
  void aNewLeaderServingBeforeTheOldLeaseExpiredIsCaught() {
    ExplorerScenario s = planted(scenario("serving leader, SERVE_BEFORE_OLD_LEASE_EXPIRES", THREE_FULL, true, 9, 2,
        0, 0, 0, 1, 0, 1), PlantedBug.SERVE_BEFORE_OLD_LEASE_EXPIRES);
    Result r = run(s, Search.BREADTH_FIRST);
    assertThat(r.violation()).contains("both serve");
    assertThat(String.join("\n", r.trace())).contains("CUT");
  }

  @Test
  void aLogReplicaThatAppliesIsCaught() {
    // Caught on the very first commit that reaches the log replica, before any fault.
    ExplorerScenario s = planted(scenario("serving leader with a log replica, LOG_REPLICA_APPLIES", TWO_FULL_ONE_LOG,
        true, 2, 2, 0, 0, 0, 0, 1, 1), PlantedBug.LOG_REPLICA_APPLIES);
    Result r = run(s, Search.BREADTH_FIRST);
    assertThat(r.violation()).contains("log replica n3");
  }

  @Test
  void aLeaderCountingItsOwnUnsyncedEntriesIsCaughtWhenInputsArriveBeforeItsWriteIsDurable() {
    // A host that persists before it passes the next input (replicahost's loop) hides this bug;
    // the Ready contract allows inputs in between, and then an entry commits on one durable log.
    ExplorerScenario s = planted(scenario("serving leader, inputs before a write is durable, ACK_BEFORE_QUORUM_FSYNC",
        THREE_FULL, true, 2, 2, 0, 0, 0, 0, 1, 1), PlantedBug.ACK_BEFORE_QUORUM_FSYNC).withPipelinedPersist(true);
    Result r = run(s, Search.BREADTH_FIRST);
    assertThat(r.violation()).contains("is durable on 1 of 3 voters only");
  }

  @Test
  void withoutThePlantedBugTheCutLinkScenarioIsSafeAndNoSecondLeaderIsElected() {
    // The same scenario as the lease bug's: n2 stops hearing n1 and campaigns, but n3 still hears
    // n1 and refuses (the gray-failure rule), so nobody else leads while n1's lease lasts.
    Result r = run(scenario("serving leader, a cut link", THREE_FULL, true, 9, 2, 0, 0, 0, 1, 0, 1),
        Search.DEPTH_FIRST);
    ExhaustiveExplorationTest.assertSafeAndExhausted(r);
    assertThat(r.coverage().statesServing).isPositive();
    assertThat(r.coverage().highestBallotWithLeader).isEqualTo(1);
  }
}
