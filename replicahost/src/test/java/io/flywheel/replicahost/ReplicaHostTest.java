package io.flywheel.replicahost;

import io.flywheel.base.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.CorruptDataException;
import io.flywheel.base.RandomSource;
import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvIterator;
import io.flywheel.engine.MemoryKvEngine;
import io.flywheel.engine.Space;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaHostTest {
  private final MemoryKvEngine kv = new MemoryKvEngine();
  private final MemoryKvEngine log = new MemoryKvEngine();
  private ReplicaHost host;

  @AfterEach
  void tearDown() {
    if (host != null) {
      host.close();
    }
  }

  /** A register per key: "put k v" appends; "fail" is rejected; "block" waits for a latch. */
  static final class Registers implements StateMachine<String> {
    final long groupId;
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(0);

    Registers(long groupId) {
      this.groupId = groupId;
    }

    @Override
    public Evaluation evaluate(String command, long index) {
      if (command.equals("fail")) {
        return new Evaluation.Reject(new IllegalStateException("rejected"));
      }
      if (command.startsWith("block")) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new RuntimeException(e);
        }
      }
      return new Evaluation.Append(command.getBytes(StandardCharsets.UTF_8), command);
    }

    @Override
    public void apply(long index, byte[] entry, KvBatch batch) {
      String[] parts = new String(entry, StandardCharsets.UTF_8).split(" ");
      batch.put(Space.DATA, key(groupId, parts[1]), parts[2].getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void applied(long index) {}

    @Override
    public void discardDecisions(KvEngine kv) {}
  }

  static byte[] key(long groupId, String k) {
    return (groupId + "/" + k).getBytes(StandardCharsets.UTF_8);
  }

  private ReplicaHost newHost(HostConfig config) {
    host = new ReplicaHost(kv, log, config, HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
    return host;
  }

  private static String value(KvEngine kv, long groupId, String k) {
    byte[] v = kv.get(Space.DATA, key(groupId, k));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  @Test
  void acknowledgedProposalsSurviveACrashThatLosesUnsyncedItemWrites() throws Exception {
    for (long seed = 0; seed < 10; seed++) {
      MemoryKvEngine kv = new MemoryKvEngine();
      MemoryKvEngine log = new MemoryKvEngine();
      ReplicaHost h = new ReplicaHost(kv, log, HostConfig.defaults(2), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      GroupHandle<String> g1 = h.register(1, new Registers(1));
      GroupHandle<String> g2 = h.register(2, new Registers(2));
      List<CompletableFuture<Object>> acks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        acks.add((i % 2 == 0 ? g1 : g2).propose("put k" + i + " v" + i));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).join();
      h.close();
      kv.crash(RandomSource.seeded(seed));
      log.crash(RandomSource.seeded(seed + 1000));
      ReplicaHost recovered = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      recovered.register(1, new Registers(1));
      recovered.register(2, new Registers(2));
      for (int i = 0; i < 200; i++) {
        assertThat(value(kv, i % 2 == 0 ? 1 : 2, "k" + i)).as("seed %d key k%d", seed, i).isEqualTo("v" + i);
      }
      recovered.close();
    }
  }

  @Test
  void proposalsQueuedDuringALoopShareOneLogSync() throws Exception {
    newHost(HostConfig.defaults(1));
    Registers registers = new Registers(1);
    registers.release = new CountDownLatch(1);
    GroupHandle<String> g = host.register(1, registers);
    CompletableFuture<Object> first = g.propose("block k0 v0");
    registers.entered.await();
    List<CompletableFuture<Object>> rest = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      rest.add(g.propose("put k" + i + " v" + i));
    }
    long syncsBefore = log.syncCount();
    registers.release.countDown();
    first.join();
    CompletableFuture.allOf(rest.toArray(new CompletableFuture[0])).join();
    assertThat(log.syncCount() - syncsBefore).isEqualTo(2);
    assertThat(value(kv, 1, "k50")).isEqualTo("v50");
  }

  @Test
  void aRejectionCompletesExceptionallyAndChangesNothing() {
    newHost(HostConfig.defaults(1));
    GroupHandle<String> g = host.register(1, new Registers(1));
    g.propose("put a 1").join();
    assertThatThrownBy(() -> g.propose("fail").join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(g.propose("put b 2").join()).isEqualTo("put b 2");
    assertThat(countLogEntries()).isEqualTo(2);
  }

  @Test
  void theLogIsTruncatedOnceItemsAreDurableAndRecoveryStillWorks() throws Exception {
    newHost(HostConfig.defaults(1).withLimits(100, 1, 1 << 20, 10));
    GroupHandle<String> g = host.register(1, new Registers(1));
    for (int i = 0; i < 100; i++) {
      g.propose("put k" + i + " v" + i).join();
    }
    // durable offer -> replica floor -> truncation: three hand-offs between threads, so wait for the outcome
    ThreeNodeGroupTest.await(() -> countLogEntries() < 20, "the log truncated below what is durable");
    host.close();
    kv.crash(RandomSource.seeded(3));
    log.crash(RandomSource.seeded(4));
    newHost(HostConfig.defaults(1));
    host.register(1, new Registers(1));
    for (int i = 0; i < 100; i++) {
      assertThat(value(kv, 1, "k" + i)).isEqualTo("v" + i);
    }
  }

  @Test
  void droppingAGroupDeletesItsLogAndAppliedState() {
    newHost(HostConfig.defaults(1));
    GroupHandle<String> g = host.register(7, new Registers(7));
    g.propose("put a 1").join();
    host.drop(7, batch -> batch.delete(Space.DATA, key(7, "a"))).join();
    assertThat(countLogEntries()).isZero();
    assertThat(value(kv, 7, "a")).isNull();
    assertThat(host.group(7)).isNull();
    assertThatThrownBy(() -> g.propose("put b 2").join()).hasCauseInstanceOf(HostRejectedException.class);
  }

  @Test
  void aCorruptLogEntryStopsRecoveryLoudly() {
    newHost(HostConfig.defaults(1));
    GroupHandle<String> g = host.register(1, new Registers(1));
    g.propose("put a 1").join();
    host.close();
    kv.crash(RandomSource.seeded(0)); // may lose the applied index, forcing a replay
    try (KvBatch batch = kv.newBatch()) {
      batch.delete(Space.STATE, LogKeys.appliedKey(1));
      kv.write(batch, true);
    }
    try (KvBatch batch = log.newBatch()) {
      batch.put(Space.DATA, LogKeys.entryKey(1, 1), new byte[] {0, 0, 0, 0, 'x'});
      log.write(batch, true);
    }
    newHost(HostConfig.defaults(1));
    assertThatThrownBy(() -> host.register(1, new Registers(1))).isInstanceOf(CorruptDataException.class);
  }

  @Test
  void orphanLogsAreFoundAndDeleted() {
    newHost(HostConfig.defaults(1));
    host.register(1, new Registers(1)).propose("put a 1").join();
    host.register(2, new Registers(2)).propose("put b 2").join();
    host.close();
    newHost(HostConfig.defaults(1));
    host.register(1, new Registers(1));
    assertThat(host.unregisteredLogGroups()).containsExactly(2L);
    host.deleteOrphanLog(2);
    assertThat(host.unregisteredLogGroups()).isEmpty();
  }

  /** Log records that are entries carrying commands (not the NOOPs of elections, nor hard states). */
  private int countLogEntries() {
    int n = 0;
    try (KvIterator it = log.iterator(Space.DATA, null, null, false)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        long index = LogKeys.indexOf(it.key());
        if (index < LogKeys.FLOOR
            && LogKeys.decodeEntry(LogKeys.groupOf(it.key()), index, it.value()).kind() == io.flywheel.replication.EntryKind.COMMAND) {
          n++;
        }
      }
    }
    return n;
  }
}
