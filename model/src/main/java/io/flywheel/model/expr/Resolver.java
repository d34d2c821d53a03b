package io.flywheel.model.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks and conversions from {@link Syntax} to typed trees that all expression kinds share. */
final class Resolver {
  private Resolver() {}

  /** The first function in written order whose name is not one of {@code known}. */
  static void checkFunctionNames(List<Syntax.Operand> operandsInOrder, Set<String> known) {
    for (Syntax.Operand operand : operandsInOrder) {
      if (operand instanceof Syntax.Call call && !known.contains(call.name())) {
        throw new ExpressionError("Invalid function name; function: " + call.name());
      }
    }
  }

  /** The first plain (non-placeholder) path name that is a reserved word. */
  static void checkReservedWords(List<Syntax.Operand> operandsInOrder) {
    for (Syntax.Operand operand : operandsInOrder) {
      if (operand instanceof Syntax.Path path) {
        checkReservedWords(path);
      }
    }
  }

  static void checkReservedWords(Syntax.Path path) {
    for (Syntax.Element element : path.elements()) {
      if (element instanceof Syntax.NameElement(String text, boolean placeholder)
          && !placeholder
          && ReservedWords.isReserved(text)) {
        throw new ExpressionError("Attribute name is a reserved keyword; reserved keyword: " + text);
      }
    }
  }

  /** Resolves placeholders and enforces the nesting limit. */
  static DocumentPath path(Syntax.Path path, ExpressionContext ctx) {
    if (path.elements().size() > DocumentPath.MAX_DEPTH) {
      throw new ExpressionError(
          "The document path has too many nesting levels; nesting levels: " + path.elements().size());
    }
    List<DocumentPath.Element> elements = new ArrayList<>(path.elements().size());
    for (Syntax.Element element : path.elements()) {
      elements.add(switch (element) {
        case Syntax.NameElement(String text, boolean placeholder) ->
            new DocumentPath.Name(placeholder ? ctx.name(text) : text);
        case Syntax.IndexElement(int index) -> new DocumentPath.Index(index);
      });
    }
    return DocumentPath.of(elements);
  }

  static List<Syntax.Operand> operandsInOrder(Syntax.Cond cond) {
    List<Syntax.Operand> list = new ArrayList<>();
    Syntax.forEachOperand(cond, list::add);
    return list;
  }

  static String incorrectOperandType(String function, String type) {
    return "Incorrect operand type for operator or function; operator or function: " + function + ", operand type: " + type;
  }

  static String incorrectOperandCount(String function, int count) {
    return "Incorrect number of operands for operator or function; operator or function: " + function
        + ", number of operands: " + count;
  }

  static String requiresPath(String function) {
    return "Operator or function requires a document path; operator or function: " + function;
  }
}
