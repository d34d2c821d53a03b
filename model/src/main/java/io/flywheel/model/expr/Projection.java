package io.flywheel.model.expr;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.expr.Token.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A ProjectionExpression (or legacy {@code AttributesToGet}): the parts of an item to return.
 *
 * <pre>
 * projection := path (',' path)*
 * </pre>
 *
 * Applying keeps each selected part that exists: top-level attributes, map members, and list
 * elements, the latter compacted in index order (projecting {@code l[2], l[0]} of {@code [a, b, c]}
 * gives {@code [a, c]}). A map or list from which nothing selected exists is left out entirely.
 */
public final class Projection {
  private final List<DocumentPath> paths;
  private final Node root;

  /** A tree of the selected paths: a leaf keeps the whole value, inner nodes select children. */
  private static final class Node {
    boolean whole;
    final Map<String, Node> names = new LinkedHashMap<>();
    final TreeMap<Integer, Node> indexes = new TreeMap<>();
  }

  private Projection(List<DocumentPath> paths) {
    this.paths = List.copyOf(paths);
    this.root = new Node();
    for (DocumentPath path : paths) {
      Node node = root;
      for (DocumentPath.Element element : path.elements()) {
        node = switch (element) {
          case DocumentPath.Name(String name) -> node.names.computeIfAbsent(name, k -> new Node());
          case DocumentPath.Index(int index) -> node.indexes.computeIfAbsent(index, k -> new Node());
        };
      }
      node.whole = true;
    }
  }

  /**
   * Parses and checks a ProjectionExpression, resolving its name placeholders in {@code ctx}.
   *
   * @throws io.flywheel.model.DynamoException ValidationException "Invalid ProjectionExpression: ..."
   */
  public static Projection parse(String expression, ExpressionContext ctx) {
    Objects.requireNonNull(expression);
    try {
      Parser parser = new Parser(expression);
      List<Syntax.Path> raw = parser.parseTop();
      for (Syntax.Path path : raw) {
        Resolver.checkReservedWords(path);
      }
      List<DocumentPath> paths = new ArrayList<>(raw.size());
      for (Syntax.Path path : raw) {
        paths.add(Resolver.path(path, ctx));
      }
      DocumentPath.checkDisjoint(paths);
      return new Projection(paths);
    } catch (ExpressionError e) {
      throw e.toDynamo(ExpressionKind.PROJECTION);
    }
  }

  /**
   * The legacy {@code AttributesToGet}: top-level names, taken literally (no placeholders, no
   * reserved words). DynamoDB rejects duplicates.
   */
  public static Projection ofAttributes(List<String> attributesToGet) {
    List<DocumentPath> paths = new ArrayList<>(attributesToGet.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : attributesToGet) {
      if (!seen.add(name)) {
        throw io.flywheel.model.DynamoException.invalidParameter("Duplicate value in attribute name: " + name);
      }
      paths.add(DocumentPath.attribute(name));
    }
    return new Projection(paths);
  }

  /** The parts of an item at {@code paths}, which must not overlap (an update's targets never do). */
  public static Projection ofPaths(List<DocumentPath> paths) {
    return new Projection(paths);
  }

  public List<DocumentPath> paths() {
    return paths;
  }

  /** Projections are values: equal when their paths are, in order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Projection other && paths.equals(other.paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return "Projection" + paths;
  }

  /** The top-level attributes the projection reads (for index projections and key checks). */
  public java.util.Set<String> topLevelAttributes() {
    return java.util.Collections.unmodifiableSet(root.names.keySet());
  }

  /** The selected parts of {@code item}. */
  public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : root.names.entrySet()) {
      AttributeValue v = item.get(e.getKey());
      AttributeValue projected = v == null ? null : project(v, e.getValue());
      if (projected != null) {
        out.put(e.getKey(), projected);
      }
    }
    return out;
  }

  private static AttributeValue project(AttributeValue value, Node node) {
    if (node.whole) {
      return value;
    }
    if (!node.names.isEmpty() && value instanceof AttributeValue.M m) {
      Map<String, AttributeValue> out = new LinkedHashMap<>();
      for (Map.Entry<String, Node> e : node.names.entrySet()) {
        AttributeValue child = m.values().get(e.getKey());
        AttributeValue projected = child == null ? null : project(child, e.getValue());
        if (projected != null) {
          out.put(e.getKey(), projected);
        }
      }
      return out.isEmpty() ? null : new AttributeValue.M(out);
    }
    if (!node.indexes.isEmpty() && value instanceof AttributeValue.L l) {
      List<AttributeValue> out = new ArrayList<>();
      for (Map.Entry<Integer, Node> e : node.indexes.entrySet()) {
        if (e.getKey() >= l.values().size()) {
          break;
        }
        AttributeValue projected = project(l.values().get(e.getKey()), e.getValue());
        if (projected != null) {
          out.add(projected);
        }
      }
      return out.isEmpty() ? null : new AttributeValue.L(out);
    }
    return null;
  }

  private static final class Parser extends ParserBase {
    Parser(String input) {
      super(input);
    }

    @Override
    boolean isKeyword(Token token) {
      return false;
    }

    List<Syntax.Path> parseTop() {
      List<Syntax.Path> paths = new ArrayList<>();
      paths.add(parsePath());
      while (at(Type.COMMA)) {
        advance();
        paths.add(parsePath());
      }
      expectEnd();
      return paths;
    }
  }
}
