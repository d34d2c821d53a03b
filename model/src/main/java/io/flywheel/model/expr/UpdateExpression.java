package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.DynamoException;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.expr.Token.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed, checked UpdateExpression (or legacy {@code AttributeUpdates}), ready to apply to items.
 *
 * <pre>
 * update    := section+                       (each of SET REMOVE ADD DELETE at most once, any order)
 * section   := SET path '=' value (',' path '=' value)*
 *            | REMOVE path (',' path)*
 *            | ADD path :value (',' path :value)*
 *            | DELETE path :value (',' path :value)*
 * value     := term | term '+' term | term '-' term | '(' value ')'
 * term      := operandParens                  (operands: paths, :values, if_not_exists, list_append)
 * </pre>
 *
 * <p>Applying follows DynamoDB: every value is computed from the item as it was before the update;
 * then SET actions apply (list indexes past the end append, in index order), then REMOVE (list
 * elements in descending index order, so indexes name positions in the original list), then ADD,
 * then DELETE. Errors found while applying are ValidationExceptions without an expression prefix,
 * e.g. "The document path provided in the update expression is invalid for update".
 */
public final class UpdateExpression {
  static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";
  static final String WRONG_TYPE = "An operand in the update expression has an incorrect data type";
  static final String MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item";
  private static final String LEGACY_MISMATCH = "Type mismatch for attribute to update";

  /** One action of the update. */
  public sealed interface Action {
    DocumentPath path();
  }

  public record SetAction(DocumentPath path, UpdateValue value) implements Action {}

  public record RemoveAction(DocumentPath path) implements Action {}

  /**
   * ADD: adds a number, or unions a set. {@code legacy} marks AttributeUpdates' ADD, which also
   * appends lists and words its type errors differently.
   */
  public record AddAction(DocumentPath path, AttributeValue value, boolean legacy) implements Action {}

  /** DELETE: removes set elements; an emptied set removes the attribute. */
  public record DeleteAction(DocumentPath path, AttributeValue value, boolean legacy) implements Action {}

  /** The right-hand side of a SET action. */
  public sealed interface UpdateValue {
    /** Its value against the item before the update. */
    AttributeValue evaluate(Map<String, AttributeValue> oldItem);

    record PathValue(DocumentPath path) implements UpdateValue {
      @Override
      public AttributeValue evaluate(Map<String, AttributeValue> oldItem) {
        AttributeValue v = path.get(oldItem);
        if (v == null) {
          throw DynamoException.validation(MISSING_ATTRIBUTE);
        }
        return v;
      }
    }

    record Literal(AttributeValue value) implements UpdateValue {
      @Override
      public AttributeValue evaluate(Map<String, AttributeValue> oldItem) {
        return value;
      }
    }

    record Arithmetic(boolean plus, UpdateValue left, UpdateValue right) implements UpdateValue {
      @Override
      public AttributeValue evaluate(Map<String, AttributeValue> oldItem) {
        // Left to right: the first operand's problem (missing or not a number) is the one reported.
        if (left.evaluate(oldItem) instanceof AttributeValue.N(DynamoNumber x)
            && right.evaluate(oldItem) instanceof AttributeValue.N(DynamoNumber y)) {
          return new AttributeValue.N(plus ? x.add(y) : x.subtract(y));
        }
        throw DynamoException.validation(WRONG_TYPE);
      }
    }

    record IfNotExists(DocumentPath path, UpdateValue fallback) implements UpdateValue {
      @Override
      public AttributeValue evaluate(Map<String, AttributeValue> oldItem) {
        AttributeValue v = path.get(oldItem);
        return v != null ? v : fallback.evaluate(oldItem);
      }
    }

