package io.flywheel.model.expr;

import static io.flywheel.model.expr.Items.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.model.AttributeValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random condition trees over random items: the expression is rendered to text, parsed and
 * evaluated by the production code, and evaluated directly by the small reference evaluator below;
 * both must agree. Reproducible: set {@code -Dexpr.seed=N} to rerun a reported failure.
 */
class ConditionPropertyTest {
  private static final int RUNS = 3000;

  // ---- the test's own condition tree and reference semantics ----------------------------------

  sealed interface Op {}

  record PathOp(String path) implements Op {}

  record ValOp(AttributeValue value) implements Op {}

  record SizeOp(String path) implements Op {}

  sealed interface Cond {}

  record Cmp(String op, Op left, Op right) implements Cond {}

  record Betw(Op value, Op lower, Op upper) implements Cond {}

  record InList(Op value, List<Op> candidates) implements Cond {}

  record Func(String name, Op first, Op second) implements Cond {}

  record Bin(boolean and, Cond left, Cond right) implements Cond {}

  record Neg(Cond cond) implements Cond {}

  private static final String[] PATHS = {"a", "b", "c", "m.x", "m.y", "l[0]", "l[1]", "zz"};

  /** Reference lookup: walks a dotted/indexed path of the fixed shapes above. */
  private static AttributeValue lookup(Map<String, AttributeValue> item, String path) {
    if (path.startsWith("m.")) {
      AttributeValue m = item.get("m");
      return m instanceof AttributeValue.M mm ? mm.values().get(path.substring(2)) : null;
    }
    if (path.startsWith("l[")) {
      int i = path.charAt(2) - '0';
      AttributeValue l = item.get("l");
      return l instanceof AttributeValue.L ll && i < ll.values().size() ? ll.values().get(i) : null;
    }
    return item.get(path);
  }

  private static AttributeValue refEval(Op op, Map<String, AttributeValue> item) {
    return switch (op) {
      case PathOp p -> lookup(item, p.path());
      case ValOp v -> v.value();
      case SizeOp s -> {
        AttributeValue v = lookup(item, s.path());
        Integer size = null;
        if (v instanceof AttributeValue.S x) size = x.value().length();
        if (v instanceof AttributeValue.B x) size = x.value().length();
        if (v instanceof AttributeValue.L x) size = x.values().size();
        if (v instanceof AttributeValue.M x) size = x.values().size();
        if (v instanceof AttributeValue.SS x) size = x.values().size();
        if (v instanceof AttributeValue.NS x) size = x.values().size();
        yield size == null ? null : n(Integer.toString(size));
      }
    };
  }

  /** A canonical text of a value, for equality: numbers normalized, sets and maps sorted. */
  private static String canon(AttributeValue v) {
    return switch (v) {
      case AttributeValue.S s -> "S" + s.value();
      case AttributeValue.N n -> "N" + n.value().toBigDecimal().stripTrailingZeros().toPlainString();
      case AttributeValue.B b -> "B" + Arrays.toString(b.value().unsafeBytes());
      case AttributeValue.Bool b -> "BOOL" + b.value();
      case AttributeValue.Null x -> "NULL";
      case AttributeValue.L l -> "L" + l.values().stream().map(ConditionPropertyTest::canon).toList();
      case AttributeValue.M m -> {
        TreeMap<String, String> t = new TreeMap<>();
        m.values().forEach((k, x) -> t.put(k, canon(x)));
        yield "M" + t;
      }
      case AttributeValue.SS s -> "SS" + new TreeSet<>(s.values());
      case AttributeValue.NS s -> "NS" + new TreeSet<>(s.values().stream().map(x -> canon(new AttributeValue.N(x))).toList());
      case AttributeValue.BS s -> "BS" + new TreeSet<>(s.values().stream().map(x -> Arrays.toString(x.unsafeBytes())).toList());
    };
  }

