package io.flywheel.compat;

import static io.flywheel.compat.Values.bool;
import static io.flywheel.compat.Values.l;
import static io.flywheel.compat.Values.m;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.ns;
import static io.flywheel.compat.Values.nul;
import static io.flywheel.compat.Values.s;
import static io.flywheel.compat.Values.ss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random items, condition expressions and update expressions from a small grammar, drawn from one
 * seeded generator so that a seed replays the same requests.
 *
 * <p>The domains are deliberately tiny (a handful of attribute names, a few values of each type)
 * so that conditions often hit existing attributes and updates often collide with what is there:
 * type mismatches, paths through scalars and overlapping paths are the interesting cases.
 *
 * <p>One generator builds one request: call {@link #condition()} / {@link #update()} /
 * {@link #projection()}, then take the placeholders they used from {@link #values()}.
 *
 * <p>The paths of one update or projection never overlap: DynamoDB Local names the wrong second
 * path in its overlap error ({@link Deviation#OVERLAP_MESSAGE_PATHS}), which the hand-written
 * scenarios cover with their mark.
 */
final class RandomRequests {
  /** Top-level attribute names (none of them reserved words). */
  static final List<String> NAMES = List.of("a", "b", "c", "m", "l", "t");
  static final List<String> MAP_KEYS = List.of("p", "q");
  static final List<String> COMPARATORS = List.of("=", "<>", "<", "<=", ">", ">=");
  static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS");

  private final SplittableRandom random;
  private final Map<String, AttributeValue> values = new LinkedHashMap<>();

  RandomRequests(SplittableRandom random) {
    this.random = random;
  }

  /** The ExpressionAttributeValues of what was generated since the last call. */
  Map<String, AttributeValue> values() {
    Map<String, AttributeValue> taken = new LinkedHashMap<>(values);
    values.clear();
    return taken;
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  AttributeValue scalar() {
    return switch (random.nextInt(5)) {
      case 0 -> s(pick(List.of("x", "y", "xy", "")));
      case 1 -> n(pick(List.of("0", "1", "-1", "2.5", "10")));
      case 2 -> bool(chance(50));
      case 3 -> nul();
      default -> ss(chance(50) ? new String[] {"x"} : new String[] {"x", "y"});
    };
  }

  AttributeValue value(int depth) {
    if (depth > 0 && chance(25)) {
      return chance(50) ? l(listElements(depth)) : m(mapEntries(depth));
    }
    return chance(15) ? ns(chance(50) ? new String[] {"1"} : new String[] {"1", "2"}) : scalar();
  }

  private AttributeValue[] listElements(int depth) {
    AttributeValue[] elements = new AttributeValue[random.nextInt(3)];
    for (int i = 0; i < elements.length; i++) {
      elements[i] = value(depth - 1);
    }
    return elements;
  }

  private Object[] mapEntries(int depth) {
    List<Object> entries = new ArrayList<>();
    for (String key : MAP_KEYS) {
      if (chance(60)) {
        entries.add(key);
        entries.add(value(depth - 1));
      }
    }
    return entries.toArray();
  }

  /** An item with key {@code pk} and up to five random attributes. */
  Map<String, AttributeValue> item(String pk) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", s(pk));
    for (String name : NAMES) {
      if (chance(65)) {
        item.put(name, name.equals("m") ? m(mapEntries(2)) : name.equals("l") ? l(listElements(2)) : value(1));
      }
    }
    return item;
  }

  /** A document path: a name, a key of the map m, or an element of the list l. */
  String path() {
    return switch (random.nextInt(6)) {
      case 0 -> "m." + pick(MAP_KEYS);
      case 1 -> "l[" + random.nextInt(3) + "]";
      default -> pick(NAMES);
    };
  }

  String placeholder(AttributeValue value) {
    String name = ":v" + values.size();
    values.put(name, value);
    return name;
  }

  String operand() {
    return chance(60) ? placeholder(value(1)) : path();
  }

  String condition() {
    return condition(2);
  }

  private String condition(int depth) {
    int kind = random.nextInt(depth > 0 ? 13 : 10);
    return switch (kind) {
      case 0, 1 -> path() + " " + pick(COMPARATORS) + " " + operand();
      case 2 -> "attribute_exists(" + path() + ")";
      case 3 -> "attribute_not_exists(" + path() + ")";
      case 4 -> "attribute_type(" + path() + ", " + placeholder(s(pick(TYPES))) + ")";
      case 5 -> "begins_with(" + path() + ", " + placeholder(s(pick(List.of("x", "", "xy")))) + ")";
      case 6 -> "contains(" + path() + ", " + placeholder(scalar()) + ")";
      case 7 -> "size(" + path() + ") " + pick(COMPARATORS) + " " + placeholder(n(random.nextInt(4)));
      case 8 -> path() + " BETWEEN " + placeholder(scalar()) + " AND " + placeholder(scalar());
      case 9 -> {
        StringBuilder in = new StringBuilder(path() + " IN (" + placeholder(scalar()));
        for (int i = random.nextInt(3); i > 0; i--) {
          in.append(", ").append(placeholder(scalar()));
        }
        yield in.append(")").toString();
      }
      case 10 -> condition(depth - 1) + " AND " + condition(depth - 1);
      case 11 -> condition(depth - 1) + " OR " + condition(depth - 1);
      default -> "NOT (" + condition(depth - 1) + ")";
    };
  }

  /** A path whose top-level attribute is not in {@code taken} (which it joins), or null. */
  private String freshPath(java.util.Set<String> taken, boolean topLevel) {
    for (int attempt = 0; attempt < 5; attempt++) {
      String path = topLevel ? pick(NAMES) : path();
      String head = path.split("[.\\[]", 2)[0];
      if (taken.add(head)) {
        return path;
      }
    }
    return null;
  }

  /**
   * One to three actions spread over SET, REMOVE, ADD and DELETE sections, on distinct attributes.
   * With {@code single}, exactly one action: when several actions of one update fail, which error
   * DynamoDB Local reports depends on the order it happens to visit them in (its own hash order,
   * not a documented rule), so multi-action updates are drawn only where the caller can accept that.
   */
  String update(boolean single) {
    List<String> set = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    List<String> add = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (int i = single ? 0 : random.nextInt(3); i >= 0; i--) {
      int kind = random.nextInt(6);
      String target = freshPath(taken, kind >= 3);
      if (target == null) {
        continue;
      }
      switch (kind) {
        case 0, 1 -> set.add(target + " = " + setValue());
        case 2 -> remove.add(target);
        case 3 -> add.add(target + " " + placeholder(chance(60) ? n(pick(List.of("1", "-2", "0.5"))) : ss("y", "z")));
        case 4 -> delete.add(target + " " + placeholder(chance(80) ? ss("x") : n(1)));
        default -> set.add(target + " = " + setValue());
      }
    }
    if (set.isEmpty() && remove.isEmpty() && add.isEmpty() && delete.isEmpty()) {
      set.add(pick(NAMES) + " = " + setValue());
    }
    StringBuilder expression = new StringBuilder();
    section(expression, "SET", set);
    section(expression, "REMOVE", remove);
    section(expression, "ADD", add);
    section(expression, "DELETE", delete);
    return expression.toString();
  }

  private String setValue() {
    return switch (random.nextInt(6)) {
      case 0 -> path() + " + " + placeholder(n(pick(List.of("1", "2.5", "-1"))));
      case 1 -> path() + " - " + path();
      case 2 -> "if_not_exists(" + path() + ", " + placeholder(value(1)) + ")";
      case 3 -> "list_append(" + path() + ", " + placeholder(l(scalar())) + ")";
      case 4 -> path();
      default -> placeholder(value(2));
    };
  }

  private static void section(StringBuilder expression, String keyword, List<String> actions) {
    if (!actions.isEmpty()) {
      expression.append(expression.isEmpty() ? "" : " ").append(keyword).append(' ').append(String.join(", ", actions));
    }
  }

  /** A ProjectionExpression of one to three paths on distinct attributes. */
  String projection() {
    List<String> paths = new ArrayList<>();
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (int i = random.nextInt(3); i >= 0; i--) {
      String path = freshPath(taken, false);
      if (path != null) {
        paths.add(path);
      }
    }
    return paths.isEmpty() ? "a" : String.join(", ", paths);
  }
}
