package io.flywheel.model.testing;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.DocumentPath;
import io.flywheel.model.expr.ExpressionContext;
import io.flywheel.model.expr.LegacyConditions;
import io.flywheel.model.expr.Operand;
import io.flywheel.model.expr.Projection;
import io.flywheel.model.expr.UpdateExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random attribute values, items and expression trees for codec property tests (shared with
 * other modules through the test jar). Every tree is one the model's constructors accept; shapes
 * cover every node type, nesting, empty and non-ASCII names.
 */
public final class RandomTrees {
  private static final String[] NAMES = {"a", "b", "pk", "sk", "name", "é", "日本", "\uD83D\uDE00", "with space", "x.y", "#n", ""};
  private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"};

  private final SplittableRandom random;

  public RandomTrees(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public SplittableRandom random() {
    return random;
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  public String name() {
    String name = NAMES[random.nextInt(NAMES.length)];
    return name.isEmpty() || random.nextInt(4) == 0 ? string(1 + random.nextInt(12)) : name;
  }

  public String string(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      sb.appendCodePoint(kind < 7 ? 'a' + random.nextInt(26) : kind < 9 ? 0xA0 + random.nextInt(0x700) : 0x1F600 + random.nextInt(64));
    }
    return sb.toString();
  }

  public byte[] bytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  public DynamoNumber number() {
    StringBuilder sb = new StringBuilder();
    if (random.nextBoolean()) {
      sb.append('-');
    }
    int digits = 1 + random.nextInt(20);
    for (int i = 0; i < digits; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    if (random.nextBoolean()) {
      sb.append('.').append(random.nextInt(1000));
    }
    if (random.nextInt(4) == 0) {
      sb.append('E').append(random.nextInt(60) - 30);
    }
    return DynamoNumber.parse(sb.toString());
  }

  /** A scalar (S, N or B). */
  public AttributeValue scalar() {
    return switch (random.nextInt(3)) {
      case 0 -> new AttributeValue.S(string(random.nextInt(16)));
      case 1 -> new AttributeValue.N(number());
      default -> new AttributeValue.B(Binary.wrap(bytes(random.nextInt(16))));
    };
  }

  /** Any value, nested at most {@code depth} levels. */
  public AttributeValue value(int depth) {
    int kind = random.nextInt(depth > 0 ? 10 : 8);
    return switch (kind) {
      case 0, 1, 2 -> scalar();
      case 3 -> random.nextBoolean() ? AttributeValue.Bool.TRUE : AttributeValue.Bool.FALSE;
      case 4 -> AttributeValue.Null.INSTANCE;
      case 5 -> {
        Set<String> set = new LinkedHashSet<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          set.add(string(1 + random.nextInt(6)));
        }
        yield new AttributeValue.SS(set);
      }
      case 6 -> {
        Set<DynamoNumber> set = new LinkedHashSet<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          set.add(number());
        }
        yield new AttributeValue.NS(set);
      }
      case 7 -> {
        Set<Binary> set = new LinkedHashSet<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          set.add(Binary.wrap(bytes(1 + random.nextInt(6))));
        }
        yield new AttributeValue.BS(set);
      }
      case 8 -> {
        int n = random.nextInt(4);
        List<AttributeValue> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(value(depth - 1));
        }
        yield new AttributeValue.L(list);
      }
      default -> new AttributeValue.M(attributes(random.nextInt(4), depth - 1));
    };
  }

  /** A map of {@code count} attributes (fewer when random names collide). */
  public Map<String, AttributeValue> attributes(int count, int depth) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put(name(), value(depth));
    }
    return map;
  }

  /** An item of roughly {@code approxBytes} of attribute data. */
  public Map<String, AttributeValue> item(int approxBytes) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", new AttributeValue.S(string(8)));
    int used = 10;
    for (int i = 0; used < approxBytes; i++) {
      AttributeValue v = random.nextInt(3) == 0 ? value(2) : new AttributeValue.S(string(8 + random.nextInt(64)));
      item.put("attr" + i, v);
      used += 6 + io.flywheel.model.ItemSize.of(Map.of("x", v));
    }
    return item;
  }

  public DocumentPath path() {
    List<DocumentPath.Element> elements = new ArrayList<>();
    elements.add(new DocumentPath.Name(name()));
    int more = random.nextInt(4);
    for (int i = 0; i < more; i++) {
      elements.add(random.nextBoolean() ? new DocumentPath.Name(name()) : new DocumentPath.Index(random.nextInt(1000)));
    }
    return DocumentPath.of(elements);
  }

  public Operand operand(int depth) {
    return switch (random.nextInt(depth > 0 ? 3 : 2)) {
      case 0 -> new Operand.Path(path());
      case 1 -> new Operand.Value(value(2));
      default -> new Operand.Size(operand(depth - 1));
    };
  }

  /** A condition tree of every node type, nested at most {@code depth} levels. */
  public Condition condition(int depth) {
    int kind = random.nextInt(depth > 0 ? 12 : 8);
    return switch (kind) {
      case 0 -> new Condition.Compare(Condition.Comparator.values()[random.nextInt(6)], operand(1), operand(1));
      case 1 -> new Condition.Between(operand(1), operand(1), operand(1));
      case 2 -> {
        int n = 1 + random.nextInt(5);
        List<Operand> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          candidates.add(operand(1));
        }
        yield new Condition.In(operand(1), candidates);
      }
      case 3 -> random.nextBoolean() ? new Condition.AttributeExists(path()) : new Condition.AttributeNotExists(path());
      case 4 -> new Condition.AttributeType(path(), TYPES[random.nextInt(TYPES.length)]);
      case 5 -> new Condition.BeginsWith(operand(1), operand(1));
      case 6 -> new Condition.Contains(operand(1), operand(1));
      case 7 -> new Condition.Constant(random.nextBoolean());
      case 8 -> new Condition.And(condition(depth - 1), condition(depth - 1));
      case 9 -> new Condition.Or(condition(depth - 1), condition(depth - 1));
      default -> new Condition.Not(condition(depth - 1));
    };
  }

  /**
   * An update of random actions: SET values of every kind, REMOVE, ADD and DELETE, as parsed
   * expressions and as legacy AttributeUpdates (whose ADD and DELETE are marked legacy).
   */
  public UpdateExpression update() {
    if (random.nextInt(4) == 0) {
      Map<String, LegacyConditions.AttributeUpdate> legacy = new LinkedHashMap<>();
      int n = 1 + random.nextInt(4);
      for (int i = 0; i < n; i++) {
        legacy.put("attr" + i, switch (random.nextInt(4)) {
          case 0 -> new LegacyConditions.AttributeUpdate("PUT", value(2));
          case 1 -> new LegacyConditions.AttributeUpdate("DELETE", null);
          case 2 -> new LegacyConditions.AttributeUpdate("DELETE", new AttributeValue.SS(Set.of(string(3))));
          default -> new LegacyConditions.AttributeUpdate("ADD", new AttributeValue.N(number()));
        });
      }
      return LegacyConditions.attributeUpdates(legacy);
    }
    // Parsed: each action on its own top-level attribute, so paths never overlap.
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    List<String> set = new ArrayList<>();
    List<String> other = new ArrayList<>();
    int n = 1 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      String target = "#t" + i;
      String v = ":v" + i;
      switch (random.nextInt(8)) {
        case 0 -> {
          values.put(v, value(2));
          set.add(target + " = " + v);
        }
        case 1 -> set.add(target + " = #src.#src[" + random.nextInt(5) + "]");
        case 2 -> {
          values.put(v, new AttributeValue.N(number()));
          set.add(target + " = if_not_exists(" + target + ", " + v + ") " + (random.nextBoolean() ? "+" : "-") + " " + v);
        }
        case 3 -> {
          values.put(v, new AttributeValue.L(List.of(value(1))));
          set.add(target + " = list_append(" + v + ", if_not_exists(" + target + ", " + v + "))");
        }
        case 4 -> other.add("REMOVE " + target);
        case 5 -> {
          values.put(v, new AttributeValue.N(number()));
          other.add("ADD " + target + " " + v);
        }
        case 6 -> {
          values.put(v, new AttributeValue.SS(Set.of(string(2), string(3))));
          other.add("DELETE " + target + " " + v);
        }
        default -> set.add(target + " = #src");
      }
    }
    StringBuilder text = new StringBuilder();
    if (!set.isEmpty()) {
      text.append("SET ").append(String.join(", ", set));
    }
    // one clause per section: join the actions of each kind
    Map<String, List<String>> sections = new LinkedHashMap<>();
    for (String o : other) {
      int space = o.indexOf(' ');
      sections.computeIfAbsent(o.substring(0, space), k -> new ArrayList<>()).add(o.substring(space + 1));
    }
    sections.forEach((section, actions) -> text.append(' ').append(section).append(' ').append(String.join(", ", actions)));
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      names.put("#t" + i, name() + i);
    }
    String expression = text.toString().trim();
    if (expression.contains("#src")) {
      names.put("#src", "source");
    }
    ExpressionContext ctx = new ExpressionContext(names, values.isEmpty() ? null : values);
    return UpdateExpression.parse(expression, ctx);
  }

  /** A projection of distinct, non-overlapping paths. */
  public Projection projection() {
    int n = 1 + random.nextInt(5);
    List<DocumentPath> paths = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<DocumentPath.Element> elements = new ArrayList<>();
      elements.add(new DocumentPath.Name("p" + i));
      if (random.nextBoolean()) {
        elements.add(random.nextBoolean() ? new DocumentPath.Name(name()) : new DocumentPath.Index(random.nextInt(10)));
      }
      paths.add(DocumentPath.of(elements));
    }
    return Projection.ofPaths(paths);
  }
}
