package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Replays one run: the seed, scenario, length and planted bugs come from {@code -Dsim.seed},
 * {@code -Dsim.scenario}, {@code -Dsim.faultMillis} and {@code -Dsim.bugs} (what a failing seed
 * prints). Without them it runs seed 1.
 */
class ReplayTest {
  @Test
  void theNamedRunPassesEveryChecker() {
    long seed = Long.getLong("sim.seed", 1L);
    String scenario = System.getProperty("sim.scenario");
    Simulation.Options o = Simulation.Options.of(seed, scenario == null ? Scenario.forSeed(seed)
        : Scenario.valueOf(scenario)).withFaultNanos(SimOptions.faultNanos()).withBugs(SimOptions.bugs())
        .withProtocolCheckers(Boolean.parseBoolean(System.getProperty("sim.protocolCheckers", "true")));
    Simulation.Result r = Simulation.run(o);
    System.out.println("seed " + seed + " " + o.scenario() + ": " + (r.passed() ? "passed" : "FAILED") + ", "
        + r.events() + " events, " + r.operations() + " operations (" + r.unknownOutcomes() + " unknown), "
        + "highest ballot " + r.highestBallot() + ", " + r.faults() + " faults, trace " + Long.toHexString(r.traceHash()));
    assertThat(r.failure()).as("replay of " + o.replayCommand()).isNull();
  }
}
