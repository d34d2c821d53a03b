package io.flywheel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import org.junit.jupiter.api.Test;

class MemoryKvEngineTest extends KvEngineContract {
  private MemoryKvEngine memory;

  @Override
  protected KvEngine open() {
    memory = new MemoryKvEngine();
    return memory;
  }

  @Override
  protected KvEngine reopen() {
    memory.crash(RandomSource.seeded(1)); // everything was synced, so nothing may be lost
    return memory;
  }

  @Test
  void aCrashKeepsSyncedWritesAndAPrefixOfTheRest() {
    for (long seed = 0; seed < 50; seed++) {
      MemoryKvEngine e = new MemoryKvEngine();
      write(e, "synced", true);
      for (int i = 0; i < 5; i++) {
        write(e, "u" + i, false);
      }
      e.crash(RandomSource.seeded(seed));
      assertThat(e.get(Space.DATA, b("synced"))).isNotNull();
      boolean gap = false;
      for (int i = 0; i < 5; i++) {
        boolean present = e.get(Space.DATA, b("u" + i)) != null;
        assertThat(!gap || !present).as("seed %d: u%d survived after a lost write", seed, i).isTrue();
        gap |= !present;
      }
    }
  }

  @Test
  void aCrashCanLoseEveryUnsyncedWrite() {
    boolean sawLoss = false;
    for (long seed = 0; seed < 20 && !sawLoss; seed++) {
      MemoryKvEngine e = new MemoryKvEngine();
      write(e, "u", false);
      e.crash(RandomSource.seeded(seed));
      sawLoss = e.get(Space.DATA, b("u")) == null;
    }
    assertThat(sawLoss).isTrue();
  }

  private static void write(MemoryKvEngine e, String key, boolean sync) {
    try (KvBatch batch = e.newBatch()) {
      batch.put(Space.DATA, b(key), b("v"));
      e.write(batch, sync);
    }
  }
}
