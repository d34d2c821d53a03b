package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.PlantedBug;
import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checker that cannot fail is itself a failing test (DESIGN.md §9): with each planted bug
 * switched on, some seed among the first {@link #SEEDS_MAX} must fail a checker; the same seed with
 * a correct core must pass. Runs are shorter than CI's main runs (a bug shows early or not at all).
 */
class PlantedBugsTest {
  static final int SEEDS_MAX = 300;
  static final long FAULT_NANOS = 20_000 * Simulation.MS;

  @ParameterizedTest
  @EnumSource(PlantedBug.class)
  void eachPlantedBugIsCaughtWithinAFewHundredSeeds(PlantedBug bug) {
    Simulation.Result caught = firstCaught(bug, true);
    Simulation.Result clean = Simulation.run(caught.options().withBugs(EnumSet.noneOf(PlantedBug.class)));
    assertThat(clean.failure()).as("the same seed without the bug").isNull();
  }

  private static Simulation.Result firstCaught(PlantedBug bug, boolean protocolCheckers) {
    Simulation.Result caught = null;
    for (long seed = 1; seed <= SEEDS_MAX && caught == null; seed++) {
      Simulation.Options o = Simulation.Options.of(seed, Scenario.forSeed(seed)).withFaultNanos(FAULT_NANOS)
          .withBugs(EnumSet.of(bug)).withProtocolCheckers(protocolCheckers);
      Simulation.Result r = Simulation.run(o);
      if (!r.passed()) {
        caught = r;
      }
    }
    assertThat(caught).as(bug + " was caught by no checker in " + SEEDS_MAX + " seeds").isNotNull();
    System.out.println(bug + (protocolCheckers ? "" : " (protocol checkers off)") + " caught at seed "
        + caught.options().seed() + " (" + caught.options().scenario() + ") by the '" + caught.checker()
        + "' checker:\n" + caught.failure().lines().findFirst().orElse(""));
    return caught;
  }
}
