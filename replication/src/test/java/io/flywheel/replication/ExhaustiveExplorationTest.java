package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.ExhaustiveExplorer.Result;
import io.flywheel.replication.ExhaustiveExplorer.Search;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 4, must show 5: every interleaving of small bounded scenarios, checked in every state (see
 * {@link ExhaustiveExplorer}). CI runs the small scope (about a minute on two cores); the large
 * scope adds a failover with a restartable crash (more than 60 million states on the current core:
 * no violation in 60 million, 22 minutes), more faults after a leader serves and in the first
 * election, a failover with a log replica and two crashes, and batched inputs; a few GB of heap:
 *
 * <pre>
 * mvn -pl replication -am test -Dtest=ExhaustiveExplorationTest -Dexplorer.scope=large -Dexplorer.statesMax=60000000
 * </pre>
 *
 * Every test asserts that the space was exhausted within {@code explorer.statesMax} states and
 * that the interesting states were reached, so a bound that makes a scenario vacuous fails.
 */
class ExhaustiveExplorationTest {
  static final long Q = ExplorerScenario.QUANTUM_NANOS;
  static final long STATES_MAX = Long.getLong("explorer.statesMax", 5_000_000L);

  static final List<Member> THREE_FULL = List.of(Member.fullVoter(1), Member.fullVoter(2), Member.fullVoter(3));
  static final List<Member> TWO_FULL_ONE_LOG =
      List.of(Member.fullVoter(1), Member.fullVoter(2), Member.logVoter(3));

  /**
   * A scenario with jitters 0, 1 and 2 quanta (in a new group node 1, the preferred leader,
   * campaigns after one heartbeat interval, 2 quanta; nodes 2 and 3 time out at 6 and 7), FIFO
   * links, messages arriving within {@code delay} quanta unless lost, inputs carried out one at a time.
   */
  static ExplorerScenario scenario(String name, List<Member> members, boolean fromServingLeader, int horizon,
      int ballots, int crashes, int duplicates, int losses, int cuts, int proposals, int delay) {
    return new ExplorerScenario(name, members, ExplorerScenario.timing(), Q, List.of(0L, Q, 2 * Q), horizon,
        ballots, crashes, duplicates, proposals, losses, cuts, delay, 10, STATES_MAX, false, true, false,
        fromServingLeader, false);
  }

  static Result run(ExplorerScenario s, Search search) {
    long start = System.nanoTime();
    Result r = new ExhaustiveExplorer(s, search).explore();
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(s + "\n  " + r.summary() + "\n  in " + millis + " ms ("
        + (millis == 0 ? "-" : r.states() * 1000 / millis) + " states/s)");
    if (r.violation() != null) {
      System.out.println("  shortest trace to the violation (" + (r.trace().size() - 1) + " steps):");
      r.trace().forEach(line -> System.out.println("  " + line));
    }
    return r;
  }

  static void assertSafeAndExhausted(Result r) {
    assertThat(r.violation()).as("violation\n%s", String.join("\n", r.trace())).isNull();
    assertThat(r.exhausted()).as("the state cap %d was reached: shrink the scenario or raise -Dexplorer.statesMax",
        r.scenario().statesMax()).isTrue();
  }

  @Test
  void everyInterleavingOfTheFirstElectionIsSafeWithACrash() {
    Result r = run(scenario("first election, three full voters", THREE_FULL, false, 5, 2,
        1, 0, 0, 0, 0, 1), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().highestBallotWithLeader).as("someone won").isPositive();
    assertThat(r.coverage().statesWithCrashedNode).isPositive();
    assertThat(r.coverage().crashesLosingAWrite).as("crashes between sending and persisting").isPositive();
  }

  @Test
  void everyInterleavingAfterALeaderServesWithALogReplicaAndTwoCrashesIsSafe() {
    Result r = run(scenario("serving leader with a log replica, two crashes and a proposal", TWO_FULL_ONE_LOG, true,
        2, 3, 2, 0, 0, 0, 1, 1), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesServing).isPositive();
    assertThat(r.coverage().statesAfterProposalAcknowledged).as("a proposal was acknowledged").isPositive();
    assertThat(r.coverage().statesWithCrashedNode).isPositive();
  }

