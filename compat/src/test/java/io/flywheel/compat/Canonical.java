package io.flywheel.compat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * The canonical text of what an endpoint returned, so that two answers compare as strings.
 *
 * <ul>
 *   <li>Map keys are sorted (JSON objects have no order); list order is kept, because the API
 *       defines it wherever a list is ordered (Query results, list attributes).
 *   <li>Set attributes (SS, NS, BS) are sorted: DynamoDB defines no order for their members.
 *   <li>{@link Unordered} marks a collection whose order the API leaves open (Scan results,
 *       BatchGetItem responses); its elements are sorted by their canonical text.
 *   <li>Response objects render field by field; fields the SDK leaves unset are omitted, so an
 *       absent {@code Item} and an empty one stay distinct.
 *   <li>{@link #VOLATILE_FIELDS} are left out: clock readings and identifiers that differ between
 *       any two servers, and statistics that DynamoDB itself only refreshes every few hours.
 *   <li>Consumed capacity is compared by its documented totals ({@code CapacityUnits} overall, per
 *       table and per index); the read/write split ({@link #CAPACITY_SPLIT_FIELDS}) is left out:
 *       DynamoDB Local never reports it, Flywheel does, and the API reference does not say when
 *       the service includes it.
 * </ul>
 */
final class Canonical {
  /** Fields that carry no behaviour worth comparing; everything else is compared. */
  static final Set<String> VOLATILE_FIELDS = Set.of(
      "CreationDateTime", "TableArn", "TableId", "IndexArn", "LatestStreamArn", "LatestStreamLabel",
      "LastIncreaseDateTime", "LastDecreaseDateTime", "LastUpdateToPayPerRequestDateTime",
      "ItemCount", "TableSizeBytes", "IndexSizeBytes");

  /** Fields of ConsumedCapacity and Capacity left out, see the class comment. */
  static final Set<String> CAPACITY_SPLIT_FIELDS = Set.of("ReadCapacityUnits", "WriteCapacityUnits");

  private Canonical() {}

  /** A collection whose order the API does not define. */
  record Unordered(Collection<?> elements) {}

  static Unordered unordered(Collection<?> elements) {
    return new Unordered(elements);
  }

  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case AttributeValue av -> appendAttribute(out, av);
      case SdkBytes bytes -> out.append("b64:").append(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
      case String s -> appendString(out, s);
      case Unordered u -> {
        List<String> rendered = new ArrayList<>();
        for (Object element : u.elements()) {
          rendered.add(of(element));
        }
        rendered.sort(null);
        out.append("unordered").append(rendered);
      }
      case Map<?, ?> map -> appendMap(out, map);
      case Collection<?> list -> {
        out.append('[');
        String separator = "";
        for (Object element : list) {
          out.append(separator);
          append(out, element);
          separator = ", ";
        }
        out.append(']');
      }
      case SdkPojo pojo -> appendPojo(out, pojo);
      default -> out.append(value);
    }
  }

  private static void appendPojo(StringBuilder out, SdkPojo pojo) {
    Map<String, Object> fields = new TreeMap<>();
    boolean capacity = pojo instanceof ConsumedCapacity || pojo instanceof Capacity;
    for (SdkField<?> field : pojo.sdkFields()) {
      Object v = field.getValueOrDefault(pojo);
      if (v == null || v instanceof SdkAutoConstructList<?> || v instanceof SdkAutoConstructMap<?, ?>
          || VOLATILE_FIELDS.contains(field.memberName())
          || capacity && CAPACITY_SPLIT_FIELDS.contains(field.memberName())) {
        continue;
      }
      fields.put(field.memberName(), v);
    }
    appendMap(out, fields);
  }

  private static void appendMap(StringBuilder out, Map<?, ?> map) {
    Map<String, Object> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    out.append('{');
    String separator = "";
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      out.append(separator).append(e.getKey()).append(": ");
      append(out, e.getValue());
      separator = ", ";
    }
    out.append('}');
  }

  private static void appendAttribute(StringBuilder out, AttributeValue av) {
    switch (av.type()) {
      case S -> {
        out.append("{S: ");
        appendString(out, av.s());
      }
      case N -> out.append("{N: ").append(av.n());
      case B -> {
        out.append("{B: ");
        append(out, av.b());
      }
      case BOOL -> out.append("{BOOL: ").append(av.bool());
      case NUL -> out.append("{NULL: ").append(av.nul());
      case SS -> out.append("{SS: ").append(sortedStrings(av.ss()));
      case NS -> out.append("{NS: ").append(sortedStrings(av.ns()));
      case BS -> {
        List<String> members = new ArrayList<>();
        av.bs().forEach(b -> members.add(of(b)));
        out.append("{BS: ").append(sortedStrings(members));
      }
      case L -> {
        out.append("{L: ");
        append(out, av.l());
      }
      case M -> {
        out.append("{M: ");
        appendMap(out, av.m());
      }
      default -> out.append("{?: ").append(av);
    }
    out.append('}');
  }

  private static List<String> sortedStrings(List<String> members) {
    List<String> sorted = new ArrayList<>(members);
    sorted.sort(null);
    return sorted;
  }

  private static void appendString(StringBuilder out, String s) {
    // Long strings (size-limit scenarios) stay comparable but readable in failure messages.
    boolean abbreviated = s.length() > 200;
    String shown = abbreviated ? s.substring(0, 60) : s;
    out.append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (abbreviated) {
      out.append("...(").append(s.length()).append(" chars, hash ").append(Integer.toHexString(s.hashCode())).append(')');
    }
    out.append('"');
  }
}