    record ListAppend(UpdateValue first, UpdateValue second) implements UpdateValue {
      @Override
      public AttributeValue evaluate(Map<String, AttributeValue> oldItem) {
        // Left to right, like arithmetic.
        if (first.evaluate(oldItem) instanceof AttributeValue.L(List<AttributeValue> x)
            && second.evaluate(oldItem) instanceof AttributeValue.L(List<AttributeValue> y)) {
          List<AttributeValue> joined = new ArrayList<>(x.size() + y.size());
          joined.addAll(x);
          joined.addAll(y);
          return new AttributeValue.L(joined);
        }
        throw DynamoException.validation(WRONG_TYPE);
      }
    }
  }

  private final List<Action> actions;

  private UpdateExpression(List<Action> actions) {
    this.actions = List.copyOf(actions);
  }

  /** An update of already-checked actions (used for legacy AttributeUpdates). */
  static UpdateExpression of(List<Action> actions) {
    return new UpdateExpression(actions);
  }

  /**
   * Parses and checks an UpdateExpression, resolving its placeholders in {@code ctx}.
   *
   * @throws DynamoException ValidationException "Invalid UpdateExpression: ..."
   */
  public static UpdateExpression parse(String expression, ExpressionContext ctx) {
    Objects.requireNonNull(expression);
    try {
      return build(expression, ctx);
    } catch (ExpressionError e) {
      throw e.toDynamo(ExpressionKind.UPDATE);
    }
  }

  /** The actions in the order they were written. */
  public List<Action> actions() {
    return actions;
  }

  /** Updates are values: equal when their actions are, in order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateExpression other && actions.equals(other.actions);
  }

  @Override
  public int hashCode() {
    return actions.hashCode();
  }

  @Override
  public String toString() {
    return "UpdateExpression" + actions;
  }

  /** What the update writes or removes: UPDATED_OLD and UPDATED_NEW return the item through these. */
  public Projection touched() {
    List<DocumentPath> paths = new ArrayList<>(actions.size());
    for (Action action : actions) {
      paths.add(action.path());
    }
    return Projection.ofPaths(paths);
  }

  /** The top-level attributes the update writes or removes (so the caller can refuse key attributes). */
  public Set<String> topLevelAttributesTouched() {
    Set<String> names = new LinkedHashSet<>();
    for (Action action : actions) {
      names.add(action.path().head());
    }
    return names;
  }

  // ---- applying --------------------------------------------------------------------------------

  /**
   * The item after the update. {@code oldItem} is not modified; pass an empty map when the item does
   * not exist (UpdateItem then creates it).
   *
   * @throws DynamoException ValidationException when a path or operand does not fit the item
   */
  public Map<String, AttributeValue> apply(Map<String, AttributeValue> oldItem) {
    List<SetAction> sets = new ArrayList<>();
    List<AttributeValue> setValues = new ArrayList<>();
    List<Action> removes = new ArrayList<>();
    List<Action> adds = new ArrayList<>();
    List<Action> deletes = new ArrayList<>();
    for (Action action : actions) {
      switch (action) {
        case SetAction s -> sets.add(s);
        case RemoveAction r -> removes.add(r);
        case AddAction a -> adds.add(a);
        case DeleteAction d -> deletes.add(d);
      }
    }
    for (SetAction s : sets) {
      // A SET's target is checked before its value (paths of one update never overlap, so no other
      // action can create or change the target's container).
      if (!writable(oldItem, s.path())) {
        throw DynamoException.validation(INVALID_PATH);
      }
      setValues.add(s.value().evaluate(oldItem)); // every value sees the item before the update
    }
    Mutable.Map root = new Mutable.Map(oldItem);
    Integer[] order = new Integer[sets.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparing(i -> sets.get(i).path()));
    for (int i : order) {
      write(root, sets.get(i).path(), setValues.get(i));
    }
    removes.sort(Comparator.comparing(Action::path).reversed());
    for (Action r : removes) {
      remove(root, r.path());
    }
    adds.sort(Comparator.comparing(Action::path));
    for (Action a : adds) {
      add(root, (AddAction) a);
    }
    deletes.sort(Comparator.comparing(Action::path).reversed());
    for (Action d : deletes) {
      delete(root, (DeleteAction) d);
    }
    return root.freezeEntries();
  }

