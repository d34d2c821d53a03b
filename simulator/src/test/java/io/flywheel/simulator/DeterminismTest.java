package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A run is a function of its options: the same seed twice gives the same event trace. */
class DeterminismTest {
  @Test
  void theSameSeedTwiceGivesAnIdenticalTraceAndAnotherSeedDoesNot() {
    for (Scenario s : Scenario.values()) {
      Simulation.Options o = Simulation.Options.of(42, s).withFaultNanos(10_000 * Simulation.MS);
      Simulation.Result a = Simulation.run(o);
      Simulation.Result b = Simulation.run(o);
      assertThat(a.passed()).as(a.failure()).isTrue();
      assertThat(b.traceHash()).as(s + ": trace of a replay").isEqualTo(a.traceHash());
      assertThat(b.events()).as(s + ": events of a replay").isEqualTo(a.events());
      assertThat(b.operations()).isEqualTo(a.operations());
      Simulation.Result other = Simulation.run(o.withSeed(43));
      assertThat(other.traceHash()).as(s + ": another seed").isNotEqualTo(a.traceHash());
    }
  }

  @Test
  void theReplayCommandNamesEverythingARunDependsOn() {
    Simulation.Options o = Simulation.Options.of(17, Scenario.ONE_WAY_LINKS).withFaultNanos(30_000 * Simulation.MS)
        .withBugs(java.util.EnumSet.of(io.flywheel.replication.PlantedBug.SKIP_VOTE_PERSISTENCE,
            io.flywheel.replication.PlantedBug.ACK_BEFORE_QUORUM_FSYNC));
    assertThat(o.replayCommand()).isEqualTo("mvn -pl simulator -am test -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Dtest=ReplayTest -Dsim.seed=17 -Dsim.scenario=ONE_WAY_LINKS -Dsim.faultMillis=30000"
        + " -Dsim.bugs=ACK_BEFORE_QUORUM_FSYNC,SKIP_VOTE_PERSISTENCE");
  }
}
