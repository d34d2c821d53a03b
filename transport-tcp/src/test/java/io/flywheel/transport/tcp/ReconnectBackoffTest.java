package io.flywheel.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.RandomSource;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  private final ReconnectBackoff backoff = new ReconnectBackoff(50, 5_000);

  @Test
  void theStepDoublesPerFailureUpToTheCap() {
    assertThat(backoff.stepMillis(0)).isEqualTo(50);
    assertThat(backoff.stepMillis(1)).isEqualTo(100);
    assertThat(backoff.stepMillis(6)).isEqualTo(3_200);
    assertThat(backoff.stepMillis(7)).isEqualTo(5_000);
    assertThat(backoff.stepMillis(1_000_000)).isEqualTo(5_000);
  }

  @Test
  void delaysStayWithinHalfAStepAndTheStepAndSpreadOut() {
    RandomSource random = RandomSource.seeded(42);
    for (int failures = 0; failures < 12; failures++) {
      long step = backoff.stepMillis(failures);
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        long delay = backoff.delayMillis(failures, random);
        assertThat(delay).isBetween(step - step / 2, step);
        seen.add(delay);
      }
      assertThat(seen.size()).as("jitter after %d failures", failures).isGreaterThan(10);
    }
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    RandomSource first = RandomSource.seeded(7);
    RandomSource second = RandomSource.seeded(7);
    for (int i = 0; i < 20; i++) {
      assertThat(backoff.delayMillis(i, first)).isEqualTo(backoff.delayMillis(i, second));
    }
  }
}
