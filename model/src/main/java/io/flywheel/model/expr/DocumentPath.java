package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved document path: an attribute name followed by map keys and list indexes, e.g. {@code
 * a.b[3].c}. Placeholders are already replaced by the names they stand for.
 */
public final class DocumentPath implements Comparable<DocumentPath> {
  /** DynamoDB's limit on the number of elements of a path. */
  public static final int MAX_DEPTH = 32;

  /** One step of a path. */
  public sealed interface Element {}

  /** A map key (or, first in a path, a top-level attribute name). */
  public record Name(String name) implements Element {
    public Name {
      Objects.requireNonNull(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A list index. */
  public record Index(int index) implements Element {
    @Override
    public String toString() {
      return "[" + index + "]";
    }
  }

  private final List<Element> elements;

  private DocumentPath(List<Element> elements) {
    if (elements.isEmpty() || !(elements.getFirst() instanceof Name)) {
      throw new IllegalArgumentException("a document path starts with a name");
    }
    this.elements = List.copyOf(elements);
  }

  public static DocumentPath of(List<Element> elements) {
    return new DocumentPath(elements);
  }

  /** A path of one top-level attribute. */
  public static DocumentPath attribute(String name) {
    return new DocumentPath(List.of(new Name(name)));
  }

  public List<Element> elements() {
    return elements;
  }

  /** The top-level attribute the path starts at. */
  public String head() {
    return ((Name) elements.getFirst()).name();
  }

  public int size() {
    return elements.size();
  }

  public boolean isTopLevel() {
    return elements.size() == 1;
  }

  /** The path without its last element; the path itself for a top-level attribute. */
  DocumentPath parent() {
    return elements.size() == 1 ? this : new DocumentPath(elements.subList(0, elements.size() - 1));
  }

  Element last() {
    return elements.getLast();
  }

  DocumentPath child(Element element) {
    List<Element> list = new ArrayList<>(elements);
    list.add(element);
    return new DocumentPath(list);
  }

  /**
   * The value at this path in {@code item}, or null when any step is missing: an absent key, an
   * index past the end, or a step into a value that is not a map (for a name) or a list (for an
   * index).
   */
  public AttributeValue get(Map<String, AttributeValue> item) {
    AttributeValue current = item.get(head());
    for (int i = 1; i < elements.size() && current != null; i++) {
      current = step(current, elements.get(i));
    }
    return current;
  }

  static AttributeValue step(AttributeValue value, Element element) {
    if (element instanceof Name(String name)) {
      return value instanceof AttributeValue.M m ? m.values().get(name) : null;
    }
    int index = ((Index) element).index();
    if (value instanceof AttributeValue.L l && index < l.values().size()) {
      return l.values().get(index);
    }
    return null;
  }

  /** Orders paths element by element: names by their text, indexes numerically, names first. */
  @Override
  public int compareTo(DocumentPath o) {
    int n = Math.min(elements.size(), o.elements.size());
    for (int i = 0; i < n; i++) {
      Element a = elements.get(i);
      Element b = o.elements.get(i);
      int c;
      if (a instanceof Name(String x) && b instanceof Name(String y)) {
        c = x.compareTo(y);
      } else if (a instanceof Index(int x) && b instanceof Index(int y)) {
        c = Integer.compare(x, y);
      } else {
        c = a instanceof Name ? -1 : 1;
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elements.size(), o.elements.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocumentPath other && elements.equals(other.elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }

  /** DynamoDB's notation in error messages: {@code [a, b, [3], c]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(elements.get(i));
    }
    return sb.append(']').toString();
  }

  /**
   * Checks that no two paths of one update or projection overlap (one is a prefix of the other, or
   * they are equal) or conflict (one indexes a list where the other names a map key). Reports the
   * first offending pair in the order the paths were written.
   */
  static void checkDisjoint(List<DocumentPath> paths) {
    for (int j = 1; j < paths.size(); j++) {
      for (int i = 0; i < j; i++) {
        checkPair(paths.get(i), paths.get(j));
      }
    }
  }

  private static void checkPair(DocumentPath one, DocumentPath two) {
    int n = Math.min(one.elements.size(), two.elements.size());
    for (int k = 0; k < n; k++) {
      Element a = one.elements.get(k);
      Element b = two.elements.get(k);
      if ((a instanceof Name) != (b instanceof Name)) {
        throw new ExpressionError(
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
                + one + ", path two: " + two);
      }
      if (!a.equals(b)) {
        return;
      }
    }
    throw new ExpressionError(
        "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
            + one + ", path two: " + two);
  }
}