  /** Inputs may reach a replica between its Ready's send and its write: a superset of the host-loop order. */
  @Test
  void everyInterleavingAfterALeaderServesIsSafeWithACrashAndAProposalAndInputsBeforeAReadyIsDurable() {
    Result r = run(scenario("serving leader, a crash, a proposal, inputs before a write is durable", THREE_FULL,
        true, 2, 3, 1, 0, 0, 0, 1, 1).withPipelinedPersist(true),
        Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesAfterProposalAcknowledged).as("a proposal was acknowledged").isPositive();
    assertThat(r.coverage().statesWithCrashedNode).isPositive();
  }

  static ExplorerScenario afterLeaderCrash(String name, List<Member> members, int horizon, int crashes, int losses) {
    return new ExplorerScenario(name, members, ExplorerScenario.timing(), Q, List.of(0L, Q, 2 * Q), horizon, 3,
        crashes, 0, 0, losses, 0, 1, 10, STATES_MAX, false, true, false, true, true);
  }

  @Test
  void everyInterleavingOfAFailoverAfterTheLeadersNodeIsLostIsSafe() {
    Result r = run(afterLeaderCrash("failover after the serving leader's node is lost, a loss", THREE_FULL, 14, 0, 1),
        Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().highestBallotWithLeader).as("a second ballot was led").isGreaterThanOrEqualTo(2);
    assertThat(r.coverage().statesWithTwoBallotsLed).isPositive();
    assertThat(r.coverage().statesServing).as("the new leader served").isPositive();
  }

  /** The full voter left and the log replica must elect the full voter; the log replica never applies. */
  @Test
  void everyInterleavingOfAFailoverToTheLastFullVoterWithALogReplicaIsSafe() {
    Result r = run(afterLeaderCrash("failover with a log replica after the leader's node is lost", TWO_FULL_ONE_LOG,
        14, 0, 0), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesWithTwoBallotsLed).isPositive();
    assertThat(r.coverage().statesServing).as("n2 served with the log replica's votes and acks").isPositive();
  }

  // ------------------------------------------------------------------------------------------
  // The large scope (-Dexplorer.scope=large)

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @EnabledIfSystemProperty(named = "explorer.scope", matches = "large")
  void everyInterleavingOfAFailoverIsSafe() {
    Result r = run(scenario("failover: serving leader, a crash, 8 quanta", THREE_FULL, true, 8, 2, 1, 0, 0, 0, 0, 1),
        Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().highestBallotWithLeader).as("a second ballot was led").isEqualTo(2);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @EnabledIfSystemProperty(named = "explorer.scope", matches = "large")
  void everyInterleavingAfterALeaderServesIsSafeWithTwoCrashesALossADuplicateAndAProposal() {
    Result r = run(scenario("serving leader, two crashes, a loss, a duplicate, a proposal", THREE_FULL, true, 3, 3,
        2, 1, 1, 0, 1, 1), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesAfterProposalAcknowledged).isPositive();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @EnabledIfSystemProperty(named = "explorer.scope", matches = "large")
  void everyInterleavingOfAFailoverWithALogReplicaAndTwoCrashesIsSafe() {
    Result r = run(afterLeaderCrash("failover with a log replica, two crashes", TWO_FULL_ONE_LOG, 14, 2, 0),
        Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesServing).isPositive();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @EnabledIfSystemProperty(named = "explorer.scope", matches = "large")
  void everyInterleavingWithBatchedInputsAfterALeaderServesIsSafe() {
    ExplorerScenario s = scenario("serving leader, batched inputs, a crash, a proposal", THREE_FULL, true, 2, 3, 1,
        0, 0, 0, 1, 1);
    Result r = run(new ExplorerScenario(s.name(), s.members(), s.config(), s.quantumNanos(), s.jitterNanos(),
        s.horizonQuanta(), s.ballotsMax(), s.crashesMax(), s.duplicatesMax(), s.proposalsMax(), s.lossesMax(),
        s.cutsMax(), s.messageDelayQuantaMax(), s.inFlightMax(), s.statesMax(), true, s.fifoLinks(), false, true,
        false), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().statesAfterProposalAcknowledged).isPositive();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @EnabledIfSystemProperty(named = "explorer.scope", matches = "large")
  void everyInterleavingOfTheFirstElectionIsSafeWithACrashALossAndADuplicate() {
    Result r = run(scenario("first election, a crash, a loss, a duplicate", THREE_FULL, false, 5, 2, 1, 1, 1, 0, 0,
        1), Search.DEPTH_FIRST);
    assertSafeAndExhausted(r);
    assertThat(r.coverage().highestBallotWithLeader).isPositive();
  }
}
