package io.flywheel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KvEngine} must have. Subclasses supply the engine. */
public abstract class KvEngineContract {
  protected KvEngine engine;

  protected abstract KvEngine open() throws Exception;

  /** Closes and reopens the same store (after a clean shutdown). */
  protected abstract KvEngine reopen() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    engine = open();
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  protected static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void put(Space space, String k, String v, boolean sync) {
    try (KvBatch batch = engine.newBatch()) {
      batch.put(space, b(k), b(v));
      engine.write(batch, sync);
    }
  }

  private List<String> keys(Space space, String start, String end, boolean reverse) {
    List<String> out = new ArrayList<>();
    try (KvIterator it = engine.iterator(space, start == null ? null : b(start), end == null ? null : b(end), reverse)) {
      for (it.seekFirst(); it.valid(); it.next()) {
        out.add(new String(it.key(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void getReturnsWhatWasPutAndNullOtherwise() {
    put(Space.DATA, "k", "v", false);
    assertThat(engine.get(Space.DATA, b("k"))).isEqualTo(b("v"));
    assertThat(engine.get(Space.DATA, b("missing"))).isNull();
  }

  @Test
  void spacesAreSeparate() {
    put(Space.DATA, "k", "data", false);
    put(Space.STATE, "k", "state", false);
    assertThat(engine.get(Space.DATA, b("k"))).isEqualTo(b("data"));
    assertThat(engine.get(Space.STATE, b("k"))).isEqualTo(b("state"));
  }

  @Test
  void batchAppliesAllOperationsInOrder() {
    put(Space.DATA, "a", "1", false);
    try (KvBatch batch = engine.newBatch()) {
      batch.put(Space.DATA, b("b"), b("2"));
      batch.delete(Space.DATA, b("a"));
      batch.put(Space.DATA, b("b"), b("3"));
      batch.put(Space.STATE, b("applied"), b("7"));
      assertThat(batch.count()).isEqualTo(4);
      engine.write(batch, true);
    }
    assertThat(engine.get(Space.DATA, b("a"))).isNull();
    assertThat(engine.get(Space.DATA, b("b"))).isEqualTo(b("3"));
    assertThat(engine.get(Space.STATE, b("applied"))).isEqualTo(b("7"));
  }

  @Test
  void iteratesRangesInUnsignedOrderBothWays() {
    for (String k : new String[] {"a", "b", "c", "d"}) {
      put(Space.DATA, k, k, false);
    }
    try (KvBatch batch = engine.newBatch()) {
      batch.put(Space.DATA, new byte[] {(byte) 0xF0}, b("high"));
      engine.write(batch, false);
    }
    assertThat(keys(Space.DATA, "b", "d", false)).containsExactly("b", "c");
    assertThat(keys(Space.DATA, "b", "d", true)).containsExactly("c", "b");
    assertThat(keys(Space.DATA, null, "c", false)).containsExactly("a", "b");
    assertThat(keys(Space.DATA, "c", null, false)).hasSize(3).startsWith("c", "d");
    assertThat(keys(Space.STATE, null, null, false)).isEmpty();
  }

  @Test
  void iteratorSeesAPointInTimeView() {
    put(Space.DATA, "a", "1", false);
    put(Space.DATA, "b", "2", false);
    try (KvIterator it = engine.iterator(Space.DATA, null, null, false)) {
      it.seekFirst();
      put(Space.DATA, "aa", "new", false);
      List<String> seen = new ArrayList<>();
      for (; it.valid(); it.next()) {
        seen.add(new String(it.key(), StandardCharsets.UTF_8));
      }
      assertThat(seen).containsExactly("a", "b");
    }
  }

  @Test
  void deleteRangeRemovesExactlyTheHalfOpenRange() {
    for (String k : new String[] {"a", "b", "c", "d"}) {
      put(Space.DATA, k, k, false);
    }
    try (KvBatch batch = engine.newBatch()) {
      batch.deleteRange(Space.DATA, b("b"), b("d"));
      engine.write(batch, false);
    }
    assertThat(keys(Space.DATA, null, null, false)).containsExactly("a", "d");
  }

  @Test
  void syncedWritesSurviveReopen() throws Exception {
    put(Space.DATA, "k", "v", true);
    put(Space.STATE, "s", "1", false);
    engine.syncWal();
    engine = reopen();
    assertThat(engine.get(Space.DATA, b("k"))).isEqualTo(b("v"));
    assertThat(engine.get(Space.STATE, b("s"))).isEqualTo(b("1"));
  }

  @Test
  void valuesAreCopiesNotViews() {
    byte[] value = b("v");
    try (KvBatch batch = engine.newBatch()) {
      batch.put(Space.DATA, b("k"), value);
      value[0] = 'x';
      engine.write(batch, false);
    }
    assertThat(engine.get(Space.DATA, b("k"))).isEqualTo(b("v"));
  }
}
