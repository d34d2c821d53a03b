package io.flywheel.replicahost;

import io.flywheel.base.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * Power loss at every log write: the n-th write of the log engine fails as if the machine died
 * there, the engines then lose everything unsynced, and a new host recovers. Every proposal that
 * was acknowledged must be in the recovered state. This is what catches "acknowledge before the
 * log is durable"; a process kill cannot, because the OS keeps written pages of a killed process.
 */
class PowerLossTest {
  /** Delegates to an engine until its n-th write, which (and everything after) fails unapplied. */
  static final class DyingEngine implements KvEngine {
    private final KvEngine delegate;
    private int writesLeft;

    DyingEngine(KvEngine delegate, int writesBeforeDeath) {
      this.delegate = delegate;
      this.writesLeft = writesBeforeDeath;
    }

    @Override
    public byte[] get(Space space, byte[] key) {
      return delegate.get(space, key);
    }

    @Override
    public KvBatch newBatch() {
      return delegate.newBatch();
    }

    @Override
    public synchronized void write(KvBatch batch, boolean sync) {
      if (writesLeft-- <= 0) {
        throw new IllegalStateException("power lost");
      }
      delegate.write(batch, sync);
    }

    @Override
    public void syncWal() {
      delegate.syncWal();
    }

    @Override
    public KvIterator iterator(Space space, byte[] start, byte[] end, boolean reverse) {
      return delegate.iterator(space, start, end, reverse);
    }

    @Override
    public void close() {}
  }

  @Test
  void everyAcknowledgedProposalSurvivesPowerLossAtAnyLogWrite() {
    for (int death = 1; death <= 40; death++) {
      MemoryKvEngine kv = new MemoryKvEngine();
      MemoryKvEngine log = new MemoryKvEngine();
      ReplicaHost host = new ReplicaHost(kv, new DyingEngine(log, death), HostConfig.defaults(1).withLimits(1000, 8, 1 << 20, 1_000_000), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      List<CompletableFuture<Object>> proposals = new ArrayList<>();
      try {
        GroupHandle<String> group = host.register(1, new ReplicaHostTest.Registers(1));
        for (int i = 0; i < 200; i++) {
          proposals.add(group.propose("put k" + i + " v" + i));
        }
      } catch (IllegalStateException e) {
        assertThat(e).hasMessage("power lost"); // while registering: nothing was proposed
      }
      List<Integer> acknowledged = new ArrayList<>();
      for (int i = 0; i < proposals.size(); i++) {
        try {
          proposals.get(i).join();
          acknowledged.add(i);
        } catch (RuntimeException e) {
          // failed or never decided: may or may not have happened
        }
      }
      host.close();
      kv.crash(RandomSource.seeded(death));
      log.crash(RandomSource.seeded(-death));
      ReplicaHost recovered = new ReplicaHost(kv, log, HostConfig.defaults(1), HostEnvironment.singleNode(new ManualClock(0), RandomSource.seeded(1), Thread::new));
      recovered.register(1, new ReplicaHostTest.Registers(1));
      for (int i : acknowledged) {
        byte[] v = kv.get(Space.DATA, ReplicaHostTest.key(1, "k" + i));
        assertThat(v == null ? null : new String(v, StandardCharsets.UTF_8))
            .as("power lost at log write %d: acknowledged k%d", death, i).isEqualTo("v" + i);
      }
      recovered.close();
    }
  }
}
