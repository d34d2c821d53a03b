package io.flywheel.simulator;

import io.flywheel.base.Invariants;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A linearizability checker for one register's history, after Wing and Gong's search with Lowe's
 * memoization (the "WGL" algorithm): depth-first, it picks as next linearization point any
 * operation invoked before every not-yet-linearized operation returned, applies it to the register
 * model, and backtracks when the model disagrees with what the client saw; a set of visited
 * (linearized set, register value) configurations cuts repeated work. The search is bounded by
 * {@code statesMax}; past it the verdict is {@link Verdict#UNKNOWN}, never a guess.
 *
 * <p>Operations with an unknown outcome (the client lost its leader): values are unique, so one
 * whose written value nobody observed can be left out entirely (if it took effect, the next
 * operation that looked at the register is a blind write, and dropping it changes nothing anyone
 * saw); one whose value was observed did take effect, and must be linearized before the earliest
 * return of an operation that observed it.
 *
 * <p>Public so that tests of real processes (the {@code it} module) check their histories with the
 * same checker the simulator uses.
 */
public final class Linearizability {
  public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    UNKNOWN
  }

  public record Result(Verdict verdict, long states, String detail) {}

  private Linearizability() {}

  /** Checks the operations of one key (reads, writes, CASes; any order). */
  public static Result check(List<Op> history, long statesMax) {
    List<Op> ops = prepare(history);
    int n = ops.size();
    long[] call = new long[n];
    long[] ret = new long[n];
    for (int i = 0; i < n; i++) {
      call[i] = ops.get(i).callNanos();
      ret[i] = ops.get(i).retNanos();
    }
    BitSet lin = new BitSet(n);
    HashSet<Memo> seen = new HashSet<>();
    // Explicit stack: per depth, the candidates of that configuration and the next one to try.
    ArrayList<int[]> cands = new ArrayList<>();
    ArrayList<Integer> pos = new ArrayList<>();
    long[] valueAt = new long[n + 1];
    int[] chosen = new int[n];
    int depth = 0;
    int first = 0; // every op below it is linearized
    valueAt[0] = 0;
    cands.add(candidates(lin, first, call, ret, n));
    pos.add(0);
    long states = 0;
    int deepest = 0;
    BitSet deepestPlaced = new BitSet(n);
    while (true) {
      if (depth == n) {
        return new Result(Verdict.LINEARIZABLE, states, "");
      }
      int[] c = cands.get(depth);
      int p = pos.get(depth);
      boolean advanced = false;
      while (p < c.length) {
        int op = c[p++];
        long before = valueAt[depth];
        long after = step(ops.get(op), before);
        if (after == Long.MIN_VALUE) {
          continue;
        }
        lin.set(op);
        if (!seen.add(new Memo((BitSet) lin.clone(), after))) {
          lin.clear(op);
          continue;
        }
        if (++states > statesMax) {
          return new Result(Verdict.UNKNOWN, states, "search bound " + statesMax + " reached");
        }
        pos.set(depth, p);
        chosen[depth] = op;
        depth++;
        if (depth > deepest) {
          deepest = depth;
          deepestPlaced = (BitSet) lin.clone();
        }
        valueAt[depth] = after;
        while (first < n && lin.get(first)) {
          first++;
        }
        if (cands.size() > depth) {
          cands.set(depth, candidates(lin, first, call, ret, n));
          pos.set(depth, 0);
        } else {
          cands.add(candidates(lin, first, call, ret, n));
          pos.add(0);
        }
        advanced = true;
        break;
      }
      if (advanced) {
        continue;
      }
      if (depth == 0) {
        return new Result(Verdict.NOT_LINEARIZABLE, states, explain(ops, deepest, deepestPlaced));
      }
      depth--;
      lin.clear(chosen[depth]);
      first = Math.min(first, chosen[depth]);
    }
  }

  /** The operations around where the longest linearization found got stuck. */
  private static String explain(List<Op> ops, int deepest, BitSet done) {
    // The operation that had to come next and could not: the earliest-returning one not placed.
    int stuck = -1;
    for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
      if (stuck < 0 || ops.get(i).retNanos() < ops.get(stuck).retNanos()) {
        stuck = i;
      }
    }
    StringBuilder b = new StringBuilder("no linearization; the longest prefix found places " + deepest + " of "
        + ops.size() + " operations and cannot place " + ops.get(stuck) + ". Operations around it (* placed):\n");
    for (int i = Math.max(0, stuck - 12); i < Math.min(ops.size(), stuck + 12); i++) {
      b.append(done.get(i) ? "  * " : "    ").append(ops.get(i)).append('\n');
    }
    return b.toString();
  }

  /**
   * Operations that may be linearized next: not linearized, and invoked no later than the earliest
   * return among the not-linearized ones (returns are at least calls, so the scan stops early).
   */
  private static int[] candidates(BitSet lin, int first, long[] call, long[] ret, int n) {
    long minRet = Long.MAX_VALUE;
    for (int i = first; i < n && call[i] <= minRet; i++) {
      if (!lin.get(i)) {
        minRet = Math.min(minRet, ret[i]);
      }
    }
    int count = 0;
    int[] out = new int[8];
    for (int i = first; i < n && call[i] <= minRet; i++) {
      if (!lin.get(i)) {
        if (count == out.length) {
          out = java.util.Arrays.copyOf(out, count * 2);
        }
        out[count++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, count);
  }

  /** The register after {@code op} from {@code before}, or MIN_VALUE if the op cannot happen there. */
  private static long step(Op op, long before) {
    return switch (op.kind()) {
      case READ -> op.observed() == before ? before : Long.MIN_VALUE;
      case WRITE -> op.value();
      case CAS -> {
        if (op.outcome() == Op.Outcome.UNKNOWN) {
          yield before == op.expected() ? op.value() : Long.MIN_VALUE; // kept only if observed: it wrote
        }
        if (op.observed() != before) {
          yield Long.MIN_VALUE;
        }
        yield before == op.expected() ? op.value() : before;
      }
    };
  }

  /**
   * Drops unknown-outcome operations nobody observed, gives the observed ones a return at the
   * earliest return of an observer, and sorts by call time.
   */
  static List<Op> prepare(List<Op> history) {
    java.util.HashMap<Long, Long> firstObservedRet = new java.util.HashMap<>();
    for (Op o : history) {
      if (o.outcome() != Op.Outcome.OK) {
        continue;
      }
      long seenValue = switch (o.kind()) {
        case READ -> o.observed();
        case CAS -> o.observed();
        case WRITE -> 0;
      };
      if (seenValue != 0) {
        firstObservedRet.merge(seenValue, o.retNanos(), Math::min);
      }
    }
    List<Op> out = new ArrayList<>(history.size());
    for (Op o : history) {
      if (o.outcome() == Op.Outcome.OK) {
        out.add(o);
      } else if (o.kind() != Op.Kind.READ) {
        Long observedAt = firstObservedRet.get(o.value());
        if (observedAt != null) {
          Invariants.check(o.value() != 0, "written values are positive");
          out.add(o.withRet(Math.max(observedAt, o.callNanos())));
        }
      }
    }
    out.sort(Comparator.comparingLong(Op::callNanos).thenComparingLong(Op::id));
    return out;
  }

  private record Memo(BitSet linearized, long value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Memo m && m.value == value && m.linearized.equals(linearized);
    }

    @Override
    public int hashCode() {
      return Objects.hash(linearized, value);
    }
  }
}
