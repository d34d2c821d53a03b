package io.flywheel.model.expr;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The binary form of the typed expression trees that travel from routers to storage nodes: {@link
 * Condition} (with its {@link Operand}s), {@link UpdateExpression}, {@link Projection} and {@link
 * DocumentPath}. Trees are written already resolved (placeholders replaced, checks done): a storage
 * node evaluates what it decodes and never parses expression text.
 *
 * <p>Layout: every node is a one-byte tag followed by its fields; lists are a varint count and
 * their elements; attribute values use {@link ItemCodec#writeAttributeValue}. Tags and comparator
 * codes are fixed numbers, never enum ordinals, so reordering a Java enum cannot change the wire.
 *
 * <p>Versions: the caller passes the format it writes or reads, which the enclosing message's
 * version determines ({@link #FORMAT_V1} is the only one so far). A reader accepts every format from
 * {@link #FORMAT_MIN} to {@link #FORMAT_MAX}; anything else, an unknown tag, a count past the bytes
 * left, a tree nested deeper than {@link #DEPTH_MAX}, or a tree the model's constructors refuse is a
 * {@link CorruptDataException}: decoding never guesses a default.
 */
public final class ExpressionCodec {
  public static final int FORMAT_V1 = 1;
  public static final int FORMAT_MIN = FORMAT_V1;
  public static final int FORMAT_MAX = FORMAT_V1;

  /**
   * Nesting bound when decoding. Parsed expressions nest at most 300 levels; legacy filters with
   * many entries build a left-deep chain of ANDs as deep as their entry count, and DynamoDB bounds a
   * request's size, not its entry count, so the bound is generous.
   */
  public static final int DEPTH_MAX = 2048;

  /** DynamoDB's type names, as {@code attribute_type} takes them. */
  private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS");

  // condition tags
  private static final int COMPARE = 1;
  private static final int BETWEEN = 2;
  private static final int IN = 3;
  private static final int AND = 4;
  private static final int OR = 5;
  private static final int NOT = 6;
  private static final int ATTRIBUTE_EXISTS = 7;
  private static final int ATTRIBUTE_NOT_EXISTS = 8;
  private static final int ATTRIBUTE_TYPE = 9;
  private static final int BEGINS_WITH = 10;
  private static final int CONTAINS = 11;
  private static final int CONSTANT = 12;

  // operand tags
  private static final int OPERAND_PATH = 1;
  private static final int OPERAND_VALUE = 2;
  private static final int OPERAND_SIZE = 3;

  // path element tags
  private static final int ELEMENT_NAME = 1;
  private static final int ELEMENT_INDEX = 2;

  // update action tags
  private static final int ACTION_SET = 1;
  private static final int ACTION_REMOVE = 2;
  private static final int ACTION_ADD = 3;
  private static final int ACTION_DELETE = 4;

  // update value tags
  private static final int VALUE_PATH = 1;
  private static final int VALUE_LITERAL = 2;
  private static final int VALUE_ARITHMETIC = 3;
  private static final int VALUE_IF_NOT_EXISTS = 4;
  private static final int VALUE_LIST_APPEND = 5;

  private ExpressionCodec() {}

  /** Fails unless this release reads and writes {@code format}. */
  public static void checkFormat(int format) {
    if (format < FORMAT_MIN || format > FORMAT_MAX) {
      throw new CorruptDataException("unknown expression format " + format);
    }
  }

  // ---- conditions ------------------------------------------------------------------------------

  public static void writeCondition(ByteWriter w, Condition condition, int format) {
    checkFormat(format);
    writeCondition(w, condition);
  }

  public static Condition readCondition(ByteReader r, int format) {
    checkFormat(format);
    return strictly(() -> readConditionNode(r, 0));
  }

  private static void writeCondition(ByteWriter w, Condition condition) {
    switch (condition) {
      case Condition.Compare c -> {
        w.writeByte(COMPARE).writeByte(comparatorCode(c.op()));
        writeOperand(w, c.left());
        writeOperand(w, c.right());
      }
      case Condition.Between b -> {
        w.writeByte(BETWEEN);
        writeOperand(w, b.value());
        writeOperand(w, b.lower());
        writeOperand(w, b.upper());
      }
      case Condition.In in -> {
        w.writeByte(IN);
        writeOperand(w, in.value());
        w.writeVarint(in.candidates().size());
        for (Operand candidate : in.candidates()) {
          writeOperand(w, candidate);
        }
      }
      case Condition.And and -> {
        w.writeByte(AND);
        writeCondition(w, and.left());
        writeCondition(w, and.right());
      }
      case Condition.Or or -> {
        w.writeByte(OR);
        writeCondition(w, or.left());
        writeCondition(w, or.right());
      }
      case Condition.Not not -> {
        w.writeByte(NOT);
        writeCondition(w, not.condition());
      }
      case Condition.AttributeExists e -> {
        w.writeByte(ATTRIBUTE_EXISTS);
        writePath(w, e.path());
      }
      case Condition.AttributeNotExists e -> {
        w.writeByte(ATTRIBUTE_NOT_EXISTS);
        writePath(w, e.path());
      }
      case Condition.AttributeType t -> {
        w.writeByte(ATTRIBUTE_TYPE);
        writePath(w, t.path());
        w.writeString(t.type());
      }
      case Condition.BeginsWith b -> {
        w.writeByte(BEGINS_WITH);
        writeOperand(w, b.value());
        writeOperand(w, b.prefix());
      }
      case Condition.Contains c -> {
        w.writeByte(CONTAINS);
        writeOperand(w, c.container());
        writeOperand(w, c.element());
      }
      case Condition.Constant c -> w.writeByte(CONSTANT).writeByte(c.value() ? 1 : 0);
    }
  }

  private static Condition readConditionNode(ByteReader r, int depth) {
    checkDepth(depth);
    int tag = r.readByte();
    return switch (tag) {
      case COMPARE -> {
        Condition.Comparator op = comparator(r.readByte());
        Operand left = readOperand(r, depth + 1);
        yield new Condition.Compare(op, left, readOperand(r, depth + 1));
      }
      case BETWEEN -> {
        Operand value = readOperand(r, depth + 1);
        Operand lower = readOperand(r, depth + 1);
        yield new Condition.Between(value, lower, readOperand(r, depth + 1));
      }
      case IN -> {
        Operand value = readOperand(r, depth + 1);
        int n = r.readLength();
        if (n == 0) {
          throw new CorruptDataException("IN without candidates");
        }
        List<Operand> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          candidates.add(readOperand(r, depth + 1));
        }
        yield new Condition.In(value, candidates);
      }
      case AND -> {
        Condition left = readConditionNode(r, depth + 1);
        yield new Condition.And(left, readConditionNode(r, depth + 1));
      }
      case OR -> {
        Condition left = readConditionNode(r, depth + 1);
        yield new Condition.Or(left, readConditionNode(r, depth + 1));
      }
      case NOT -> new Condition.Not(readConditionNode(r, depth + 1));
      case ATTRIBUTE_EXISTS -> new Condition.AttributeExists(readPath(r));
      case ATTRIBUTE_NOT_EXISTS -> new Condition.AttributeNotExists(readPath(r));
      case ATTRIBUTE_TYPE -> {
        DocumentPath path = readPath(r);
        String type = r.readString();
        if (!TYPE_NAMES.contains(type)) {
          throw new CorruptDataException("unknown attribute type " + type);
        }
        yield new Condition.AttributeType(path, type);
      }
      case BEGINS_WITH -> {
        Operand value = readOperand(r, depth + 1);
        yield new Condition.BeginsWith(value, readOperand(r, depth + 1));
      }
      case CONTAINS -> {
        Operand container = readOperand(r, depth + 1);
        yield new Condition.Contains(container, readOperand(r, depth + 1));
      }
      case CONSTANT -> new Condition.Constant(readBoolean(r));
      default -> throw new CorruptDataException("unknown condition tag " + tag);
    };
  }

  private static int comparatorCode(Condition.Comparator op) {
    return switch (op) {
      case EQ -> 1;
      case NE -> 2;
      case LT -> 3;
      case LE -> 4;
      case GT -> 5;
      case GE -> 6;
    };
  }

  private static Condition.Comparator comparator(int code) {
    return switch (code) {
      case 1 -> Condition.Comparator.EQ;
      case 2 -> Condition.Comparator.NE;
      case 3 -> Condition.Comparator.LT;
      case 4 -> Condition.Comparator.LE;
      case 5 -> Condition.Comparator.GT;
      case 6 -> Condition.Comparator.GE;
      default -> throw new CorruptDataException("unknown comparator " + code);
    };
  }

  private static void writeOperand(ByteWriter w, Operand operand) {
    switch (operand) {
      case Operand.Path p -> {
        w.writeByte(OPERAND_PATH);
        writePath(w, p.path());
      }
      case Operand.Value v -> {
        w.writeByte(OPERAND_VALUE);
        ItemCodec.writeAttributeValue(w, v.value());
      }
      case Operand.Size s -> {
        w.writeByte(OPERAND_SIZE);
        writeOperand(w, s.operand());
      }
    }
  }

  private static Operand readOperand(ByteReader r, int depth) {
    checkDepth(depth);
    int tag = r.readByte();
    return switch (tag) {
      case OPERAND_PATH -> new Operand.Path(readPath(r));
      case OPERAND_VALUE -> new Operand.Value(ItemCodec.readAttributeValue(r));
      case OPERAND_SIZE -> new Operand.Size(readOperand(r, depth + 1));
      default -> throw new CorruptDataException("unknown operand tag " + tag);
    };
  }

  // ---- paths -----------------------------------------------------------------------------------

  public static void writePath(ByteWriter w, DocumentPath path) {
    w.writeVarint(path.size());
    for (DocumentPath.Element element : path.elements()) {
      switch (element) {
        case DocumentPath.Name(String name) -> w.writeByte(ELEMENT_NAME).writeString(name);
        case DocumentPath.Index(int index) -> w.writeByte(ELEMENT_INDEX).writeVarint(index);
      }
    }
  }

  /** A path of 1 to {@link DocumentPath#MAX_DEPTH} elements that starts with a name. */
  public static DocumentPath readPath(ByteReader r) {
    int n = r.readLength();
    if (n < 1 || n > DocumentPath.MAX_DEPTH) {
      throw new CorruptDataException("document path of " + n + " elements");
    }
    List<DocumentPath.Element> elements = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int tag = r.readByte();
      elements.add(switch (tag) {
        case ELEMENT_NAME -> new DocumentPath.Name(r.readString());
        case ELEMENT_INDEX -> {
          long index = r.readVarint();
          if (index > Integer.MAX_VALUE) {
            throw new CorruptDataException("list index " + index);
          }
          yield new DocumentPath.Index((int) index);
        }
        default -> throw new CorruptDataException("unknown path element tag " + tag);
      });
    }
    if (!(elements.getFirst() instanceof DocumentPath.Name)) {
      throw new CorruptDataException("document path starts with an index");
    }
    return DocumentPath.of(elements);
  }

  // ---- updates ---------------------------------------------------------------------------------

  public static void writeUpdate(ByteWriter w, UpdateExpression update, int format) {
    checkFormat(format);
    w.writeVarint(update.actions().size());
    for (UpdateExpression.Action action : update.actions()) {
      switch (action) {
        case UpdateExpression.SetAction s -> {
          w.writeByte(ACTION_SET);
          writePath(w, s.path());
          writeUpdateValue(w, s.value());
        }
        case UpdateExpression.RemoveAction rm -> {
          w.writeByte(ACTION_REMOVE);
          writePath(w, rm.path());
        }
        case UpdateExpression.AddAction a -> {
          w.writeByte(ACTION_ADD);
          writePath(w, a.path());
          ItemCodec.writeAttributeValue(w, a.value());
          w.writeByte(a.legacy() ? 1 : 0);
        }
        case UpdateExpression.DeleteAction d -> {
          w.writeByte(ACTION_DELETE);
          writePath(w, d.path());
          ItemCodec.writeAttributeValue(w, d.value());
          w.writeByte(d.legacy() ? 1 : 0);
        }
      }
    }
  }

  public static UpdateExpression readUpdate(ByteReader r, int format) {
    checkFormat(format);
    return strictly(() -> {
      int n = r.readLength();
      List<UpdateExpression.Action> actions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int tag = r.readByte();
        actions.add(switch (tag) {
          case ACTION_SET -> {
            DocumentPath path = readPath(r);
            yield new UpdateExpression.SetAction(path, readUpdateValue(r, 0));
          }
          case ACTION_REMOVE -> new UpdateExpression.RemoveAction(readPath(r));
          case ACTION_ADD -> {
            DocumentPath path = readPath(r);
            AttributeValue value = ItemCodec.readAttributeValue(r);
            yield new UpdateExpression.AddAction(path, value, readBoolean(r));
          }
          case ACTION_DELETE -> {
            DocumentPath path = readPath(r);
            AttributeValue value = ItemCodec.readAttributeValue(r);
            yield new UpdateExpression.DeleteAction(path, value, readBoolean(r));
          }
          default -> throw new CorruptDataException("unknown update action tag " + tag);
        });
      }
      return UpdateExpression.of(actions);
    });
  }

  private static void writeUpdateValue(ByteWriter w, UpdateExpression.UpdateValue value) {
    switch (value) {
      case UpdateExpression.UpdateValue.PathValue p -> {
        w.writeByte(VALUE_PATH);
        writePath(w, p.path());
      }
      case UpdateExpression.UpdateValue.Literal l -> {
        w.writeByte(VALUE_LITERAL);
        ItemCodec.writeAttributeValue(w, l.value());
      }
      case UpdateExpression.UpdateValue.Arithmetic a -> {
        w.writeByte(VALUE_ARITHMETIC).writeByte(a.plus() ? 1 : 0);
        writeUpdateValue(w, a.left());
        writeUpdateValue(w, a.right());
      }
      case UpdateExpression.UpdateValue.IfNotExists i -> {
        w.writeByte(VALUE_IF_NOT_EXISTS);
        writePath(w, i.path());
        writeUpdateValue(w, i.fallback());
      }
      case UpdateExpression.UpdateValue.ListAppend l -> {
        w.writeByte(VALUE_LIST_APPEND);
        writeUpdateValue(w, l.first());
        writeUpdateValue(w, l.second());
      }
    }
  }

  private static UpdateExpression.UpdateValue readUpdateValue(ByteReader r, int depth) {
    checkDepth(depth);
    int tag = r.readByte();
    return switch (tag) {
      case VALUE_PATH -> new UpdateExpression.UpdateValue.PathValue(readPath(r));
      case VALUE_LITERAL -> new UpdateExpression.UpdateValue.Literal(ItemCodec.readAttributeValue(r));
      case VALUE_ARITHMETIC -> {
        boolean plus = readBoolean(r);
        UpdateExpression.UpdateValue left = readUpdateValue(r, depth + 1);
        yield new UpdateExpression.UpdateValue.Arithmetic(plus, left, readUpdateValue(r, depth + 1));
      }
      case VALUE_IF_NOT_EXISTS -> {
        DocumentPath path = readPath(r);
        yield new UpdateExpression.UpdateValue.IfNotExists(path, readUpdateValue(r, depth + 1));
      }
      case VALUE_LIST_APPEND -> {
        UpdateExpression.UpdateValue first = readUpdateValue(r, depth + 1);
        yield new UpdateExpression.UpdateValue.ListAppend(first, readUpdateValue(r, depth + 1));
      }
      default -> throw new CorruptDataException("unknown update value tag " + tag);
    };
  }

  // ---- projections -----------------------------------------------------------------------------

  public static void writeProjection(ByteWriter w, Projection projection, int format) {
    checkFormat(format);
    w.writeVarint(projection.paths().size());
    for (DocumentPath path : projection.paths()) {
      writePath(w, path);
    }
  }

  public static Projection readProjection(ByteReader r, int format) {
    checkFormat(format);
    return strictly(() -> {
      int n = r.readLength();
      if (n == 0) {
        throw new CorruptDataException("projection without paths");
      }
      List<DocumentPath> paths = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        paths.add(readPath(r));
      }
      return Projection.ofPaths(paths);
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static boolean readBoolean(ByteReader r) {
    int b = r.readByte();
    if (b > 1) {
      throw new CorruptDataException("boolean byte " + b);
    }
    return b == 1;
  }

  private static void checkDepth(int depth) {
    if (depth > DEPTH_MAX) {
      throw new CorruptDataException("expression nested deeper than " + DEPTH_MAX);
    }
  }

  /** Runs a decoder, turning what the model's constructors refuse into corrupt data. */
  private static <T> T strictly(java.util.function.Supplier<T> decode) {
    try {
      return decode.get();
    } catch (CorruptDataException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptDataException("malformed expression: " + e);
    }
  }
}