  private static boolean refEquals(AttributeValue a, AttributeValue b) {
    return a != null && b != null && canon(a).equals(canon(b));
  }

  /** -1/0/1 for two values of one scalar type, else null. */
  private static Integer refCompare(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) return Integer.signum(x.value().compareTo(y.value()));
    if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
      return Integer.signum(new BigDecimal(x.value().toString()).compareTo(new BigDecimal(y.value().toString())));
    }
    if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
      return Integer.signum(Arrays.compareUnsigned(x.value().unsafeBytes(), y.value().unsafeBytes()));
    }
    return null;
  }

  private static boolean refEval(Cond c, Map<String, AttributeValue> item) {
    return switch (c) {
      case Bin b -> b.and() ? refEval(b.left(), item) && refEval(b.right(), item) : refEval(b.left(), item) || refEval(b.right(), item);
      case Neg n -> !refEval(n.cond(), item);
      case Cmp cmp -> {
        AttributeValue l = refEval(cmp.left(), item);
        AttributeValue r = refEval(cmp.right(), item);
        if (cmp.op().equals("=")) yield refEquals(l, r);
        if (cmp.op().equals("<>")) yield !refEquals(l, r);
        Integer o = refCompare(l, r);
        yield o != null && switch (cmp.op()) {
          case "<" -> o < 0;
          case "<=" -> o <= 0;
          case ">" -> o > 0;
          default -> o >= 0;
        };
      }
      case Betw b -> {
        AttributeValue v = refEval(b.value(), item);
        Integer lo = refCompare(v, refEval(b.lower(), item));
        Integer hi = refCompare(v, refEval(b.upper(), item));
        yield lo != null && hi != null && lo >= 0 && hi <= 0;
      }
      case InList in -> {
        AttributeValue v = refEval(in.value(), item);
        boolean any = false;
        for (Op cand : in.candidates()) any |= refEquals(v, refEval(cand, item));
        yield any;
      }
      case Func f -> {
        AttributeValue x = refEval(f.first(), item);
        AttributeValue y = f.second() == null ? null : refEval(f.second(), item);
        yield switch (f.name()) {
          case "attribute_exists" -> x != null;
          case "attribute_not_exists" -> x == null;
          case "attribute_type" -> x != null && x.typeName().equals(((AttributeValue.S) y).value());
          case "begins_with" -> {
            if (x instanceof AttributeValue.S s && y instanceof AttributeValue.S p) yield s.value().startsWith(p.value());
            if (x instanceof AttributeValue.B s && y instanceof AttributeValue.B p) {
              byte[] sb = s.value().unsafeBytes();
              byte[] pb = p.value().unsafeBytes();
              yield pb.length <= sb.length && Arrays.equals(Arrays.copyOf(sb, pb.length), pb);
            }
            yield false;
          }
          default -> { // contains
            if (x == null || y == null) yield false;
            if (x instanceof AttributeValue.S s && y instanceof AttributeValue.S p) yield s.value().contains(p.value());
            if (x instanceof AttributeValue.B s && y instanceof AttributeValue.B p) {
              String hay = Arrays.toString(s.value().unsafeBytes());
              String needle = Arrays.toString(p.value().unsafeBytes());
              yield hay.contains(needle.substring(1, needle.length() - 1));
            }
            if (x instanceof AttributeValue.SS s && y instanceof AttributeValue.S p) yield s.values().contains(p.value());
            if (x instanceof AttributeValue.NS s && y instanceof AttributeValue.N p) {
              yield s.values().stream().anyMatch(e -> canon(new AttributeValue.N(e)).equals(canon(p)));
            }
            if (x instanceof AttributeValue.L l) yield l.values().stream().anyMatch(e -> refEquals(e, y));
            yield false;
          }
        };
      }
    };
  }

  // ---- generation ------------------------------------------------------------------------------

  private static final String[] STRINGS = {"", "a", "ab", "b", "ba"};
  private static final String[] NUMBERS = {"1", "2", "10", "-1", "1.0", "0"};

  private static AttributeValue randomScalar(SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> s(STRINGS[r.nextInt(STRINGS.length)]);
      case 1 -> n(NUMBERS[r.nextInt(NUMBERS.length)]);
      default -> r.nextBoolean() ? b(1) : b(1, 2);
    };
  }

  private static AttributeValue randomValue(SplittableRandom r, int depth) {
    int k = r.nextInt(depth > 1 ? 7 : 10);
    return switch (k) {
      case 0, 1, 2 -> randomScalar(r);
      case 3 -> bool(r.nextBoolean());
      case 4 -> nul();
      case 5 -> r.nextBoolean() ? ss("a", "b") : ss("ab");
      case 6 -> r.nextBoolean() ? ns("1", "2") : ns("10");
      case 7 -> {
        List<AttributeValue> list = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) list.add(randomValue(r, depth + 1));
        yield new AttributeValue.L(list);
      }
      default -> {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (String key : new String[] {"x", "y"}) if (r.nextBoolean()) map.put(key, randomValue(r, depth + 1));
        yield new AttributeValue.M(map);
      }
    };
  }

  private static Map<String, AttributeValue> randomItem(SplittableRandom r) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (String name : new String[] {"a", "b", "c", "m", "l"}) {
      if (r.nextInt(5) > 0) item.put(name, randomValue(r, 0));
    }
    return item;
  }

  private static String randomPath(SplittableRandom r) {
    return PATHS[r.nextInt(PATHS.length)];
  }

  private static Op randomOperand(SplittableRandom r, boolean scalarLiteral) {
    return switch (r.nextInt(4)) {
      case 0, 1 -> new PathOp(randomPath(r));
      case 2 -> new ValOp(scalarLiteral ? randomScalar(r) : randomValue(r, 0));
      default -> new SizeOp(randomPath(r));
    };
  }

  private static final String[] CMPS = {"=", "<>", "<", "<=", ">", ">="};
  private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"};

  private static Cond randomLeaf(SplittableRandom r) {
    while (true) {
      Cond c = switch (r.nextInt(6)) {
        case 0, 1 -> {
          String op = CMPS[r.nextInt(CMPS.length)];
          boolean ordering = !op.equals("=") && !op.equals("<>");
          yield new Cmp(op, randomOperand(r, ordering), randomOperand(r, ordering));
        }
        case 2 -> new Betw(randomOperand(r, true), randomOperand(r, true), randomOperand(r, true));
        case 3 -> {
          List<Op> candidates = new ArrayList<>();
          for (int i = 1 + r.nextInt(3); i > 0; i--) candidates.add(randomOperand(r, false));
          yield new InList(randomOperand(r, false), candidates);
        }
        default -> switch (r.nextInt(5)) {
          case 0 -> new Func("attribute_exists", new PathOp(randomPath(r)), null);
          case 1 -> new Func("attribute_not_exists", new PathOp(randomPath(r)), null);
          case 2 -> new Func("attribute_type", new PathOp(randomPath(r)), new ValOp(s(TYPES[r.nextInt(TYPES.length)])));
          case 3 -> new Func("begins_with", new PathOp(randomPath(r)),
              r.nextBoolean() ? new ValOp(s(STRINGS[r.nextInt(STRINGS.length)])) : new ValOp(b(1)));
          default -> new Func("contains", new PathOp(randomPath(r)), randomOperand(r, false));
        };
      };
      if (staticallyValid(c)) {
        return c;
      }
    }
  }

  /** Leaves DynamoDB would reject at parse time are not generated. */
  private static boolean staticallyValid(Cond c) {
    List<Op> ops = switch (c) {
      case Cmp cmp -> List.of(cmp.left(), cmp.right());
      case Betw b -> List.of(b.value(), b.lower(), b.upper());
      case InList in -> {
        List<Op> all = new ArrayList<>(in.candidates());
        all.addFirst(in.value());
        yield all;
      }
      case Func f -> f.second() == null ? List.of(f.first()) : List.of(f.first(), f.second());
      default -> List.of();
    };
    for (int i = 1; i < ops.size(); i++) {
      if (ops.get(0) instanceof PathOp p && ops.get(i) instanceof PathOp q && p.path().equals(q.path())) {
        return false; // "first operand must be distinct"
      }
    }
    if (c instanceof Betw b && b.lower() instanceof ValOp(AttributeValue lo) && b.upper() instanceof ValOp(AttributeValue hi)) {
      Integer o = refCompare(lo, hi);
      return o != null && o <= 0;
    }
    return true;
  }

  private static Cond randomCond(SplittableRandom r, int depth) {
    if (depth >= 4 || r.nextInt(3) == 0) {
      return randomLeaf(r);
    }
    return switch (r.nextInt(3)) {
      case 0 -> new Neg(randomCond(r, depth + 1));
      default -> new Bin(r.nextBoolean(), randomCond(r, depth + 1), randomCond(r, depth + 1));
    };
  }

  // ---- rendering -------------------------------------------------------------------------------

  private static final class Renderer {
    final Map<String, AttributeValue> values = new LinkedHashMap<>();

    String op(Op op) {
      return switch (op) {
        case PathOp p -> p.path();
        case SizeOp s -> "size(" + s.path() + ")";
        case ValOp v -> {
          String ref = ":v" + values.size();
          values.put(ref, v.value());
          yield ref;
        }
      };
    }

    static int precedence(Cond c) {
      return c instanceof Bin b ? (b.and() ? 2 : 1) : c instanceof Neg ? 3 : 4;
    }

    String cond(Cond c, int minPrecedence) {
      String text = switch (c) {
        case Bin b -> cond(b.left(), precedence(b)) + (b.and() ? " AND " : " OR ") + cond(b.right(), precedence(b));
        case Neg n -> "NOT " + cond(n.cond(), 3);
        case Cmp cmp -> op(cmp.left()) + " " + cmp.op() + " " + op(cmp.right());
        case Betw b -> op(b.value()) + " BETWEEN " + op(b.lower()) + " AND " + op(b.upper());
        case InList in -> {
          StringBuilder sb = new StringBuilder(op(in.value())).append(" IN (");
          for (int i = 0; i < in.candidates().size(); i++) {
            sb.append(i > 0 ? ", " : "").append(op(in.candidates().get(i)));
          }
          yield sb.append(')').toString();
        }
        case Func f -> f.name() + "(" + op(f.first()) + (f.second() == null ? "" : ", " + op(f.second())) + ")";
      };
      return precedence(c) < minPrecedence ? "(" + text + ")" : text;
    }
  }

  @Test
  void randomConditionsAgreeWithASimpleReferenceEvaluator() {
    long base = Long.getLong("expr.seed", 20250101L);
    for (int run = 0; run < RUNS; run++) {
      long seed = base + run;
      SplittableRandom r = new SplittableRandom(seed);
      Cond cond = randomCond(r, 0);
      Renderer renderer = new Renderer();
      String text = renderer.cond(cond, 0);
      Condition parsed;
      try {
        parsed = ConditionParser.parse(text, ExpressionKind.CONDITION,
            new ExpressionContext(null, renderer.values.isEmpty() ? null : renderer.values));
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + text + " failed to parse: " + e.getMessage(), e);
      }
      for (int i = 0; i < 5; i++) {
        Map<String, AttributeValue> item = randomItem(r);
        assertThat(parsed.evaluate(item))
            .as("seed %d (rerun with -Dexpr.seed=%d): %s with %s on %s", seed, seed, text, renderer.values, item)
            .isEqualTo(refEval(cond, item));
      }
    }
  }
}
