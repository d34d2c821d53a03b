package io.flywheel.model.expr;

/** One token of an expression, with its place in the source text. */
record Token(Type type, String text, int start, int end) {
  enum Type {
    IDENTIFIER, // [a-zA-Z][a-zA-Z0-9_]*: attribute name, keyword or function name
    NAME_PLACEHOLDER, // #[a-zA-Z0-9_]+
    VALUE_PLACEHOLDER, // :[a-zA-Z0-9_]+
    NUMBER, // [0-9]+ (list indexes)
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    COMMA,
    DOT,
    PLUS,
    MINUS,
    OTHER, // any other single character: always a syntax error
    EOF
  }

  boolean is(Type t) {
    return type == t;
  }

  /** Whether this is the keyword {@code word} (keywords are case-insensitive). */
  boolean isKeyword(String word) {
    return type == Type.IDENTIFIER && text.equalsIgnoreCase(word);
  }

  boolean isComparator() {
    return switch (type) {
      case EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  /** How DynamoDB shows the token in a syntax error. */
  String shown() {
    return type == Type.EOF ? "<EOF>" : text;
  }
}
