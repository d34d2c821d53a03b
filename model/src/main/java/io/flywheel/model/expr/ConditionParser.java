package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.expr.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Parses ConditionExpression and FilterExpression into a checked {@link Condition}.
 *
 * <pre>
 * condition  := and (OR and)*
 * and        := not (AND not)*
 * not        := NOT not | primary
 * primary    := '(' condition ')'
 *             | operand comparator operand
 *             | operand BETWEEN operand AND operand
 *             | operand IN '(' operand (',' operand)* ')'
 *             | function '(' operand (',' operand)* ')'
 * comparator := '=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * </pre>
 *
 * Keywords (AND OR NOT BETWEEN IN) are case-insensitive; function names are not. Operands may be
 * parenthesized, once.
 *
 * <p>After a successful parse the checks run in DynamoDB's order: redundant parentheses, unknown
 * function names, functions used where they are not allowed, reserved words, then one walk in
 * written order that resolves placeholders and checks operand counts, distinct operands and
 * operand types.
 */
public final class ConditionParser {
  static final Set<String> CONDITION_FUNCTIONS =
      Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size");
  static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
  private static final Set<String> ALL_FUNCTIONS = union(CONDITION_FUNCTIONS, UPDATE_FUNCTIONS);
  static final int MAX_IN_OPERANDS = 100;
  private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS");

  private ConditionParser() {}

  /**
   * Parses and checks {@code expression}, resolving its placeholders in {@code ctx}.
   *
   * @param kind {@link ExpressionKind#CONDITION} or {@link ExpressionKind#FILTER}: names the
   *     expression in error messages
   * @throws io.flywheel.model.DynamoException ValidationException with DynamoDB's message
   */
  public static Condition parse(String expression, ExpressionKind kind, ExpressionContext ctx) {
    Objects.requireNonNull(expression);
    try {
      return build(parseSyntax(expression), ctx);
    } catch (ExpressionError e) {
      throw e.toDynamo(kind);
    }
  }

