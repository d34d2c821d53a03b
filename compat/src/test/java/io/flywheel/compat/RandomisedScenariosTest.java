package io.flywheel.compat;

import static io.flywheel.compat.Values.item;
import static io.flywheel.compat.Values.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Seeded random scenarios: random items, then a sequence of conditional updates, puts, deletes and
 * projected reads built by {@link RandomRequests}, the same sequence against both servers.
 *
 * <p>CI runs the fixed seeds {@code FIRST_SEED .. FIRST_SEED + runs - 1}; a failure names its seed.
 * {@code -Dcompat.seed=N} runs one seed, {@code -Dcompat.randomRuns=K} changes how many run.
 *
 * <p>Every request asks for its consumed capacity, which is compared too (and keeps DynamoDB Local
 * from reporting it unasked, {@link Deviation#UNREQUESTED_CONSUMED_CAPACITY}).
 *
 * <p>Each update has one action (see {@link RandomRequests#update}); multi-action updates are
 * covered by the hand-written scenarios. ReturnValues UPDATED_OLD/UPDATED_NEW are not drawn: after nested updates DynamoDB Local
 * answers them unlike the service ({@link Deviation#UPDATED_VALUES_NESTED_PATHS}), which the
 * hand-written scenarios cover.
 */
class RandomisedScenariosTest {
  @RegisterExtension static final BothEndpoints ENDPOINTS = new BothEndpoints();

  static final long FIRST_SEED = 20261125L;
  static final int RUNS_DEFAULT = 100;
  static final int OPERATIONS_PER_SEED = 10;

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ENDPOINTS.differential().tests(scenarioList());
  }

  static List<Scenario> scenarioList() {
    List<Long> seeds = new ArrayList<>();
    String one = System.getProperty("compat.seed");
    if (one != null) {
      seeds.add(Long.parseLong(one));
    } else {
      int runs = Integer.getInteger("compat.randomRuns", RUNS_DEFAULT);
      for (int i = 0; i < runs; i++) {
        seeds.add(FIRST_SEED + i);
      }
    }
    List<Scenario> all = new ArrayList<>();
    for (long seed : seeds) {
      all.add(Scenario.of("random seed " + seed + " (rerun alone with -Dcompat.seed=" + seed + ")", s -> run(s, seed)));
    }
    return all;
  }

  /** Every request depends on the seed only, never on a response, so both servers see the same. */
  static void run(Session s, long seed) {
    RandomRequests random = new RandomRequests(new SplittableRandom(seed));
    String t = s.createTable("t", TableSpec.hash("pk", ScalarAttributeType.S));
    List<String> keys = List.of("k0", "k1", "k2");
    for (String key : keys) {
      Map<String, AttributeValue> item = random.item(key);
      s.call("put " + key + " " + Canonical.of(item), () -> s.ddb().putItem(b -> b.tableName(t).item(item)));
    }
    for (int op = 1; op <= OPERATIONS_PER_SEED; op++) {
      String key = random.pick(keys);
      switch (random.pick(List.of("update", "update", "update", "put", "delete", "get"))) {
        case "update" -> {
          String update = random.update(true);
          String condition = random.chance(60) ? random.condition() : null;
          String returnValues = random.pick(List.of("NONE", "ALL_OLD", "ALL_NEW"));
          Map<String, AttributeValue> values = random.values();
          s.call(op + ": update " + key + " " + update + (condition == null ? "" : " IF " + condition) + " " + returnValues
              + " " + Canonical.of(values), () -> s.ddb().updateItem(b -> {
                b.tableName(t).key(item("pk", s(key))).updateExpression(update).returnValues(returnValues)
                    .returnValuesOnConditionCheckFailure("ALL_OLD").returnConsumedCapacity("TOTAL");
                if (condition != null) {
                  b.conditionExpression(condition);
                }
                if (!values.isEmpty()) {
                  b.expressionAttributeValues(values);
                }
              }));
        }
        case "put" -> {
          Map<String, AttributeValue> item = random.item(key);
          String condition = random.condition();
          Map<String, AttributeValue> values = random.values();
          s.call(op + ": put " + Canonical.of(item) + " IF " + condition + " " + Canonical.of(values), () -> s.ddb().putItem(b -> {
            b.tableName(t).item(item).conditionExpression(condition).returnValues("ALL_OLD").returnConsumedCapacity("TOTAL");
            if (!values.isEmpty()) {
              b.expressionAttributeValues(values);
            }
          }));
        }
        case "delete" -> {
          String condition = random.condition();
          Map<String, AttributeValue> values = random.values();
          s.call(op + ": delete " + key + " IF " + condition + " " + Canonical.of(values), () -> s.ddb().deleteItem(b -> {
            b.tableName(t).key(item("pk", s(key))).conditionExpression(condition).returnValues("ALL_OLD")
                .returnValuesOnConditionCheckFailure("ALL_OLD").returnConsumedCapacity("TOTAL");
            if (!values.isEmpty()) {
              b.expressionAttributeValues(values);
            }
          }));
        }
        default -> {
          String projection = random.projection();
          s.call(op + ": get " + key + " " + projection, () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s(key)))
              .projectionExpression(projection).consistentRead(true).returnConsumedCapacity("TOTAL")));
        }
      }
    }
    for (String key : keys) {
      s.call("final " + key, () -> s.ddb().getItem(b -> b.tableName(t).key(item("pk", s(key))).consistentRead(true)));
    }
  }
}
