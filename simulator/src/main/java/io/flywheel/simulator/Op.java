package io.flywheel.simulator;

/**
 * One client operation on one register, as the client saw it, in true time: invoked at {@code
 * callNanos}, answered at {@code retNanos}. Values written are unique and positive; 0 is the
 * initial value.
 *
 * @param kind what was asked
 * @param expected a CAS's expected value
 * @param value a WRITE's or CAS's new value
 * @param outcome what the client learnt
 * @param observed for a READ the value read; for a completed CAS the value found before it
 */
public record Op(long id, long clientId, long key, Kind kind, long expected, long value, long callNanos, long retNanos,
    Outcome outcome, long observed) {
  public enum Kind {
    READ,
    WRITE,
    CAS
  }

  public enum Outcome {
    /** Answered: it took effect as reported. */
    OK,
    /** The leader was lost (or the client gave up): it may or may not have taken effect. */
    UNKNOWN
  }

  /** Whether a completed CAS found its expected value and so wrote. */
  boolean casSucceeded() {
    return kind == Kind.CAS && outcome == Outcome.OK && observed == expected;
  }

  Op withRet(long ret) {
    return new Op(id, clientId, key, kind, expected, value, callNanos, ret, outcome, observed);
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case READ -> "read -> " + observed;
      case WRITE -> "write " + value;
      case CAS -> "cas " + expected + " -> " + value + (outcome == Outcome.OK ? " found " + observed : "");
    };
    return "op " + id + " client " + clientId + " key " + key + " " + what + " [" + callNanos + ", "
        + (outcome == Outcome.UNKNOWN ? "?" : String.valueOf(retNanos)) + "] " + outcome;
  }
}
