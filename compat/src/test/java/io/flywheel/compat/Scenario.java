package io.flywheel.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named sequence of requests, run once against each endpoint through a {@link Session}; what
 * the session records is compared step by step.
 *
 * <p>Where DynamoDB Local departs from the documented service, the scenario carries a
 * {@link DeviationMark} per affected step: the {@link Deviation} that explains why, and what the
 * documented service (and so Flywheel) does there.
 */
record Scenario(String name, Body body, List<DeviationMark> deviations) {

  /** The requests of a scenario. */
  @FunctionalInterface
  interface Body {
    void run(Session session);
  }

  /**
   * Where and why a scenario's outcomes are expected to differ, and what Flywheel must do there
   * ({@code flywheel} is null for a message deviation: its message pairs are the expectation).
   */
  record DeviationMark(Deviation deviation, String step, Expectation flywheel) {}

  Scenario {
    Objects.requireNonNull(name);
    Objects.requireNonNull(body);
    deviations = List.copyOf(deviations);
  }

  static Scenario of(String name, Body body) {
    return new Scenario(name, body, List.of());
  }

  /** Marks steps where the two servers word the same error differently, for the reason given. */
  Scenario deviates(Deviation why, String... steps) {
    if (why.scope() != Deviation.Scope.MESSAGE) {
      throw new IllegalArgumentException(why + " changes the outcome: say what Flywheel must do");
    }
    return deviates(why, null, steps);
  }

  /** Marks steps where the outcomes differ for the reason given, and what Flywheel must do there. */
  Scenario deviates(Deviation why, Expectation flywheelOutcome, String... steps) {
    if (flywheelOutcome == null && why.scope() != Deviation.Scope.MESSAGE) {
      throw new IllegalArgumentException(why + " changes the outcome: say what Flywheel must do");
    }
    List<DeviationMark> marks = new ArrayList<>(deviations);
    for (String step : steps) {
      marks.add(new DeviationMark(why, step, flywheelOutcome));
    }
    return new Scenario(name, body, marks);
  }

  DeviationMark markAt(String step) {
    for (DeviationMark mark : deviations) {
      if (mark.step().equals(step)) {
        return mark;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
