package io.flywheel.compat;

import java.util.function.Predicate;

/**
 * What Flywheel must do at a step where DynamoDB Local does something else (what the documented
 * service does, or Flywheel's recorded choice); checked against Flywheel's outcome so that a
 * deviation mark cannot hide a Flywheel bug.
 */
record Expectation(String description, Predicate<Outcome> test) {

  static Expectation failure(String errorCode, String message) {
    return new Expectation("fails with " + errorCode + ": " + message,
        o -> o instanceof Outcome.Failed f && f.errorCode().equals(errorCode) && message.equals(f.message()));
  }

  static Expectation returned(String canonicalView) {
    return new Expectation("returns " + canonicalView,
        o -> o instanceof Outcome.Returned r && r.view().equals(canonicalView));
  }

  /** Succeeds, and what it returns contains {@code text}. */
  static Expectation returnedContaining(String text) {
    return new Expectation("returns a view containing \"" + text + "\"",
        o -> o instanceof Outcome.Returned r && r.view().contains(text));
  }

  /** Succeeds, and what it returns does not contain {@code text}. */
  static Expectation returnedWithout(String text) {
    return new Expectation("returns a view without \"" + text + "\"",
        o -> o instanceof Outcome.Returned r && !r.view().contains(text));
  }

  boolean matches(Outcome outcome) {
    return test.test(outcome);
  }
}
