package io.flywheel.replicahost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import io.flywheel.replication.Config;
import io.flywheel.replication.Membership;
import io.flywheel.replication.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three hosts in one JVM, each with its own engines and threads, joined by an in-memory network
 * that can cut nodes off: one replication group across them, driven through the host runtime as
 * storage nodes drive it. Time is real (the hosts' loops and timers run), with short timeouts.
 */
@Timeout(60)
class ThreeNodeGroupTest {
  static final long GROUP = 42;
  static final long MS = 1_000_000L;
  static final Config FAST = new Config(200 * MS, 20 * MS, 150 * MS, 20 * MS, 64, 1 << 20, 8, 1024, 1024, 1 << 20, 256,
      100 * MS, 1_000 * MS);
  static final HostConfig CONFIG = new HostConfig(1, 16_384, 1_024, 16L << 20, 50_000, 5 * MS, 1_024, 2_000 * MS, FAST);

  /** The real monotonic clock (tests may read it; production code gets it injected). */
  static final Clock REAL = new Clock() {
    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }

    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }
  };

  final Map<Long, ReplicaHost> hosts = new ConcurrentHashMap<>();
  final Map<Long, MemoryKvEngine> kvs = new ConcurrentHashMap<>();
  final Map<Long, MemoryKvEngine> logs = new ConcurrentHashMap<>();
  final Map<Long, GroupHandle<String>> handles = new ConcurrentHashMap<>();
  /** Nodes cut off from everyone: their messages, in and out, are lost. */
  final Set<Long> isolated = ConcurrentHashMap.newKeySet();

  final PeerNetwork network = new PeerNetwork() {
    @Override
    public void send(Message m) {
      ReplicaHost to = hosts.get(m.to());
      if (to != null && !isolated.contains(m.to()) && !isolated.contains(m.from())) {
        to.deliver(m);
      }
    }
  };

  void start(long node) {
    kvs.computeIfAbsent(node, n -> new MemoryKvEngine());
    logs.computeIfAbsent(node, n -> new MemoryKvEngine());
    ReplicaHost host = new ReplicaHost(kvs.get(node), logs.get(node), CONFIG,
        new HostEnvironment(node, REAL, RandomSource.seeded(node), Thread::new, network));
    hosts.put(node, host);
    handles.put(node, host.register(GROUP, new ReplicaHostTest.Registers(GROUP), Membership.fullVoters(1, 2, 3)));
  }

  /** Stops a node as a power cut does: its threads end and its engines lose what was not synced. */
  void crash(long node) {
    ReplicaHost h = hosts.remove(node);
    handles.remove(node);
    h.close();
    kvs.get(node).crash(RandomSource.seeded(node * 7));
    logs.get(node).crash(RandomSource.seeded(node * 11));
  }

  @AfterEach
  void tearDown() {
    for (ReplicaHost h : hosts.values()) {
      h.close();
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s for: %s", what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** The one node whose replica serves consistent reads, once there is exactly one. */
  long awaitLeader() {
    return awaitLeaderOtherThan(0);
  }

  /** As {@link #awaitLeader}, for a leader other than {@code previous}; never two serving meanwhile. */
  long awaitLeaderOtherThan(long previous) {
    long[] leader = {0};
    await(() -> {
      List<Long> serving = new ArrayList<>();
      handles.forEach((node, handle) -> {
        if (handle.servesConsistentReads()) {
          serving.add(node);
        }
      });
      assertThat(serving).as("replicas serving consistent reads at once").hasSizeLessThanOrEqualTo(1);
      if (serving.size() == 1 && serving.get(0) != previous) {
        leader[0] = serving.get(0);
        return true;
      }
      return false;
    }, "one serving leader");
    return leader[0];
  }

  String value(long node, String key) {
    byte[] v = kvs.get(node).get(Space.DATA, ReplicaHostTest.key(GROUP, key));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /** Proposes until the leader acknowledges (a new leader may refuse while it takes over). */
  void write(String key, String value) {
    await(() -> {
      long leader = awaitLeader();
      try {
        handles.get(leader).propose("put " + key + " " + value).join();
        return true;
      } catch (CompletionException e) {
        return false;
      }
    }, "an acknowledged write of " + key);
  }

  @Test
  void aGroupOfThreeElectsOneLeaderWhichReplicatesToEveryReplica() {
    for (long n = 1; n <= 3; n++) {
      start(n);
    }
    long leader = awaitLeader();
    List<CompletableFuture<Object>> acks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      acks.add(handles.get(leader).propose("put k" + i + " v" + i));
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).join();
    for (int i = 0; i < 100; i++) {
      assertThat(value(leader, "k" + i)).as("acknowledged only once applied on the leader").isEqualTo("v" + i);
    }
    for (long n = 1; n <= 3; n++) {
      long node = n;
      await(() -> "v99".equals(value(node, "k99")), "node " + node + " applied everything");
    }
    long follower = leader == 1 ? 2 : 1;
    assertThat(handles.get(follower).servesConsistentReads()).isFalse();
    assertThatThrownBy(() -> handles.get(follower).propose("put x y").join())
        .hasCauseInstanceOf(HostRejectedException.class)
        .satisfies(e -> {
          HostRejectedException r = (HostRejectedException) e.getCause();
          assertThat(r.reason()).isEqualTo(HostRejectedException.Reason.NOT_LEADER);
          assertThat(r.leaderHint()).isEqualTo(leader);
        });
  }

  @Test
  void whenTheLeaderDiesAnotherTakesOverAndNoAcknowledgedWriteIsLost() {
    for (long n = 1; n <= 3; n++) {
      start(n);
    }
    for (int i = 0; i < 50; i++) {
      write("a" + i, "v" + i);
    }
    long first = awaitLeader();
    crash(first);
    long second = awaitLeaderOtherThan(first);
    assertThat(second).isNotEqualTo(first);
    for (int i = 0; i < 50; i++) {
      assertThat(value(second, "a" + i)).as("acknowledged before the crash: a%d", i).isEqualTo("v" + i);
    }
    for (int i = 0; i < 50; i++) {
      write("b" + i, "w" + i);
    }
    // the crashed node comes back from what it had synced, and catches up from the new leader
    start(first);
    await(() -> "w49".equals(value(first, "b49")), "the restarted node caught up");
    for (int i = 0; i < 50; i++) {
      assertThat(value(first, "a" + i)).isEqualTo("v" + i);
    }
  }

  @Test
  void anIsolatedLeaderStopsServingBeforeTheOthersElectANewOne() {
    for (long n = 1; n <= 3; n++) {
      start(n);
    }
    write("k", "1");
    long first = awaitLeader();
    isolated.add(first);
    long second = awaitLeaderOtherThan(first); // never two serving at a check, across the failover
    assertThat(second).isNotEqualTo(first);
    assertThat(handles.get(first).servesConsistentReads()).isFalse();
    write("k", "2");
    isolated.remove(first);
    await(() -> "2".equals(value(first, "k")), "the old leader learned the new value");
    assertThat(handles.get(first).servesConsistentReads()).isFalse();
  }
}
