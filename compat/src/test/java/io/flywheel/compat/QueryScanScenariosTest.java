package io.flywheel.compat;

import static io.flywheel.compat.Fixtures.put;
import static io.flywheel.compat.Values.b;
import static io.flywheel.compat.Values.bool;
import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.n;
import static io.flywheel.compat.Values.s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Query on string, number and binary sort keys (every key condition, both directions, Limit and
 * pagination, Select, filters, projections) and Scan (filters, Limit and pagination, parallel
 * segments). Query results are compared in order, as the API orders them by sort key; Scan
 * results as unordered collections, since their order depends on each server's hashing.
 */
class QueryScanScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  /** Sort keys of partition "a", per sort key type, given out of order. */
  static final Map<ScalarAttributeType, List<AttributeValue>> SORT_KEYS = Map.of(
      ScalarAttributeType.S, List.of(s("apple"), s("b"), s("app"), s("Apple"), s("apricot"), s("é"), s("\uFFFF"), s("😀"),
          s("a"), s("ap\u0000x"), s("zebra"), s("appl")),
      ScalarAttributeType.N, List.of(n("-100"), n("1000"), n("0.001"), n("-2.5"), n("0"), n("1"), n("1.5"), n("99.99"),
          n("-1E+100"), n("1E-100"), n("2"), n("10")),
      ScalarAttributeType.B, List.of(b(0x80), b(0), b(0xff), b(0x7f), b(1, 2), b(1), b(0xff, 0), b(0, 0), b(1, 2, 3),
          b(0x80, 1), b(0x10), b(0xfe)));

  /** Bounds used by the key conditions, per sort key type: low, high, prefix. */
  static final Map<ScalarAttributeType, List<AttributeValue>> BOUNDS = Map.of(
      ScalarAttributeType.S, List.of(s("app"), s("b"), s("ap")),
      ScalarAttributeType.N, List.of(n("-2.5"), n("10"), n("1")),
      ScalarAttributeType.B, List.of(b(1), b(0x80, 1), b(1, 2)));

  static final String[][] KEY_CONDITIONS = {
      {"the whole partition", "pk = :p"},
      {"=", "pk = :p AND sk = :lo"},
      {"<", "pk = :p AND sk < :lo"},
      {"<=", "pk = :p AND sk <= :lo"},
      {">", "pk = :p AND sk > :hi"},
      {">=", "pk = :p AND sk >= :hi"},
      {"BETWEEN", "pk = :p AND sk BETWEEN :lo AND :hi"},
      {"BETWEEN equal bounds", "pk = :p AND sk BETWEEN :lo AND :lo"},
      {"begins_with", "pk = :p AND begins_with(sk, :prefix)"},
      {"an empty partition", "pk = :none"},
  };

  static String fill(Session s, ScalarAttributeType sortType) {
    String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", sortType));
    List<AttributeValue> keys = SORT_KEYS.get(sortType);
    for (int i = 0; i < keys.size(); i++) {
      put(s, t, item("pk", s("a"), "sk", keys.get(i), "v", n(i), "even", bool(i % 2 == 0), "note", s("n" + i)));
    }
    for (int i = 0; i < 3; i++) {
      put(s, t, item("pk", s("b"), "sk", keys.get(i), "v", n(100 + i)));
    }
    return t;
  }

  static Map<String, AttributeValue> values(ScalarAttributeType type, String expression) {
    List<AttributeValue> bounds = BOUNDS.get(type);
    Map<String, AttributeValue> all = item(":p", s("a"), ":none", s("nobody"), ":lo", bounds.get(0), ":hi", bounds.get(1),
        ":prefix", bounds.get(2), ":true", bool(true), ":five", n(5));
    return ItemScenariosTest.used(all, expression);
  }

  static void query(Session s, String label, String table, ScalarAttributeType type, String condition,
      Consumer<QueryRequest.Builder> more) {
    s.call(label, () -> s.ddb().query(b -> {
      b.tableName(table).keyConditionExpression(condition);
      more.accept(b);
      QueryRequest partial = b.build();
      String all = condition + " " + partial.filterExpression();
      b.expressionAttributeValues(values(type, all));
    }));
  }

  /**
   * Pages through a query and records the pages as one step, "pages" (how many pages there are
   * may differ, see {@link Deviation#LIMIT_REACHED_LAST_EVALUATED_KEY}).
   */
  static void paginate(Session s, String table, ScalarAttributeType type, String condition, int limit, boolean forward,
      String filter) {
    s.call("pages", () -> {
      List<QueryResponse> pages = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      for (int page = 1; page <= 20; page++) {
        Map<String, AttributeValue> from = start;
        QueryResponse r = s.ddb().query(b -> {
          b.tableName(table).keyConditionExpression(condition).limit(limit).scanIndexForward(forward)
              .expressionAttributeValues(values(type, condition + " " + filter));
          if (filter != null) {
            b.filterExpression(filter);
          }
          if (from != null) {
            b.exclusiveStartKey(from);
          }
        });
        pages.add(r);
        if (!r.hasLastEvaluatedKey()) {
          break;
        }
        start = r.lastEvaluatedKey();
      }
      return pages;
    });
  }

  /** The service returns a LastEvaluatedKey when the Limit was reached, so a last, empty page follows. */
  static final Expectation ENDS_WITH_AN_EMPTY_PAGE = new Expectation("ends with an empty page after a full one",
      o -> o instanceof Outcome.Returned r && r.view().endsWith("{Count: 0, Items: [], ScannedCount: 0}]"));

  /** What a Scan page shows, with its items unordered. */
  static Map<String, Object> scanView(ScanResponse r) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("Items", Canonical.unordered(r.items()));
    view.put("Count", r.count());
    view.put("ScannedCount", r.scannedCount());
    view.put("LastEvaluatedKey present", r.hasLastEvaluatedKey());
    return view;
  }

  /** Scans every page (or segment) and records the page shapes and the union of the items. */
  static void scanAll(Session s, String label, String table, Consumer<ScanRequest.Builder> more) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    List<String> pages = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    for (int page = 1; page <= 50; page++) {
      Map<String, AttributeValue> from = start;
      ScanResponse r = s.setup(label + " page " + page, () -> s.ddb().scan(b -> {
        b.tableName(table);
        more.accept(b);
        if (from != null) {
          b.exclusiveStartKey(from);
        }
      }));
      items.addAll(r.items());
      pages.add("Count " + r.count() + ", ScannedCount " + r.scannedCount());
      if (!r.hasLastEvaluatedKey()) {
        break;
      }
      start = r.lastEvaluatedKey();
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("items", Canonical.unordered(items));
    view.put("item count", items.size());
    s.observe(label, view);
    s.observe(label + ": page count", pages.size());
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Scenario> all = new ArrayList<>();
    for (ScalarAttributeType type : List.of(ScalarAttributeType.S, ScalarAttributeType.N, ScalarAttributeType.B)) {
      String sort = type + " sort key";
      for (String[] row : KEY_CONDITIONS) {
        all.add(Scenario.of("query on a " + sort + ": " + row[0], s -> {
          String t = fill(s, type);
          query(s, "forward", t, type, row[1], b -> { });
          query(s, "backward", t, type, row[1], b -> b.scanIndexForward(false));
          query(s, "count", t, type, row[1], b -> b.select("COUNT"));
        }));
      }
      all.add(Scenario.of("query on a " + sort + ": Limit and pagination forward", s -> {
        String t = fill(s, type);
        paginate(s, t, type, "pk = :p", 5, true, null);
      }));
      Scenario backward = Scenario.of("query on a " + sort + ": Limit and pagination backward", s -> {
        String t = fill(s, type);
        paginate(s, t, type, "pk = :p AND sk >= :lo", 3, false, null);
      });
      // With a string sort key the range holds 9 items: the third page of 3 reaches the Limit exactly.
      all.add(type == ScalarAttributeType.S
          ? backward.deviates(Deviation.LIMIT_REACHED_LAST_EVALUATED_KEY, ENDS_WITH_AN_EMPTY_PAGE, "pages") : backward);
      all.add(Scenario.of("query on a " + sort + ": Limit with a filter", s -> {
        String t = fill(s, type);
        paginate(s, t, type, "pk = :p", 4, true, "even = :true");
      }));
      all.add(Scenario.of("query on a " + sort + ": Limit equal to the partition size", s -> {
        String t = fill(s, type);
        paginate(s, t, type, "pk = :p", SORT_KEYS.get(type).size(), true, null);
      }));
      all.add(Scenario.of("query on a " + sort + ": filter, projection and count", s -> {
        String t = fill(s, type);
        query(s, "filter", t, type, "pk = :p", b -> b.filterExpression("v < :five AND even = :true"));
        query(s, "filter counting", t, type, "pk = :p", b -> b.filterExpression("v < :five").select("COUNT"));
        query(s, "projection", t, type, "pk = :p", b -> b.projectionExpression("sk, note"));
        query(s, "specific attributes", t, type, "pk = :p", b -> b.projectionExpression("v").select("SPECIFIC_ATTRIBUTES"));
        query(s, "count with Limit", t, type, "pk = :p", b -> b.select("COUNT").limit(3));
        query(s, "consistent read with capacity", t, type, "pk = :p", b -> b.consistentRead(true).returnConsumedCapacity("TOTAL"));
        query(s, "eventual read with capacity", t, type, "pk = :p", b -> b.returnConsumedCapacity("TOTAL"));
      }));
    }
    all.add(Scenario.of("query on a table without a sort key", s -> {
      String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.N));
      put(s, t, item("pk", n(1), "v", s("one")));
      put(s, t, item("pk", n(2), "v", s("two")));
      s.call("query", () -> s.ddb().query(b -> b.tableName(t).keyConditionExpression("pk = :p")
          .expressionAttributeValues(item(":p", n("1.0")))));
      s.call("query with Limit 1", () -> s.ddb().query(b -> b.tableName(t).keyConditionExpression("pk = :p").limit(1)
          .expressionAttributeValues(item(":p", n(1)))));
      s.call("query with a condition on a missing sort key", () -> s.ddb().query(b -> b.tableName(t)
          .keyConditionExpression("pk = :p AND sk > :p").expressionAttributeValues(item(":p", n(1)))));
    }).deviates(Deviation.LIMIT_REACHED_LAST_EVALUATED_KEY, Expectation.returnedContaining("LastEvaluatedKey: {pk: {N: 1}}"),
        "query with Limit 1"));
    all.add(Scenario.of("query of large items stops at 1 MB", s -> {
      String t = s.createTable("c", TableSpec.hash("pk", ScalarAttributeType.S).range("sk", ScalarAttributeType.N));
      s.setup("fill", () -> {
        for (int i = 0; i < 12; i++) {
          int sk = i;
          s.ddb().putItem(b -> b.tableName(t).item(item("pk", s("big"), "sk", n(sk), "blob", s("x".repeat(390 * 1024)))));
        }
        return null;
      });
      s.call("first page", () -> s.ddb().query(b -> b.tableName(t).keyConditionExpression("pk = :p").projectionExpression("sk")
          .expressionAttributeValues(item(":p", s("big")))));
    }));

    // Scan.
    all.add(Scenario.of("scan of a table with counts", s -> {
      String t = fill(s, ScalarAttributeType.N);
      scanAll(s, "scan", t, b -> { });
      s.call("count", () -> s.ddb().scan(b -> b.tableName(t).select("COUNT")));
      s.call("count with a filter", () -> s.ddb().scan(b -> b.tableName(t).select("COUNT").filterExpression("v >= :x")
          .expressionAttributeValues(item(":x", n(100)))));
      s.call("filter and projection", () -> s.ddb().scan(b -> b.tableName(t).filterExpression("pk = :b")
          .projectionExpression("sk, v").expressionAttributeValues(item(":b", s("b")))), QueryScanScenariosTest::scanView);
      s.call("empty table", () -> s.ddb().scan(b -> b.tableName(s.createTable("empty", TableSpec.hash("pk", ScalarAttributeType.S)))));
    }));
    for (int limit : new int[] {1, 4, 15, 16}) {
      all.add(Scenario.of("scan with Limit " + limit + " pages through every item", s -> {
        String t = fill(s, ScalarAttributeType.S);
        scanAll(s, "scan", t, b -> b.limit(limit));
      }));
    }
    all.add(Scenario.of("scan with a filter and Limit pages through every match", s -> {
      String t = fill(s, ScalarAttributeType.S);
      scanAll(s, "scan", t, b -> b.limit(5).filterExpression("even = :t").expressionAttributeValues(item(":t", bool(true))));
    }));
    for (int total : new int[] {1, 2, 3, 7}) {
      all.add(Scenario.of("parallel scan in " + total + " segments covers every item once", s -> {
        String t = fill(s, ScalarAttributeType.N);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int segment = 0; segment < total; segment++) {
          int seg = segment;
          ScanResponse r = s.setup("segment " + segment, () -> s.ddb().scan(b -> b.tableName(t).segment(seg).totalSegments(total)));
          items.addAll(r.items());
        }
        s.observe("union of the segments", Canonical.unordered(items));
        s.observe("item count", items.size());
      }));
    }
    all.add(Scenario.of("parallel scan with Limit pages through each segment", s -> {
      String t = fill(s, ScalarAttributeType.N);
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (int segment = 0; segment < 4; segment++) {
        int seg = segment;
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < 30; page++) {
          Map<String, AttributeValue> from = start;
          ScanResponse r = s.setup("segment " + segment + " page " + page, () -> s.ddb().scan(b -> {
            b.tableName(t).segment(seg).totalSegments(4).limit(2);
            if (from != null) {
              b.exclusiveStartKey(from);
            }
          }));
          items.addAll(r.items());
          if (!r.hasLastEvaluatedKey()) {
            break;
          }
          start = r.lastEvaluatedKey();
        }
      }
      s.observe("union of the segments", Canonical.unordered(items));
    }));
    all.add(Scenario.of("parallel scan parameters are validated", s -> {
      String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
      s.call("segment equal to the total", () -> s.ddb().scan(b -> b.tableName(t).segment(2).totalSegments(2)));
      s.call("segment without a total", () -> s.ddb().scan(b -> b.tableName(t).segment(0)));
      s.call("total without a segment", () -> s.ddb().scan(b -> b.tableName(t).totalSegments(2)));
      s.call("total of zero", () -> s.ddb().scan(b -> b.tableName(t).segment(0).totalSegments(0)));
      s.call("negative segment", () -> s.ddb().scan(b -> b.tableName(t).segment(-1).totalSegments(2)));
      s.call("total of a million", () -> s.ddb().scan(b -> b.tableName(t).segment(999999).totalSegments(1000000)));
      s.call("total over a million", () -> s.ddb().scan(b -> b.tableName(t).segment(0).totalSegments(1000001)));
      s.call("a filter on the key is allowed in a scan", () -> s.ddb().scan(b -> b.tableName(t).filterExpression("pk = :p")
          .expressionAttributeValues(item(":p", s("x")))));
      s.call("Limit 0", () -> s.ddb().scan(b -> b.tableName(t).limit(0)));
      s.call("an ExclusiveStartKey with the wrong type", () -> s.ddb().scan(b -> b.tableName(t).exclusiveStartKey(item("pk", n(1)))));
      s.call("Select COUNT with a projection", () -> s.ddb().scan(b -> b.tableName(t).select("COUNT").projectionExpression("pk")));
      s.call("a missing table", () -> s.ddb().scan(b -> b.tableName(s.table("missing"))));
      s.call("query of a missing table", () -> s.ddb().query(b -> b.tableName(s.table("missing")).keyConditionExpression("pk = :p")
          .expressionAttributeValues(item(":p", s("x")))));
    }).deviates(Deviation.QUERY_VALIDATION_MESSAGE, "segment equal to the total", "segment without a total", "total without a segment",
        "an ExclusiveStartKey with the wrong type")
        .deviates(Deviation.CONSTRAINT_MESSAGE, "total of zero", "negative segment", "Limit 0")
        .deviates(Deviation.MISSING_TABLE_MESSAGE, "a missing table", "query of a missing table"));
    return all;
  }
}
