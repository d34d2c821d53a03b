package io.flywheel.model.expr;

import io.flywheel.model.expr.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. Never fails: a character that starts no token becomes an
 * {@link Type#OTHER} token, which the parser reports as a syntax error at that place. Linear in the
 * input; no regular expressions.
 */
final class Lexer {
  private Lexer() {}

  static List<Token> tokenize(String input) {
    List<Token> tokens = new ArrayList<>();
    int n = input.length();
    int i = 0;
    while (i < n) {
      char c = input.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
        continue;
      }
      int start = i;
      Type type;
      if (isLetter(c)) {
        i = skipNameChars(input, i + 1);
        type = Type.IDENTIFIER;
      } else if (isDigit(c)) {
        while (i < n && isDigit(input.charAt(i))) {
          i++;
        }
        type = Type.NUMBER;
      } else if ((c == '#' || c == ':') && i + 1 < n && isNameChar(input.charAt(i + 1))) {
        i = skipNameChars(input, i + 1);
        type = c == '#' ? Type.NAME_PLACEHOLDER : Type.VALUE_PLACEHOLDER;
      } else {
        char d = i + 1 < n ? input.charAt(i + 1) : 0;
        i++;
        switch (c) {
          case '=' -> type = Type.EQ;
          case '<' -> {
            if (d == '>') {
              i++;
              type = Type.NE;
            } else if (d == '=') {
              i++;
              type = Type.LE;
            } else {
              type = Type.LT;
            }
          }
          case '>' -> {
            if (d == '=') {
              i++;
              type = Type.GE;
            } else {
              type = Type.GT;
            }
          }
          case '(' -> type = Type.LPAREN;
          case ')' -> type = Type.RPAREN;
          case '[' -> type = Type.LBRACKET;
          case ']' -> type = Type.RBRACKET;
          case ',' -> type = Type.COMMA;
          case '.' -> type = Type.DOT;
          case '+' -> type = Type.PLUS;
          case '-' -> type = Type.MINUS;
          default -> {
            if (Character.isHighSurrogate(c) && Character.isLowSurrogate(d)) {
              i++; // keep a supplementary character whole
            }
            type = Type.OTHER;
          }
        }
      }
      tokens.add(new Token(type, input.substring(start, i), start, i));
    }
    tokens.add(new Token(Type.EOF, "", n, n));
    return tokens;
  }

  private static int skipNameChars(String input, int i) {
    while (i < input.length() && isNameChar(input.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return isLetter(c) || isDigit(c) || c == '_';
  }
}
