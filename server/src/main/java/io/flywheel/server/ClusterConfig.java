package io.flywheel.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster's static layout, the same file on every node: each node's id, availability zone,
 * node-to-node address and roles, and for routers the HTTP address clients use.
 *
 * <pre>
 * cluster.replication-factor = 3
 * cluster.partitions-per-table = 2
 * node.1.az = az-a
 * node.1.address = 10.0.0.1:7101
 * node.1.roles = storage,metadata
 * node.7.address = 10.0.1.1:7107
 * node.7.roles = router
 * node.7.http = 0.0.0.0:8000
 * </pre>
 *
 * <p>Rules (checked on load): node ids are positive; every node has an address; a metadata node is
 * also a storage node (its catalog replica lives in its replica host) and not a router; there are at least as many
 * storage nodes as the replication factor, at least one metadata node, and every router has an
 * HTTP address.
 */
record ClusterConfig(int replicationFactor, int partitionsPerTable, Map<Long, NodeSpec> nodes) {

  enum Role { STORAGE, METADATA, ROUTER }

  /** One node of the cluster. {@code http} is null for nodes that are not routers. */
  record NodeSpec(long id, String availabilityZone, InetSocketAddress address, Set<Role> roles, InetSocketAddress http) {
    boolean has(Role role) {
      return roles.contains(role);
    }
  }

  ClusterConfig {
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("cluster.replication-factor must be at least 1");
    }
    if (partitionsPerTable < 1 || partitionsPerTable > 1024) {
      throw new IllegalArgumentException("cluster.partitions-per-table must be in [1, 1024]");
    }
    if (idsOf(nodes, Role.STORAGE).size() < replicationFactor) {
      throw new IllegalArgumentException("the replication factor " + replicationFactor + " needs as many storage nodes; the file lists "
          + idsOf(nodes, Role.STORAGE).size());
    }
    if (idsOf(nodes, Role.METADATA).isEmpty()) {
      throw new IllegalArgumentException("no node has the metadata role");
    }
    for (NodeSpec n : nodes.values()) {
      if (n.has(Role.METADATA) && !n.has(Role.STORAGE)) {
        throw new IllegalArgumentException("node " + n.id() + ": a metadata node must also be a storage node");
      }
      if (n.has(Role.ROUTER) && n.has(Role.METADATA)) {
        // a router sends catalog changes to the catalog's leader over the bus, which cannot address its own node
        throw new IllegalArgumentException("node " + n.id() + ": a router cannot also be a metadata node");
      }
      if (n.has(Role.ROUTER) && n.http() == null) {
        throw new IllegalArgumentException("node " + n.id() + ": a router needs node." + n.id() + ".http");
      }
    }
  }

  /** The ids of the nodes with {@code role}, ascending. */
  List<Long> ids(Role role) {
    return idsOf(nodes, role);
  }

  private static List<Long> idsOf(Map<Long, NodeSpec> nodes, Role role) {
    List<Long> ids = new ArrayList<>();
    for (NodeSpec n : nodes.values()) {
      if (n.has(role)) {
        ids.add(n.id());
      }
    }
    return ids;
  }

  NodeSpec node(long id) {
    NodeSpec n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("node " + id + " is not in the cluster file");
    }
    return n;
  }

  static ClusterConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return parse(p);
  }

  static ClusterConfig parse(Properties p) {
    Map<Long, NodeSpec> nodes = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!key.startsWith("node.")) {
        if (!key.equals("cluster.replication-factor") && !key.equals("cluster.partitions-per-table")) {
          throw new IllegalArgumentException("unknown setting " + key);
        }
        continue;
      }
      String[] parts = key.split("\\.");
      if (parts.length != 3 || !List.of("az", "address", "roles", "http").contains(parts[2])) {
        throw new IllegalArgumentException("unknown setting " + key);
      }
      long id = parseId(parts[1], key);
      nodes.computeIfAbsent(id, i -> nodeFrom(p, i));
    }
    return new ClusterConfig(intSetting(p, "cluster.replication-factor", 3), intSetting(p, "cluster.partitions-per-table", 2), nodes);
  }

  private static NodeSpec nodeFrom(Properties p, long id) {
    String prefix = "node." + id + ".";
    String address = p.getProperty(prefix + "address");
    if (address == null) {
      throw new IllegalArgumentException("node " + id + " has no " + prefix + "address");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : p.getProperty(prefix + "roles", "storage").split(",")) {
      try {
        roles.add(Role.valueOf(role.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("node " + id + ": unknown role '" + role.trim() + "' (storage, metadata, router)");
      }
    }
    String http = p.getProperty(prefix + "http");
    return new NodeSpec(id, p.getProperty(prefix + "az", "default"), hostPort(address, prefix + "address"), roles,
        http == null ? null : hostPort(http, prefix + "http"));
  }

  private static long parseId(String s, String key) {
    try {
      long id = Long.parseLong(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": node ids are positive integers");
  }

  private static int intSetting(Properties p, String key, int defaultValue) {
    String v = p.getProperty(key);
    try {
      return v == null ? defaultValue : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, not '" + v + "'");
    }
  }

  static InetSocketAddress hostPort(String s, String key) {
    int colon = s.lastIndexOf(':');
    try {
      if (colon > 0) {
        int port = Integer.parseInt(s.substring(colon + 1).trim());
        if (port >= 0 && port <= 65_535) {
          return InetSocketAddress.createUnresolved(s.substring(0, colon).trim(), port);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be host:port, not '" + s + "'");
  }

  /** Writes this layout in the file format {@link #load} reads. */
  void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder("# Flywheel cluster layout: the same file on every node\n");
    b.append("cluster.replication-factor=").append(replicationFactor).append('\n');
    b.append("cluster.partitions-per-table=").append(partitionsPerTable).append('\n');
    for (NodeSpec n : nodes.values()) {
      String prefix = "node." + n.id() + ".";
      b.append(prefix).append("az=").append(n.availabilityZone()).append('\n');
      b.append(prefix).append("address=").append(n.address().getHostString()).append(':').append(n.address().getPort()).append('\n');
      List<String> roles = new ArrayList<>();
      for (Role r : n.roles()) {
        roles.add(r.name().toLowerCase(Locale.ROOT));
      }
      b.append(prefix).append("roles=").append(String.join(",", roles)).append('\n');
      if (n.http() != null) {
        b.append(prefix).append("http=").append(n.http().getHostString()).append(':').append(n.http().getPort()).append('\n');
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(b.toString());
    }
  }
}