  /**
   * Whether a SET can write at {@code path} in {@code item}: every step before the last exists, and
   * the last step's container is a map (for a name) or a list (for an index; past its end appends).
   */
  private static boolean writable(Map<String, AttributeValue> item, DocumentPath path) {
    List<DocumentPath.Element> elements = path.elements();
    if (elements.size() == 1) {
      return true;
    }
    AttributeValue container = item.get(path.head());
    for (int i = 1; i < elements.size() - 1 && container != null; i++) {
      container = DocumentPath.step(container, elements.get(i));
    }
    return path.last() instanceof DocumentPath.Name ? container instanceof AttributeValue.M : container instanceof AttributeValue.L;
  }

  /** The container holding the last element of {@code path}, thawed for writing; null if absent. */
  private static Object parentOf(Mutable.Map root, DocumentPath path) {
    Object container = root;
    List<DocumentPath.Element> elements = path.elements();
    for (int i = 0; i < elements.size() - 1; i++) {
      container = Mutable.descend(container, elements.get(i));
      if (container == null) {
        return null;
      }
    }
    return container;
  }

  private static AttributeValue read(Mutable.Map root, DocumentPath path) {
    Object parent = parentOf(root, path);
    if (parent == null) {
      throw DynamoException.validation(INVALID_PATH);
    }
    Object value = Mutable.get(parent, path.last());
    return value == null ? null : Mutable.freeze(value);
  }

  private static void write(Mutable.Map root, DocumentPath path, AttributeValue value) {
    Object parent = parentOf(root, path);
    if (parent == null || !Mutable.put(parent, path.last(), value)) {
      throw DynamoException.validation(INVALID_PATH);
    }
  }

  private static void remove(Mutable.Map root, DocumentPath path) {
    Object parent = parentOf(root, path);
    if (parent == null || !Mutable.remove(parent, path.last())) {
      throw DynamoException.validation(INVALID_PATH);
    }
  }

  private static void add(Mutable.Map root, AddAction action) {
    AttributeValue existing = read(root, action.path());
    AttributeValue delta = action.value();
    String mismatch = action.legacy() ? LEGACY_MISMATCH : WRONG_TYPE;
    AttributeValue result;
    if (existing == null) {
      result = delta;
    } else if (existing instanceof AttributeValue.N(DynamoNumber x) && delta instanceof AttributeValue.N(DynamoNumber y)) {
      result = new AttributeValue.N(x.add(y));
    } else if (existing instanceof AttributeValue.SS(Set<String> x) && delta instanceof AttributeValue.SS(Set<String> y)) {
      result = new AttributeValue.SS(union(x, y));
    } else if (existing instanceof AttributeValue.NS(Set<DynamoNumber> x) && delta instanceof AttributeValue.NS(Set<DynamoNumber> y)) {
      result = new AttributeValue.NS(union(x, y));
    } else if (existing instanceof AttributeValue.BS(Set<Binary> x) && delta instanceof AttributeValue.BS(Set<Binary> y)) {
      result = new AttributeValue.BS(union(x, y));
    } else if (action.legacy() && existing instanceof AttributeValue.L(List<AttributeValue> x)
        && delta instanceof AttributeValue.L(List<AttributeValue> y)) {
      List<AttributeValue> joined = new ArrayList<>(x);
      joined.addAll(y);
      result = new AttributeValue.L(joined);
    } else {
      throw DynamoException.validation(mismatch);
    }
    write(root, action.path(), result);
  }

