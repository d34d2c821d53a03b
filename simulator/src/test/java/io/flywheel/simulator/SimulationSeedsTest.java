package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CI run of the simulator: {@code sim.seeds} seeds (500 by default) from {@code sim.firstSeed},
 * cycling through every scenario, each with two simulated minutes of faults and a quiet phase, with
 * a correct core. Every checker must pass on every seed; a failure names the seed and the command
 * that replays it. A soak: {@code -Dsim.seeds=100000 -Dsim.firstSeed=1000000}.
 */
class SimulationSeedsTest {
  @Test
  void everySeedOfEveryScenarioPassesEveryChecker() {
    int seeds = Integer.getInteger("sim.seeds", 500);
    long first = Long.getLong("sim.firstSeed", 1L);
    long faultNanos = SimOptions.faultNanos();
    List<String> failures = new ArrayList<>();
    Map<Scenario, long[]> stats = new EnumMap<>(Scenario.class);
    long simulatedNanos = 0;
    long unknownKeys = 0;
    Coverage coverage = Coverage.NONE;
    for (long seed = first; seed < first + seeds; seed++) {
      Simulation.Result r = Simulation.run(Simulation.Options.of(seed, Scenario.forSeed(seed)).withFaultNanos(faultNanos));
      long[] s = stats.computeIfAbsent(r.options().scenario(), k -> new long[4]);
      s[0]++;
      s[1] += r.operations();
      s[2] += r.faults();
      s[3] += r.unknownOutcomes();
      simulatedNanos += r.simulatedNanos();
      unknownKeys += r.linearizabilityUnknownKeys();
      coverage = coverage.plus(r.coverage());
      if (!r.passed()) {
        failures.add(r.failure());
        if (failures.size() >= 3) {
          break;
        }
      }
    }
    stats.forEach((sc, s) -> System.out.println(sc + ": " + s[0] + " seeds, " + s[1] + " operations, " + s[2]
        + " faults, " + s[3] + " unknown outcomes"));
    System.out.println("simulated " + simulatedNanos / 1_000_000_000L + " s in total; keys whose history exceeded the "
        + "linearizability search bound: " + unknownKeys);
    System.out.println(coverage);
    assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    // The faults happened: a run where nothing was exercised proves nothing.
    assertThat(coverage.crashesWithUnsyncedWrites()).as("crashes that lost unsynced writes").isPositive();
    assertThat(coverage.pauses()).as("pauses").isPositive();
    assertThat(coverage.partitions()).as("partitions").isPositive();
    assertThat(coverage.oneWayCuts()).as("one-way cuts").isPositive();
    assertThat(coverage.membershipChanges()).as("membership changes").isPositive();
    assertThat(coverage.transfers()).as("transfers").isPositive();
    assertThat(coverage.snapshotsInstalled()).as("snapshot installs").isPositive();
    assertThat(coverage.leadersElected()).as("elections").isGreaterThan(seeds * 2L);
    assertThat(coverage.logReplicaLeaderships()).as("log replicas that led and handed off").isPositive();
    assertThat(stats.values().stream().mapToLong(s -> s[1]).sum()).as("the workload ran").isGreaterThan(seeds * 100L);
  }
}
