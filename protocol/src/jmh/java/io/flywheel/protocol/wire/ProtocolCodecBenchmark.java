package io.flywheel.protocol.wire;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.ConditionParser;
import io.flywheel.model.expr.ExpressionContext;
import io.flywheel.model.expr.ExpressionKind;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.WriteRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the wire format costs per request: encode plus strict decode, into and out of a byte array,
 * of the messages a router sends most.
 *
 * <ul>
 *   <li>{@code putItem}: a PutItem WriteRequest of a 1 KB item (12 attributes: strings, numbers, a
 *       small map and list) with {@code attribute_not_exists(pk)};
 *   <li>{@code query}: a Query's RangeReadRequest (key range, limit, 1 MB budget) with a
 *       FilterExpression of three comparisons;
 *   <li>{@code queryResult}: the answer to it, 25 stored images of 1 KB each;
 *   <li>{@code getItem}: a GetItem's ReadRequest and its answer, the 1 KB stored image.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProtocolCodecBenchmark {
  private WriteRequest put;
  private RangeReadRequest query;
  private RangeReadResult page;
  private ReadRequest get;
  private ReadResult found;
  private int putBytes;
  private int queryBytes;
  private int pageBytes;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.s("customer#" + random.nextInt(1_000_000)));
    item.put("sk", AttributeValue.n(random.nextInt(1_000_000)));
    for (int i = 0; ItemSize.of(item) < 960; i++) {
      item.put("attr" + i, switch (i % 4) {
        case 0 -> AttributeValue.s(text(random, 80));
        case 1 -> AttributeValue.n(random.nextLong(1L << 40));
        case 2 -> new AttributeValue.M(Map.of("city", AttributeValue.s(text(random, 12)), "zip", AttributeValue.n(random.nextInt(99999))));
        default -> new AttributeValue.L(List.of(AttributeValue.s(text(random, 10)), AttributeValue.n(random.nextInt(100))));
      });
    }
    PrimaryKey key = new PrimaryKey(item.get("pk"), item.get("sk"));
    put = new WriteRequest(new PartitionRef(1234, 7), 42, key, new WriteRequest.WriteOp.Put(item),
        ConditionParser.parse("attribute_not_exists(pk)", ExpressionKind.CONDITION, ExpressionContext.empty()),
        false, false, false);
    Condition filter = ConditionParser.parse("#s = :open AND amount BETWEEN :lo AND :hi AND begins_with(#r, :eu)",
        ExpressionKind.FILTER, new ExpressionContext(Map.of("#s", "status", "#r", "region"), Map.of(":open", AttributeValue.s("open"),
            ":lo", AttributeValue.n(10), ":hi", AttributeValue.n(500), ":eu", AttributeValue.s("eu-"))));
    byte[][] range = KeyEncoding.sortKeyRange(42, item.get("pk"), null);
    query = new RangeReadRequest(new PartitionRef(1234, 7), 42, range[0], range[1], false, 100, 1 << 20, filter, true);
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      images.add(ItemCodec.encode(item));
    }
    page = new RangeReadResult(images, 25, 25L * ItemSize.of(item), images.get(24));
    get = new ReadRequest(new PartitionRef(1234, 7), 42, key, false);
    found = new ReadResult(images.get(0));
    putBytes = encode(StorageNodeMessages.WRITE_REQUEST, put).length;
    queryBytes = encode(StorageNodeMessages.RANGE_READ_REQUEST, query).length;
    pageBytes = encode(StorageNodeMessages.RANGE_READ_RESULT, page).length;
    System.out.printf("%nencoded sizes: putItem %d B (item %d B), query %d B, queryResult %d B%n", putBytes, ItemSize.of(item),
        queryBytes, pageBytes);
  }

  private static String text(SplittableRandom random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  private static <T> byte[] encode(WireCodec<T> codec, T value) {
    ByteWriter w = new ByteWriter(256);
    codec.write(w, value, WireVersion.V1);
    return w.toByteArray();
  }

  private static <T> T roundTrip(WireCodec<T> codec, T value) {
    byte[] bytes = encode(codec, value);
    return codec.read(new ByteReader(bytes), WireVersion.V1);
  }

  @Benchmark
  public WriteRequest putItem() {
    return roundTrip(StorageNodeMessages.WRITE_REQUEST, put);
  }

  @Benchmark
  public RangeReadRequest query() {
    return roundTrip(StorageNodeMessages.RANGE_READ_REQUEST, query);
  }

  @Benchmark
  public ReadResult getItem() {
    roundTrip(StorageNodeMessages.READ_REQUEST, get);
    return roundTrip(StorageNodeMessages.READ_RESULT, found);
  }

  @Benchmark
  public RangeReadResult queryResult() {
    return roundTrip(StorageNodeMessages.RANGE_READ_RESULT, page);
  }
}