  private static void delete(Mutable.Map root, DeleteAction action) {
    AttributeValue existing = read(root, action.path());
    if (existing == null) {
      return;
    }
    AttributeValue delta = action.value();
    Set<?> remaining;
    AttributeValue result;
    if (existing instanceof AttributeValue.SS(Set<String> x) && delta instanceof AttributeValue.SS(Set<String> y)) {
      Set<String> r = difference(x, y);
      remaining = r;
      result = new AttributeValue.SS(r);
    } else if (existing instanceof AttributeValue.NS(Set<DynamoNumber> x) && delta instanceof AttributeValue.NS(Set<DynamoNumber> y)) {
      Set<DynamoNumber> r = difference(x, y);
      remaining = r;
      result = new AttributeValue.NS(r);
    } else if (existing instanceof AttributeValue.BS(Set<Binary> x) && delta instanceof AttributeValue.BS(Set<Binary> y)) {
      Set<Binary> r = difference(x, y);
      remaining = r;
      result = new AttributeValue.BS(r);
    } else {
      throw DynamoException.validation(action.legacy() ? LEGACY_MISMATCH : WRONG_TYPE);
    }
    if (remaining.isEmpty()) {
      remove(root, action.path());
    } else {
      write(root, action.path(), result);
    }
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static <T> Set<T> difference(Set<T> a, Set<T> b) {
    Set<T> rest = new LinkedHashSet<>(a);
    rest.removeAll(b);
    return rest;
  }

  // ---- parsing and checking --------------------------------------------------------------------

  private static final Set<String> FUNCTIONS = Set.of("if_not_exists", "list_append");

  private enum Section {
    SET,
    REMOVE,
    ADD,
    DELETE
  }

  private record RawAction(Section section, Syntax.Path path, Syntax.Operand value) {}

  private static UpdateExpression build(String expression, ExpressionContext ctx) {
    Parser parser = new Parser(expression);
    List<RawAction> raw = parser.parseTop();
    parser.checkRedundantParentheses();
    List<Syntax.Operand> operands = new ArrayList<>();
    for (RawAction action : raw) {
      operands.add(action.path());
      if (action.value() != null) {
        Syntax.visit(action.value(), operands::add);
      }
    }
    java.util.HashSet<String> known = new java.util.HashSet<>(FUNCTIONS);
    known.addAll(ConditionParser.CONDITION_FUNCTIONS);
    Resolver.checkFunctionNames(operands, known);
    for (Syntax.Operand operand : operands) {
      if (operand instanceof Syntax.Call call && !FUNCTIONS.contains(call.name())) {
        throw new ExpressionError("The function is not allowed in an update expression; function: " + call.name());
      }
    }
    Resolver.checkReservedWords(operands);
    if (parser.repeatedSection != null) {
      throw new ExpressionError(
          "The \"" + parser.repeatedSection + "\" section can only be used once in an update expression;");
    }
    // Overlapping paths are reported before anything about the values (undefined placeholders,
    // operand types), as DynamoDB does.
    List<DocumentPath> paths = new ArrayList<>(raw.size());
    for (RawAction action : raw) {
      paths.add(Resolver.path(action.path(), ctx));
    }
    DocumentPath.checkDisjoint(paths);
    List<Action> actions = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      RawAction action = raw.get(i);
      DocumentPath path = paths.get(i);
      actions.add(switch (action.section()) {
        case SET -> new SetAction(path, value(action.value(), ctx));
        case REMOVE -> new RemoveAction(path);
        case ADD -> new AddAction(path, addOrDeleteOperand("ADD", action.value(), ctx), false);
        case DELETE -> new DeleteAction(path, addOrDeleteOperand("DELETE", action.value(), ctx), false);
      });
    }
    return new UpdateExpression(actions);
  }

  private static AttributeValue addOrDeleteOperand(String operator, Syntax.Operand operand, ExpressionContext ctx) {
    AttributeValue value = ctx.value(((Syntax.ValueRef) operand).ref());
    boolean set = value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS;
    boolean allowed = set || (operator.equals("ADD") && value instanceof AttributeValue.N);
    if (!allowed) {
      throw new ExpressionError("Incorrect operand type for operator or function; operator: " + operator
          + ", operand type: " + longTypeName(value) + ", typeSet: ALLOWED_FOR_" + operator + "_OPERAND");
    }
    return value;
  }

