package io.flywheel.model.expr;

import java.util.List;
import java.util.function.Consumer;

/**
 * The untyped syntax tree a parser produces, before placeholders are resolved and DynamoDB's
 * semantic checks run. Names and placeholders are kept as written, so each check can report what
 * the user wrote.
 */
final class Syntax {
  private Syntax() {}

  sealed interface Element {}

  /** A path step written as a name: a plain identifier, or a {@code #placeholder}. */
  record NameElement(String text, boolean placeholder) implements Element {}

  record IndexElement(int index) implements Element {}

  sealed interface Operand {}

  record Path(List<Element> elements) implements Operand {}

  record ValueRef(String ref) implements Operand {}

  record Call(String name, List<Operand> args) implements Operand {}

  /** {@code left + right} or {@code left - right} (update expressions only). */
  record Arithmetic(boolean plus, Operand left, Operand right) implements Operand {}

  sealed interface Cond {}

  record Compare(Condition.Comparator op, Operand left, Operand right) implements Cond {}

  record Between(Operand value, Operand lower, Operand upper) implements Cond {}

  record In(Operand value, List<Operand> candidates) implements Cond {}

  record And(Cond left, Cond right) implements Cond {}

  record Or(Cond left, Cond right) implements Cond {}

  record Not(Cond cond) implements Cond {}

  /** A function used as a condition, e.g. {@code attribute_exists(a)}. */
  record FunctionCond(Call call) implements Cond {}

  /** Visits the operands of {@code cond} in the order they were written (calls before their arguments). */
  static void forEachOperand(Cond cond, Consumer<Operand> visitor) {
    switch (cond) {
      case Compare c -> {
        visit(c.left(), visitor);
        visit(c.right(), visitor);
      }
      case Between b -> {
        visit(b.value(), visitor);
        visit(b.lower(), visitor);
        visit(b.upper(), visitor);
      }
      case In in -> {
        visit(in.value(), visitor);
        in.candidates().forEach(o -> visit(o, visitor));
      }
      case And a -> {
        forEachOperand(a.left(), visitor);
        forEachOperand(a.right(), visitor);
      }
      case Or o -> {
        forEachOperand(o.left(), visitor);
        forEachOperand(o.right(), visitor);
      }
      case Not n -> forEachOperand(n.cond(), visitor);
      case FunctionCond f -> visit(f.call(), visitor);
    }
  }

  /** Visits {@code operand} and everything inside it, in written order. */
  static void visit(Operand operand, Consumer<Operand> visitor) {
    visitor.accept(operand);
    switch (operand) {
      case Call c -> c.args().forEach(a -> visit(a, visitor));
      case Arithmetic a -> {
        visit(a.left(), visitor);
        visit(a.right(), visitor);
      }
      default -> {}
    }
  }
}
