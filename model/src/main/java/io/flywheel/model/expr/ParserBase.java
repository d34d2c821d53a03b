package io.flywheel.model.expr;

import io.flywheel.model.ItemSize;
import io.flywheel.model.expr.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What the recursive-descent parsers of all expression kinds share: the token cursor, DynamoDB's
 * syntax-error format, the limits (size, operator count, nesting), and the grammar of document
 * paths and operands.
 *
 * <pre>
 * path          := (IDENTIFIER | #name) ( '.' (IDENTIFIER | #name) | '[' NUMBER ']' )*
 * operand       := :value | IDENTIFIER '(' operandParens (',' operandParens)* ')' | path
 * operandParens := '(' operandParens ')' | operand
 * </pre>
 */
abstract class ParserBase {
  static final int MAX_EXPRESSION_BYTES = 4096;
  static final int MAX_OPERATORS = 300;
  /** Deeper nesting needs redundant parentheses or more than 300 operators; bounds recursion. */
  static final int MAX_NESTING = 300;

  private final String input;
  private final List<Token> tokens;
  private int pos;
  private int operators;
  private int nesting;
  private boolean redundantParentheses;

  ParserBase(String input) {
    if (input.isEmpty()) {
      throw new ExpressionError("The expression can not be empty;");
    }
    int bytes = ItemSize.utf8Length(input);
    if (bytes > MAX_EXPRESSION_BYTES) {
      throw new ExpressionError(
          "Expression size has exceeded the maximum allowed size; expression size: " + bytes);
    }
    this.input = input;
    this.tokens = Lexer.tokenize(input);
  }

  /** Whether {@code token} is a keyword of this expression kind, so it cannot name an attribute. */
  abstract boolean isKeyword(Token token);

  final Token peek() {
    return tokens.get(pos);
  }

  final Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  final boolean at(Type type) {
    return peek().is(type);
  }

  final boolean atKeyword(String word) {
    return peek().isKeyword(word);
  }

  final Token advance() {
    Token t = tokens.get(pos);
    if (pos < tokens.size() - 1) {
      pos++;
    }
    return t;
  }

  final Token expect(Type type) {
    if (!at(type)) {
      throw syntaxError();
    }
    return advance();
  }

  final void expectKeyword(String word) {
    if (!atKeyword(word)) {
      throw syntaxError();
    }
    advance();
  }

  final void expectEnd() {
    if (!at(Type.EOF)) {
      throw syntaxError();
    }
  }

  /**
   * A syntax error at the current token, as DynamoDB words it: the token, and the source text from
   * the token before it to the token after it (to the end of the input when that is the end).
   */
  final ExpressionError syntaxError() {
    Token token = tokens.get(pos);
    int from = pos > 0 ? tokens.get(pos - 1).start() : 0;
    boolean nextIsEnd = token.is(Type.EOF) || tokens.get(pos + 1).is(Type.EOF);
    int to = nextIsEnd ? input.length() : tokens.get(pos + 1).end();
    return new ExpressionError(
        "Syntax error; token: \"" + token.shown() + "\", near: \"" + input.substring(from, to) + "\"");
  }

  /** Counts an operator or function; DynamoDB allows 300 per expression. */
  final void countOperator() {
    operators++;
    if (operators > MAX_OPERATORS) {
      throw new ExpressionError("The expression contains too many operators; operator count: " + operators);
    }
  }

  final void enterNesting() {
    nesting++;
    if (nesting > MAX_NESTING) {
      throw new ExpressionError("The expression has redundant parentheses;");
    }
  }

  final void leaveNesting() {
    nesting--;
  }

  final void markRedundantParentheses() {
    redundantParentheses = true;
  }

  /** The first check after a successful parse: DynamoDB rejects doubled parentheses. */
  final void checkRedundantParentheses() {
    if (redundantParentheses) {
      throw new ExpressionError("The expression has redundant parentheses;");
    }
  }

  final Syntax.Path parsePath() {
    List<Syntax.Element> elements = new ArrayList<>();
    elements.add(parseNameElement());
    while (true) {
      if (at(Type.DOT)) {
        advance();
        elements.add(parseNameElement());
      } else if (at(Type.LBRACKET)) {
        advance();
        Token number = expect(Type.NUMBER);
        elements.add(new Syntax.IndexElement(parseIndex(number.text())));
        expect(Type.RBRACKET);
      } else {
        return new Syntax.Path(elements);
      }
    }
  }

  private Syntax.NameElement parseNameElement() {
    Token t = peek();
    if (t.is(Type.NAME_PLACEHOLDER)) {
      advance();
      return new Syntax.NameElement(t.text(), true);
    }
    if (t.is(Type.IDENTIFIER) && !isKeyword(t)) {
      advance();
      return new Syntax.NameElement(t.text(), false);
    }
    throw syntaxError();
  }

  private static int parseIndex(String digits) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    String trimmed = digits.substring(first);
    if (trimmed.length() > 10 || Long.parseLong(trimmed) > Integer.MAX_VALUE) {
      throw new ExpressionError("List index is not within the allowable range; index: [" + trimmed + "]");
    }
    return Integer.parseInt(trimmed);
  }

  final Syntax.Operand parseOperand() {
    Token t = peek();
    if (t.is(Type.VALUE_PLACEHOLDER)) {
      advance();
      return new Syntax.ValueRef(t.text());
    }
    if (t.is(Type.IDENTIFIER) && !isKeyword(t) && peek(1).is(Type.LPAREN)) {
      return parseCall();
    }
    return parsePath();
  }

  private Syntax.Call parseCall() {
    String name = advance().text();
    expect(Type.LPAREN);
    countOperator();
    enterNesting();
    List<Syntax.Operand> args = new ArrayList<>();
    args.add(parseOperandParens());
    while (at(Type.COMMA)) {
      advance();
      args.add(parseOperandParens());
    }
    expect(Type.RPAREN);
    leaveNesting();
    return new Syntax.Call(name, args);
  }

  final Syntax.Operand parseOperandParens() {
    if (!at(Type.LPAREN)) {
      return parseOperand();
    }
    advance();
    enterNesting();
    boolean doubled = at(Type.LPAREN);
    Syntax.Operand operand = parseOperandParens();
    expect(Type.RPAREN);
    leaveNesting();
    if (doubled) {
      markRedundantParentheses();
    }
    return operand;
  }
}