  private static String longTypeName(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> "STRING";
      case AttributeValue.N n -> "NUMBER";
      case AttributeValue.B b -> "BINARY";
      case AttributeValue.Bool b -> "BOOLEAN";
      case AttributeValue.Null n -> "NULL";
      case AttributeValue.L l -> "LIST";
      case AttributeValue.M m -> "MAP";
      default -> value.typeName();
    };
  }

  private static UpdateValue value(Syntax.Operand operand, ExpressionContext ctx) {
    return switch (operand) {
      case Syntax.Path p -> new UpdateValue.PathValue(Resolver.path(p, ctx));
      case Syntax.ValueRef v -> new UpdateValue.Literal(ctx.value(v.ref()));
      case Syntax.Arithmetic a -> {
        UpdateValue left = value(a.left(), ctx);
        UpdateValue right = value(a.right(), ctx);
        String symbol = a.plus() ? "+" : "-";
        requireLiteralType(symbol, "N", left);
        requireLiteralType(symbol, "N", right);
        yield new UpdateValue.Arithmetic(a.plus(), left, right);
      }
      case Syntax.Call call -> {
        if (call.args().size() != 2) {
          throw new ExpressionError(Resolver.incorrectOperandCount(call.name(), call.args().size()));
        }
        UpdateValue first = value(call.args().get(0), ctx);
        UpdateValue second = value(call.args().get(1), ctx);
        if (call.name().equals("if_not_exists")) {
          if (!(first instanceof UpdateValue.PathValue(DocumentPath path))) {
            throw new ExpressionError(Resolver.requiresPath(call.name()));
          }
          yield new UpdateValue.IfNotExists(path, second);
        }
        requireLiteralType(call.name(), "L", first);
        requireLiteralType(call.name(), "L", second);
        yield new UpdateValue.ListAppend(first, second);
      }
    };
  }

  private static void requireLiteralType(String operator, String type, UpdateValue value) {
    if (value instanceof UpdateValue.Literal(AttributeValue v) && !v.typeName().equals(type)) {
      throw new ExpressionError(Resolver.incorrectOperandType(operator, v.typeName()));
    }
  }

  private static final class Parser extends ParserBase {
    Section repeatedSection;

    Parser(String input) {
      super(input);
    }

    @Override
    boolean isKeyword(Token token) {
      return section(token) != null;
    }

    private static Section section(Token token) {
      for (Section s : Section.values()) {
        if (token.isKeyword(s.name())) {
          return s;
        }
      }
      return null;
    }

    List<RawAction> parseTop() {
      List<RawAction> actions = new ArrayList<>();
      java.util.EnumSet<Section> seen = java.util.EnumSet.noneOf(Section.class);
      do {
        Section section = section(peek());
        if (section == null) {
          throw syntaxError();
        }
        advance();
        if (!seen.add(section) && repeatedSection == null) {
          repeatedSection = section;
        }
        actions.add(parseAction(section));
        while (at(Type.COMMA)) {
          advance();
          actions.add(parseAction(section));
        }
      } while (!at(Type.EOF));
      return actions;
    }

    private RawAction parseAction(Section section) {
      Syntax.Path path = parsePath();
      return switch (section) {
        case SET -> {
          expect(Type.EQ);
          yield new RawAction(section, path, parseSetValue());
        }
        case REMOVE -> new RawAction(section, path, null);
        case ADD, DELETE -> {
          Token t = expect(Type.VALUE_PLACEHOLDER);
          yield new RawAction(section, path, new Syntax.ValueRef(t.text()));
        }
      };
    }

    private Syntax.Operand parseSetValue() {
      if (!at(Type.LPAREN)) {
        return parseArithmetic();
      }
      advance();
      enterNesting();
      boolean doubled = at(Type.LPAREN);
      Syntax.Operand inner = parseArithmetic();
      expect(Type.RPAREN);
      leaveNesting();
      if (inner instanceof Syntax.Arithmetic) {
        return inner; // "(a + b)": nothing may follow
      }
      if (doubled) {
        markRedundantParentheses();
      }
      return parseArithmeticRest(inner);
    }

    private Syntax.Operand parseArithmetic() {
      return parseArithmeticRest(parseOperandParens());
    }

    private Syntax.Operand parseArithmeticRest(Syntax.Operand left) {
      if (at(Type.PLUS) || at(Type.MINUS)) {
        boolean plus = advance().is(Type.PLUS);
        countOperator();
        return new Syntax.Arithmetic(plus, left, parseOperandParens());
      }
      return left;
    }
  }

  // ---- mutable working copy ----------------------------------------------------------------------

  /**
   * A copy-on-write view of an item for applying actions: containers on written paths are thawed
   * into mutable maps and lists, the rest stays shared with the old item.
   */
  private static final class Mutable {
    static final class Map {
      final LinkedHashMap<String, Object> entries;

      Map(java.util.Map<String, AttributeValue> source) {
        entries = new LinkedHashMap<>(source);
      }

      java.util.Map<String, AttributeValue> freezeEntries() {
        java.util.Map<String, AttributeValue> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, freeze(v)));
        return out;
      }
    }

    static final class ListNode {
      final ArrayList<Object> elements;

      ListNode(List<AttributeValue> source) {
        elements = new ArrayList<>(source);
      }
    }

    static AttributeValue freeze(Object node) {
      return switch (node) {
        case Map m -> new AttributeValue.M(m.freezeEntries());
        case ListNode l -> {
          List<AttributeValue> out = new ArrayList<>(l.elements.size());
          for (Object e : l.elements) {
            out.add(freeze(e));
          }
          yield new AttributeValue.L(out);
        }
        default -> (AttributeValue) node;
      };
    }

    static Object get(Object container, DocumentPath.Element element) {
      if (container instanceof Map m && element instanceof DocumentPath.Name(String name)) {
        return m.entries.get(name);
      }
      if (container instanceof ListNode l && element instanceof DocumentPath.Index(int index)) {
        return index < l.elements.size() ? l.elements.get(index) : null;
      }
      return null;
    }

    /** The child container at {@code element}, thawed in place; null if absent or not a container. */
    static Object descend(Object container, DocumentPath.Element element) {
      Object child = get(container, element);
      Object thawed = switch (child) {
        case AttributeValue.M m -> new Map(m.values());
        case AttributeValue.L l -> new ListNode(l.values());
        case Map m -> m;
        case ListNode l -> l;
        case null, default -> null;
      };
      if (thawed != null && thawed != child) {
        put(container, element, thawed);
      }
      return thawed;
    }

    /** Sets a map key or list element (appending past the end); false on a container mismatch. */
    static boolean put(Object container, DocumentPath.Element element, Object value) {
      if (container instanceof Map m && element instanceof DocumentPath.Name(String name)) {
        m.entries.put(name, value);
        return true;
      }
      if (container instanceof ListNode l && element instanceof DocumentPath.Index(int index)) {
        if (index < l.elements.size()) {
          l.elements.set(index, value);
        } else {
          l.elements.add(value);
        }
        return true;
      }
      return false;
    }

    /** Removes a map key or list element (nothing past the end); false on a container mismatch. */
    static boolean remove(Object container, DocumentPath.Element element) {
      if (container instanceof Map m && element instanceof DocumentPath.Name(String name)) {
        m.entries.remove(name);
        return true;
      }
      if (container instanceof ListNode l && element instanceof DocumentPath.Index(int index)) {
        if (index < l.elements.size()) {
          l.elements.remove(index);
        }
        return true;
      }
      return false;
    }
  }
}
