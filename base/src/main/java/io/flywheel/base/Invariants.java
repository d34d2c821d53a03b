package io.flywheel.base;

/**
 * Always-on assertions. Java's {@code assert} is off by default; these are not. A failed
 * {@link #check} means a bug or corrupted state: the caller fail-stops the component it guards.
 */
public final class Invariants {
  private Invariants() {}

  /** An internal invariant. */
  public static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("invariant violated: " + what);
    }
  }

  /** A precondition on an argument supplied by a caller inside Flywheel. */
  public static void checkArgument(boolean condition, String what) {
    if (!condition) {
      throw new IllegalArgumentException(what);
    }
  }

  public static <T> T checkNotNull(T value, String what) {
    if (value == null) {
      throw new NullPointerException(what + " must not be null");
    }
    return value;
  }
}
