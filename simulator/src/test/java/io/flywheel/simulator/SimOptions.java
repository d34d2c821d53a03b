package io.flywheel.simulator;

import io.flywheel.replication.PlantedBug;
import java.util.EnumSet;
import java.util.Set;

/** Run options from system properties ({@code -Dsim.*}), for the tests that take them. */
final class SimOptions {
  private SimOptions() {}

  static long faultNanos() {
    return Long.getLong("sim.faultMillis", 180_000L) * Simulation.MS;
  }

  static Set<PlantedBug> bugs() {
    String s = System.getProperty("sim.bugs", "");
    Set<PlantedBug> out = EnumSet.noneOf(PlantedBug.class);
    for (String name : s.split(",")) {
      if (!name.isBlank()) {
        out.add(PlantedBug.valueOf(name.trim()));
      }
    }
    return out;
  }
}
