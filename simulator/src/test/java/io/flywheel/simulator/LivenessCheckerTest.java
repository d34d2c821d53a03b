package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The liveness checker can fail: a group whose nodes never hear each other again elects nobody. */
class LivenessCheckerTest {
  @Test
  void aGroupThatStaysPartitionedAfterFaultsFailsLiveness() {
    Simulation.Options o = Simulation.Options.of(3, Scenario.LEADER_CRASH).withFaultNanos(5_000 * Simulation.MS);
    Simulation partitioned = Simulation.create(o);
    partitioned.partitionForeverAfterFaults = true;
    Simulation.Result r = partitioned.execute();
    assertThat(r.checker()).as(String.valueOf(r.failure())).isEqualTo("liveness");
    assertThat(r.failure()).contains("no replica serves");

    Simulation.Result healed = Simulation.run(o);
    assertThat(healed.failure()).as("the same run, healed").isNull();
  }
}
