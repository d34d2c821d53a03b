package io.flywheel.replicahost;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.replication.Membership;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A measurement, not a test: what idle replication groups cost. Three hosts in this JVM (in-memory
 * engines, an in-process network), {@code groups} groups of three replicas each (one per host),
 * default timeouts; once every group has a serving leader, the process's CPU time over a quiet
 * window, per node, as a fraction of one core. Run:
 *
 * <pre>
 * mvn -q -pl replicahost -am test-compile
 * java -cp "$(cat replicahost/target/cp.txt):replicahost/target/test-classes:replicahost/target/classes" \
 *   io.flywheel.replicahost.IdleGroupsMeasurement 5000 10
 * </pre>
 *
 * (after {@code mvn -pl replicahost dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class IdleGroupsMeasurement {
  private IdleGroupsMeasurement() {}

  static HostConfig withTick(HostConfig c, long tickMillis) {
    return new HostConfig(c.workers(), c.queueCapacity(), c.maxBatchProposals(), c.maxBatchBytes(), c.logRetainEntries(),
        tickMillis * 1_000_000, c.heldProposalsMax(), c.holdProposalNanos(), c.replication());
  }

  public static void main(String[] args) throws Exception {
    int groups = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long tickMillis = args.length > 2 ? Long.parseLong(args[2]) : 10;
    Clock clock = ThreeNodeGroupTest.REAL;
    Map<Long, ReplicaHost> hosts = new ConcurrentHashMap<>();
    PeerNetwork network = m -> {
      ReplicaHost to = hosts.get(m.to());
      if (to != null) {
        to.deliver(m);
      }
    };
    for (long node = 1; node <= 3; node++) {
      hosts.put(node, new ReplicaHost(new MemoryKvEngine(), new MemoryKvEngine(), withTick(HostConfig.defaults(1).withLimits(1 << 20, 1_024, 16L << 20, 50_000), tickMillis),
          new HostEnvironment(node, clock, RandomSource.seeded(node), Thread::new, network)));
    }
    List<GroupHandle<String>> leaders = new ArrayList<>();
    for (long g = 1; g <= groups; g++) {
      // rotate the preferred leader as placement does
      long first = 1 + (g % 3);
      Membership members = Membership.fullVoters(first, 1 + (first % 3), 1 + ((first + 1) % 3));
      for (long node = 1; node <= 3; node++) {
        GroupHandle<String> h = hosts.get(node).register(g, new ReplicaHostTest.Registers(g), members);
        if (node == first) {
          leaders.add(h);
        }
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (leaders.stream().anyMatch(h -> !h.servesConsistentReads()) && System.nanoTime() < deadline) {
      Thread.sleep(100); // a measurement waits for the cluster to settle
    }
    long serving = leaders.stream().filter(GroupHandle::servesConsistentReads).count();
    Thread.sleep(2_000);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    double cpu = os.getProcessCpuTime() - cpuBefore;
    double wall = System.nanoTime() - wallBefore;
    System.out.printf("%d idle groups x 3 replicas on 3 hosts (%d with a serving leader at the preferred replica): "
        + "%.1f%% of one core per node (%.1f%% for the process), ticks every %d ms%n", groups, serving, 100 * cpu / wall / 3, 100 * cpu / wall, tickMillis);
    for (ReplicaHost h : hosts.values()) {
      h.close();
    }
    System.exit(0);
  }
}
