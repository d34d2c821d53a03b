package io.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.server.ClusterConfig.Role;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster file: what it accepts, what it refuses with a message naming the setting, and the layout dev-cluster writes. */
class ClusterConfigTest {
  static final String THREE_AND_A_ROUTER = """
      cluster.replication-factor=3
      cluster.partitions-per-table=4
      node.1.az=az-a
      node.1.address=10.0.0.1:7101
      node.1.roles=storage,metadata
      node.2.az=az-b
      node.2.address=10.0.0.2:7101
      node.2.roles=storage, metadata
      node.3.az=az-c
      node.3.address=10.0.0.3:7101
      node.3.roles=storage,metadata
      node.9.address=10.0.1.9:7101
      node.9.roles=router
      node.9.http=0.0.0.0:8000
      """;

  static ClusterConfig parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return ClusterConfig.parse(p);
  }

  @Test
  void aValidFileGivesNodesRolesZonesAndAddresses() {
    ClusterConfig c = parse(THREE_AND_A_ROUTER);
    assertThat(c.replicationFactor()).isEqualTo(3);
    assertThat(c.partitionsPerTable()).isEqualTo(4);
    assertThat(c.ids(Role.STORAGE)).containsExactly(1L, 2L, 3L);
    assertThat(c.ids(Role.METADATA)).containsExactly(1L, 2L, 3L);
    assertThat(c.ids(Role.ROUTER)).containsExactly(9L);
    assertThat(c.node(2).availabilityZone()).isEqualTo("az-b");
    assertThat(c.node(9).http().getPort()).isEqualTo(8000);
    assertThat(c.node(3).address().getHostString()).isEqualTo("10.0.0.3");
  }

  @Test
  void mistakesAreRefusedWithTheSettingNamed() {
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.1.adress=x:1\n")).hasMessageContaining("unknown setting node.1.adress");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "cluster.replicas=3\n")).hasMessageContaining("unknown setting cluster.replicas");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.roles=storage\n")).hasMessageContaining("node 4 has no node.4.address");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.address=h:1\nnode.4.roles=storage,cache\n"))
        .hasMessageContaining("unknown role 'cache'");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.address=h:99999\n")).hasMessageContaining("must be host:port");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.0.address=h:1\n")).hasMessageContaining("node ids are positive");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.address=h:1\nnode.4.roles=metadata\n"))
        .hasMessageContaining("a metadata node must also be a storage node");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.address=h:1\nnode.4.roles=router\n"))
        .hasMessageContaining("a router needs node.4.http");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER + "node.4.address=h:1\nnode.4.roles=storage,metadata,router\nnode.4.http=h:2\n"))
        .hasMessageContaining("a router cannot also be a metadata node");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER.replace("cluster.replication-factor=3", "cluster.replication-factor=5")))
        .hasMessageContaining("needs as many storage nodes");
    assertThatThrownBy(() -> parse(THREE_AND_A_ROUTER.replace("cluster.partitions-per-table=4", "cluster.partitions-per-table=lots")))
        .hasMessageContaining("must be an integer");
  }

  @Test
  void whatDevClusterWritesLoadsBackTheSame(@TempDir Path dir) throws IOException {
    ClusterConfig layout = DevCluster.layout(6, 2, 7101, 8000, 2);
    assertThat(layout.ids(Role.STORAGE)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(layout.ids(Role.METADATA)).containsExactly(1L, 2L, 3L);
    assertThat(layout.ids(Role.METADATA).stream().map(id -> layout.node(id).availabilityZone()))
        .as("the catalog's replicas in three zones").containsExactlyInAnyOrder("az-a", "az-b", "az-c");
    assertThat(layout.ids(Role.ROUTER)).containsExactly(7L, 8L);
    assertThat(layout.node(8).http().getPort()).isEqualTo(8001);
    Path file = dir.resolve("cluster.properties");
    layout.write(file);
    assertThat(ClusterConfig.load(file)).isEqualTo(layout);
    assertThat(Files.readString(file)).contains("node.1.roles=storage,metadata");
    assertThatThrownBy(() -> DevCluster.layout(2, 1, 7101, 8000, 2)).hasMessageContaining("at least 3 storage nodes");
  }
}
