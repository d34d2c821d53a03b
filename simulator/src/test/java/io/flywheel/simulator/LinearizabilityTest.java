package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WGL checker on small histories whose answer is known, and on a long one. */
class LinearizabilityTest {
  private long ids;

  private Op read(long call, long ret, long value) {
    return new Op(++ids, 1, 1, Op.Kind.READ, 0, 0, call, ret, Op.Outcome.OK, value);
  }

  private Op write(long call, long ret, long value) {
    return new Op(++ids, 2, 1, Op.Kind.WRITE, 0, value, call, ret, Op.Outcome.OK, 0);
  }

  private Op lostWrite(long call, long value) {
    return new Op(++ids, 3, 1, Op.Kind.WRITE, 0, value, call, Long.MAX_VALUE, Op.Outcome.UNKNOWN, 0);
  }

  private Op cas(long call, long ret, long expected, long value, long found) {
    return new Op(++ids, 4, 1, Op.Kind.CAS, expected, value, call, ret, Op.Outcome.OK, found);
  }

  private static Linearizability.Verdict verdict(List<Op> ops) {
    return Linearizability.check(ops, 100_000).verdict();
  }

  @Test
  void concurrentOperationsMayTakeEffectInEitherOrder() {
    assertThat(verdict(List.of(write(0, 10, 1), read(5, 6, 1), read(7, 8, 0)))).isEqualTo(
        Linearizability.Verdict.NOT_LINEARIZABLE); // once 1 was read, 0 cannot come back
    assertThat(verdict(List.of(write(0, 10, 1), read(5, 6, 0), read(7, 8, 1))))
        .isEqualTo(Linearizability.Verdict.LINEARIZABLE);
    assertThat(verdict(List.of(write(0, 1, 1), read(2, 3, 0)))).as("a stale read")
        .isEqualTo(Linearizability.Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void compareAndSetSeesExactlyOneValue() {
    assertThat(verdict(List.of(write(0, 1, 1), cas(2, 3, 1, 2, 1), read(4, 5, 2))))
        .isEqualTo(Linearizability.Verdict.LINEARIZABLE);
    assertThat(verdict(List.of(write(0, 1, 1), cas(2, 3, 1, 2, 1), cas(4, 5, 1, 3, 1))))
        .as("two CASes from the same value both succeed").isEqualTo(Linearizability.Verdict.NOT_LINEARIZABLE);
    assertThat(verdict(List.of(write(0, 1, 1), cas(2, 3, 5, 2, 1), read(4, 5, 1))))
        .as("a failed CAS changes nothing").isEqualTo(Linearizability.Verdict.LINEARIZABLE);
  }

  @Test
  void anUnknownWriteMayHaveHappenedOnlyIfSomeoneSawIt() {
    assertThat(verdict(List.of(lostWrite(0, 7), read(5, 6, 7), read(8, 9, 7))))
        .isEqualTo(Linearizability.Verdict.LINEARIZABLE);
    assertThat(verdict(List.of(lostWrite(0, 7), read(5, 6, 0)))).isEqualTo(Linearizability.Verdict.LINEARIZABLE);
    assertThat(verdict(List.of(lostWrite(0, 7), read(5, 6, 7), read(8, 9, 0))))
        .as("seen, then unseen").isEqualTo(Linearizability.Verdict.NOT_LINEARIZABLE);
    assertThat(verdict(List.of(read(0, 1, 7), lostWrite(2, 7))))
        .as("seen before it was written").isEqualTo(Linearizability.Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aLongConcurrentHistoryIsCheckedWithinTheBound() {
    List<Op> ops = new ArrayList<>();
    for (int i = 1; i <= 3_000; i++) {
      long t = i * 10L;
      // Each write overlaps the next one and the read after it; the read sees it.
      ops.add(write(t, t + 15, i));
      ops.add(read(t + 12, t + 14, i));
    }
    Linearizability.Result r = Linearizability.check(ops, 200_000);
    assertThat(r.verdict()).isEqualTo(Linearizability.Verdict.LINEARIZABLE);
    ops.add(read(40_000, 40_001, 5));
    assertThat(Linearizability.check(ops, 200_000).verdict()).isEqualTo(Linearizability.Verdict.NOT_LINEARIZABLE);
  }
}
