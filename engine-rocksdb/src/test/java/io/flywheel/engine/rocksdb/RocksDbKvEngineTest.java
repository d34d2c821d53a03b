package io.flywheel.engine.rocksdb;

import io.flywheel.engine.KvEngine;
import io.flywheel.engine.KvEngineContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksDbKvEngineTest extends KvEngineContract {
  @TempDir Path dir;

  @Override
  protected KvEngine open() {
    return RocksDbKvEngine.open(dir.resolve("db"), RocksDbConfig.small());
  }

  @Override
  protected KvEngine reopen() {
    engine.close();
    return open();
  }
}
