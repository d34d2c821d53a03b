package io.flywheel.server;

import io.flywheel.server.ClusterConfig.NodeSpec;
import io.flywheel.server.ClusterConfig.Role;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flywheel dev-cluster}: a whole cluster on this machine, one process per node on loopback —
 * storage nodes spread over three availability-zone labels (the first of each zone also holding
 * the catalog), and routers serving the DynamoDB API on consecutive ports. Writes the cluster file
 * it uses next to the nodes' data, so the same layout can be started by hand with {@code flywheel
 * node}. Stopping it (Ctrl-C) stops every node.
 */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
    description = "Run a local cluster: N storage nodes in 3 AZs (3 of them metadata) and routers, one process each.")
final class DevCluster implements Callable<Integer> {
  static final List<String> ZONES = List.of("az-a", "az-b", "az-c");

  @Option(names = "--storage-nodes", description = "storage nodes (default: ${DEFAULT-VALUE})", defaultValue = "6")
  int storageNodes;

  @Option(names = "--routers", description = "routers (default: ${DEFAULT-VALUE})", defaultValue = "2")
  int routers;

  @Option(names = "--port", description = "HTTP port of the first router; the others follow (default: ${DEFAULT-VALUE})",
      defaultValue = "8000")
  int port;

  @Option(names = "--node-port", description = "node-to-node port of node 1; node N listens on this + N - 1 (default: ${DEFAULT-VALUE})",
      defaultValue = "7101")
  int nodePort;

  @Option(names = "--data-dir", description = "where the nodes' data and logs live (default: ${DEFAULT-VALUE})",
      defaultValue = "./data/dev-cluster")
  Path dataDir;

  @Option(names = "--partitions-per-table", description = "partitions a new table starts with (default: ${DEFAULT-VALUE})",
      defaultValue = "2")
  int partitionsPerTable;

  /** The layout: storage nodes 1..n round-robin over the zones, the first three metadata too, then the routers. */
  static ClusterConfig layout(int storageNodes, int routers, int nodePort, int httpPort, int partitionsPerTable) {
    if (storageNodes < 3 || routers < 1) {
      throw new IllegalArgumentException("a dev cluster needs at least 3 storage nodes and 1 router");
    }
    Map<Long, NodeSpec> nodes = new LinkedHashMap<>();
    for (long id = 1; id <= storageNodes; id++) {
      EnumSet<Role> roles = id <= 3 ? EnumSet.of(Role.STORAGE, Role.METADATA) : EnumSet.of(Role.STORAGE);
      nodes.put(id, new NodeSpec(id, ZONES.get((int) ((id - 1) % 3)), InetSocketAddress.createUnresolved("127.0.0.1",
          nodePort + (int) id - 1), roles, null));
    }
    for (int r = 0; r < routers; r++) {
      long id = storageNodes + 1 + r;
      nodes.put(id, new NodeSpec(id, ZONES.get(r % 3), InetSocketAddress.createUnresolved("127.0.0.1", nodePort + (int) id - 1),
          EnumSet.of(Role.ROUTER), InetSocketAddress.createUnresolved("127.0.0.1", httpPort == 0 ? 0 : httpPort + r)));
    }
    return new ClusterConfig(3, partitionsPerTable, nodes);
  }

  @Override
  public Integer call() throws Exception {
    ClusterConfig cluster;
    try {
      cluster = layout(storageNodes, routers, nodePort, port, partitionsPerTable);
    } catch (IllegalArgumentException e) {
      System.err.println("flywheel: " + e.getMessage());
      return 2;
    }
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("cluster.properties");
    cluster.write(file);
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    List<Process> processes = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(processes), "dev-cluster-stop"));
    for (NodeSpec n : cluster.nodes().values()) {
      Path nodeData = dataDir.resolve("node-" + n.id());
      List<String> command = List.of(java, "-Xmx512m", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar,
          "node", "--config", file.toString(), "--node-id", Long.toString(n.id()), "--data-dir", nodeData.toString(),
          "--replica-workers", "1", "--io-threads", "2", "--block-cache-mb", "32");
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node-" + n.id() + ".log").toFile())).start();
      synchronized (processes) {
        processes.add(p);
      }
      System.out.printf("node %d (%s, %s) started, pid %d%n", n.id(), n.availabilityZone(), n.roles(), p.pid());
    }
    System.out.printf("Flywheel dev cluster: %d storage nodes in %s, routers serving the DynamoDB API on %s; cluster file %s, logs in %s%n",
        storageNodes, ZONES, routerEndpoints(cluster), file.toAbsolutePath().normalize(), dataDir.toAbsolutePath().normalize());
    System.out.flush();
    // Runs until stopped; a node that exits (or is killed to try failover) is reported, the others go on.
    CountDownLatch allExited = new CountDownLatch(processes.size());
    List<NodeSpec> specs = new ArrayList<>(cluster.nodes().values());
    for (int i = 0; i < processes.size(); i++) {
      NodeSpec n = specs.get(i);
      processes.get(i).onExit().thenRun(() -> {
        System.err.printf("flywheel: node %d exited; its log is %s%n", n.id(), dataDir.resolve("node-" + n.id() + ".log"));
        allExited.countDown();
      });
    }
    allExited.await();
    return 0;
  }

  private static List<String> routerEndpoints(ClusterConfig cluster) {
    List<String> endpoints = new ArrayList<>();
    for (long id : cluster.ids(Role.ROUTER)) {
      endpoints.add("http://localhost:" + cluster.node(id).http().getPort());
    }
    return endpoints;
  }

  private static void stopAll(List<Process> processes) {
    List<Process> all;
    synchronized (processes) {
      all = List.copyOf(processes);
    }
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