  /** Parses and runs the checks that need no placeholders (parentheses, functions, reserved words). */
  static Syntax.Cond parseSyntax(String expression) {
    Parser parser = new Parser(expression);
    Syntax.Cond cond = parser.parseTop();
    parser.checkRedundantParentheses();
    List<Syntax.Operand> operands = Resolver.operandsInOrder(cond);
    Resolver.checkFunctionNames(operands, ALL_FUNCTIONS);
    checkFunctionPlacement(cond);
    Resolver.checkReservedWords(operands);
    return cond;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  // ---- function placement -------------------------------------------------------------------

  private static void checkFunctionPlacement(Syntax.Cond cond) {
    switch (cond) {
      case Syntax.FunctionCond f -> {
        String name = f.call().name();
        if (UPDATE_FUNCTIONS.contains(name)) {
          throw notInCondition(name);
        }
        if (name.equals("size")) {
          throw misused(name);
        }
        f.call().args().forEach(ConditionParser::checkOperandPlacement);
      }
      case Syntax.And a -> {
        checkFunctionPlacement(a.left());
        checkFunctionPlacement(a.right());
      }
      case Syntax.Or o -> {
        checkFunctionPlacement(o.left());
        checkFunctionPlacement(o.right());
      }
      case Syntax.Not n -> checkFunctionPlacement(n.cond());
      default -> Syntax.forEachOperand(cond, ConditionParser::checkOperandPlacement);
    }
  }

  private static void checkOperandPlacement(Syntax.Operand operand) {
    Syntax.visit(operand, o -> {
      if (o instanceof Syntax.Call call) {
        if (UPDATE_FUNCTIONS.contains(call.name())) {
          throw notInCondition(call.name());
        }
        if (!call.name().equals("size")) {
          throw misused(call.name());
        }
      }
    });
  }

  private static ExpressionError notInCondition(String name) {
    return new ExpressionError("The function is not allowed in a condition expression; function: " + name);
  }

  private static ExpressionError misused(String name) {
    return new ExpressionError("The function is not allowed to be used this way in an expression; function: " + name);
  }

  // ---- typed tree ------------------------------------------------------------------------------

  static Condition build(Syntax.Cond cond, ExpressionContext ctx) {
    return switch (cond) {
      case Syntax.And a -> new Condition.And(build(a.left(), ctx), build(a.right(), ctx));
      case Syntax.Or o -> new Condition.Or(build(o.left(), ctx), build(o.right(), ctx));
      case Syntax.Not n -> new Condition.Not(build(n.cond(), ctx));
      case Syntax.Compare c -> compare(c, ctx);
      case Syntax.Between b -> between(b, ctx);
      case Syntax.In in -> in(in, ctx);
      case Syntax.FunctionCond f -> function(f.call(), ctx);
    };
  }

  private static Condition compare(Syntax.Compare c, ExpressionContext ctx) {
    Operand left = operand(c.left(), ctx);
    Operand right = operand(c.right(), ctx);
    String symbol = c.op().symbol();
    checkDistinct(symbol, left, right);
    if (c.op() != Condition.Comparator.EQ && c.op() != Condition.Comparator.NE) {
      checkScalar(symbol, left);
      checkScalar(symbol, right);
    }
    return new Condition.Compare(c.op(), left, right);
  }

  private static Condition between(Syntax.Between b, ExpressionContext ctx) {
    Operand value = operand(b.value(), ctx);
    Operand lower = operand(b.lower(), ctx);
    Operand upper = operand(b.upper(), ctx);
    checkDistinct("BETWEEN", value, lower, upper);
    checkScalar("BETWEEN", value);
    checkScalar("BETWEEN", lower);
    checkScalar("BETWEEN", upper);
    if (lower instanceof Operand.Value(AttributeValue lo) && upper instanceof Operand.Value(AttributeValue hi)) {
      String bounds = "lower bound operand: AttributeValue: " + Values.shortForm(lo)
          + ", upper bound operand: AttributeValue: " + Values.shortForm(hi);
      if (!lo.typeName().equals(hi.typeName())) {
        throw new ExpressionError("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      }
      Integer order = Values.compare(lo, hi);
      if (order != null && order > 0) {
        throw new ExpressionError(
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
      }
    }
    return new Condition.Between(value, lower, upper);
  }

  private static Condition in(Syntax.In in, ExpressionContext ctx) {
    Operand value = operand(in.value(), ctx);
    List<Operand> candidates = new ArrayList<>(in.candidates().size());
    for (Syntax.Operand candidate : in.candidates()) {
      candidates.add(operand(candidate, ctx));
    }
    if (candidates.size() > MAX_IN_OPERANDS) {
      throw new ExpressionError(
          "The IN operator is provided with too many operands; number of operands: " + candidates.size());
    }
    Operand[] all = new Operand[candidates.size() + 1];
    all[0] = value;
    for (int i = 0; i < candidates.size(); i++) {
      all[i + 1] = candidates.get(i);
    }
    checkDistinct("IN", all);
    return new Condition.In(value, candidates);
  }

  private static Condition function(Syntax.Call call, ExpressionContext ctx) {
    String name = call.name();
    List<Operand> args = new ArrayList<>(call.args().size());
    for (Syntax.Operand arg : call.args()) {
      args.add(operand(arg, ctx));
    }
    int expected = name.startsWith("attribute_") && !name.equals("attribute_type") ? 1 : 2;
    if (args.size() != expected) {
      throw new ExpressionError(Resolver.incorrectOperandCount(name, args.size()));
    }
    if (expected == 2) {
      checkDistinct(name, args.get(0), args.get(1));
    }
    return switch (name) {
      case "attribute_exists" -> new Condition.AttributeExists(requirePath(name, args.get(0)));
      case "attribute_not_exists" -> new Condition.AttributeNotExists(requirePath(name, args.get(0)));
      case "attribute_type" -> attributeType(requirePath(name, args.get(0)), args.get(1));
      case "begins_with" -> {
        for (Operand arg : args) {
          String type = arg.staticType();
          if (type != null && !type.equals("S") && !type.equals("B")) {
            throw new ExpressionError(Resolver.incorrectOperandType(name, type));
          }
        }
        yield new Condition.BeginsWith(args.get(0), args.get(1));
      }
      case "contains" -> new Condition.Contains(args.get(0), args.get(1));
      default -> throw new IllegalStateException("unchecked function " + name);
    };
  }

  private static Condition attributeType(DocumentPath path, Operand type) {
    if (!(type instanceof Operand.Value(AttributeValue value))) {
      throw new ExpressionError(Resolver.incorrectOperandType("attribute_type",
          "{N,DECIMAL,FS,M,DECIMALSET,HDS,INT,FLOAT,NS,SS,BOOL,DOUBLESET,L,NULL,DOUBLE,DICT,BS,INTSET,S,HD,B}"));
    }
    if (!(value instanceof AttributeValue.S(String typeName))) {
      throw new ExpressionError(Resolver.incorrectOperandType("attribute_type", value.typeName()));
    }
    if (!TYPE_NAMES.contains(typeName)) {
      throw new ExpressionError("Invalid attribute type name found; type: " + typeName
          + ", valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}");
    }
    return new Condition.AttributeType(path, typeName);
  }

  private static DocumentPath requirePath(String function, Operand operand) {
    if (operand instanceof Operand.Path(DocumentPath path)) {
      return path;
    }
    throw new ExpressionError(Resolver.requiresPath(function));
  }

  static Operand operand(Syntax.Operand operand, ExpressionContext ctx) {
    return switch (operand) {
      case Syntax.Path p -> new Operand.Path(Resolver.path(p, ctx));
      case Syntax.ValueRef v -> new Operand.Value(ctx.value(v.ref()));
      case Syntax.Call call -> {
        // only size() survives the placement check
        if (call.args().size() != 1) {
          throw new ExpressionError(Resolver.incorrectOperandCount(call.name(), call.args().size()));
        }
        Operand inner = operand(call.args().getFirst(), ctx);
        String type = inner.staticType();
        if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL"))) {
          throw new ExpressionError(Resolver.incorrectOperandType(call.name(), type));
        }
        yield new Operand.Size(inner);
      }
      case Syntax.Arithmetic a -> throw new IllegalStateException("arithmetic in a condition");
    };
  }

  private static void checkScalar(String operator, Operand operand) {
    String type = operand.staticType();
    if (type != null && !Values.isScalar(type)) {
      throw new ExpressionError(Resolver.incorrectOperandType(operator, type));
    }
  }

  /** DynamoDB rejects comparing a path with itself: {@code a = a}, {@code contains(a, a)}. */
  private static void checkDistinct(String operator, Operand first, Operand... rest) {
    if (!(first instanceof Operand.Path(DocumentPath path))) {
      return;
    }
    for (Operand other : rest) {
      if (other instanceof Operand.Path(DocumentPath otherPath) && otherPath.equals(path)) {
        throw new ExpressionError(
            "The first operand must be distinct from the remaining operands for this operator or function; operator: "
                + operator + ", first operand: " + path);
      }
    }
  }

  private static void checkDistinct(String operator, Operand[] operands) {
    Operand[] rest = new Operand[operands.length - 1];
    System.arraycopy(operands, 1, rest, 0, rest.length);
    checkDistinct(operator, operands[0], rest);
  }

  // ---- parser ----------------------------------------------------------------------------------

  /** The recursive-descent parser; {@link Syntax} nodes out, syntax errors thrown. */
  private static final class Parser extends ParserBase {
    /** A primary: a condition, or (inside parentheses) a bare operand that a comparison may follow. */
    private record Parsed(Syntax.Cond cond, Syntax.Operand bare, boolean parenthesized) {}

    Parser(String input) {
      super(input);
    }

    @Override
    boolean isKeyword(Token token) {
      return token.isKeyword("AND") || token.isKeyword("OR") || token.isKeyword("NOT")
          || token.isKeyword("BETWEEN") || token.isKeyword("IN");
    }

    Syntax.Cond parseTop() {
      Parsed parsed = parseOr(false);
      expectEnd();
      return parsed.cond();
    }

    private Parsed parseOr(boolean allowBare) {
      Parsed left = parseAnd(allowBare);
      if (left.bare() != null) {
        return left;
      }
      while (atKeyword("OR")) {
        countOperator();
        advance();
        Parsed right = parseAnd(false);
        left = new Parsed(new Syntax.Or(left.cond(), right.cond()), null, false);
      }
      return left;
    }

    private Parsed parseAnd(boolean allowBare) {
      Parsed left = parseNot(allowBare);
      if (left.bare() != null) {
        return left;
      }
      while (atKeyword("AND")) {
        countOperator();
        advance();
        Parsed right = parseNot(false);
        left = new Parsed(new Syntax.And(left.cond(), right.cond()), null, false);
      }
      return left;
    }

    private Parsed parseNot(boolean allowBare) {
      if (!atKeyword("NOT")) {
        return parsePrimary(allowBare);
      }
      countOperator();
      advance();
      enterNesting();
      Parsed inner = parseNot(false);
      leaveNesting();
      return new Parsed(new Syntax.Not(inner.cond()), null, false);
    }

    private Parsed parsePrimary(boolean allowBare) {
      if (!at(Type.LPAREN)) {
        return parseComparison(parseOperand(), false, allowBare);
      }
      advance();
      enterNesting();
      Parsed inner = parseOr(true);
      expect(Type.RPAREN);
      leaveNesting();
      if (inner.parenthesized()) {
        markRedundantParentheses();
      }
      if (inner.bare() != null) {
        return parseComparison(inner.bare(), true, allowBare);
      }
      return new Parsed(inner.cond(), null, true);
    }

    private Parsed parseComparison(Syntax.Operand left, boolean leftParenthesized, boolean allowBare) {
      Token t = peek();
      if (t.isComparator()) {
        countOperator();
        advance();
        Syntax.Operand right = parseOperandParens();
        return new Parsed(new Syntax.Compare(comparator(t.type()), left, right), null, false);
      }
      if (t.isKeyword("BETWEEN")) {
        countOperator();
        advance();
        Syntax.Operand lower = parseOperandParens();
        expectKeyword("AND");
        Syntax.Operand upper = parseOperandParens();
        return new Parsed(new Syntax.Between(left, lower, upper), null, false);
      }
      if (t.isKeyword("IN")) {
        countOperator();
        advance();
        expect(Type.LPAREN);
        List<Syntax.Operand> candidates = new ArrayList<>();
        candidates.add(parseOperandParens());
        while (at(Type.COMMA)) {
          advance();
          candidates.add(parseOperandParens());
        }
        expect(Type.RPAREN);
        return new Parsed(new Syntax.In(left, candidates), null, false);
      }
      if (allowBare && t.is(Type.RPAREN)
          && !(left instanceof Syntax.Call call && !leftParenthesized && !call.name().equals("size"))) {
        return new Parsed(null, left, leftParenthesized); // "(a)" or "(size(a))", a comparison may follow
      }
      if (left instanceof Syntax.Call call && !leftParenthesized) {
        return new Parsed(new Syntax.FunctionCond(call), null, false);
      }
      if (allowBare && t.is(Type.RPAREN)) {
        return new Parsed(null, left, leftParenthesized);
      }
      throw syntaxError();
    }

    private static Condition.Comparator comparator(Type type) {
      return switch (type) {
        case EQ -> Condition.Comparator.EQ;
        case NE -> Condition.Comparator.NE;
        case LT -> Condition.Comparator.LT;
        case LE -> Condition.Comparator.LE;
        case GT -> Condition.Comparator.GT;
        case GE -> Condition.Comparator.GE;
        default -> throw new IllegalArgumentException(type.name());
      };
    }
  }
}
