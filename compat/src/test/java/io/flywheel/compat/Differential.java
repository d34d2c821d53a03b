package io.flywheel.compat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs a {@link Scenario} against Flywheel and DynamoDB Local at the same time (each in its own
 * thread, with its own table names), then compares the two step lists.
 *
 * <p>Two steps agree when both returned the same canonical view, or both failed with the same
 * error code, SDK exception, HTTP status and message. A scenario without a deviation mark passes
 * when every step agrees. In a scenario with deviation marks, every unmarked step must agree and
 * every marked step must differ (a mark that no longer matches anything fails, so it gets
 * removed). At a step marked with a message deviation, both must fail with the same error type and
 * HTTP status and their messages must be one of the deviation's registered pairs; at a step marked
 * with an outcome deviation, Flywheel's outcome must be what the mark says the documented service
 * (or, for Flywheel's own choices, Flywheel) does.
 *
 * <p>A failure message names the scenario, the first differing step with both outcomes, the other
 * unmarked steps that differ, and both full traces. With {@code -Dcompat.printTraces=true} every scenario prints both traces (to the
 * test's output file), for reviewing what agreeing endpoints actually returned.
 */
final class Differential {
  private static final AtomicInteger SCENARIO_NUMBERS = new AtomicInteger();
  private static final ExecutorService SECOND_ENDPOINT = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "compat-dynamodb-local-runner");
    t.setDaemon(true);
    return t;
  });

  private final DynamoDbClient flywheel;
  private final DynamoDbClient dynamoDbLocal;

  Differential(DynamoDbClient flywheel, DynamoDbClient dynamoDbLocal) {
    this.flywheel = flywheel;
    this.dynamoDbLocal = dynamoDbLocal;
  }

  /** One dynamic test per scenario; scenario names must be unique within the list. */
  Stream<DynamicTest> tests(List<Scenario> scenarios) {
    Set<String> names = new HashSet<>();
    for (Scenario s : scenarios) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two scenarios are named \"" + s.name() + "\"");
      }
    }
    return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
  }

  /** The result of one endpoint's run: its steps, and the setup failure that ended it, if any. */
  record Run(Endpoint endpoint, List<Session.Step> steps, RuntimeException setupFailure) {
    String trace() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < steps.size(); i++) {
        out.append("    ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
      }
      if (setupFailure != null) {
        out.append("    (stopped: ").append(setupFailure.getMessage()).append(")\n");
      }
      return out.toString();
    }
  }

  void check(Scenario scenario) throws InterruptedException {
    int number = SCENARIO_NUMBERS.incrementAndGet();
    Future<Run> second = SECOND_ENDPOINT.submit(() -> run(Endpoint.DYNAMODB_LOCAL, dynamoDbLocal, scenario, number));
    Run fw = run(Endpoint.FLYWHEEL, flywheel, scenario, number);
    Run local;
    try {
      local = second.get();
    } catch (ExecutionException e) {
      throw new AssertionError("scenario \"" + scenario.name() + "\": DynamoDB Local run crashed", e.getCause());
    }
    if (Boolean.getBoolean("compat.printTraces")) {
      System.out.println("scenario \"" + scenario.name() + "\"\n  Flywheel trace:\n" + fw.trace() + "  DynamoDB Local trace:\n" + local.trace());
    }
    compare(scenario, fw, local);
  }

  /** Runs a scenario on one endpoint, then drops its tables there. */
  static Run run(Endpoint endpoint, DynamoDbClient client, Scenario scenario, int number) {
    Session session = new Session(endpoint, client, number);
    RuntimeException setupFailure = null;
    try {
      scenario.body().run(session);
    } catch (Session.SetupFailure e) {
      setupFailure = e;
    } finally {
      session.dropTables();
    }
    return new Run(endpoint, session.steps(), setupFailure);
  }

  static void compare(Scenario scenario, Run fw, Run local) {
    if (fw.setupFailure() != null || local.setupFailure() != null) {
      throw failure(scenario, "a setup step failed", fw, local);
    }
    List<String> labelsFw = fw.steps().stream().map(Session.Step::label).toList();
    List<String> labelsLocal = local.steps().stream().map(Session.Step::label).toList();
    if (!labelsFw.equals(labelsLocal)) {
      throw failure(scenario, "the scenario took different paths", fw, local);
    }
    for (Scenario.DeviationMark mark : scenario.deviations()) {
      if (!labelsFw.contains(mark.step())) {
        throw failure(scenario, "the deviation mark names step \"" + mark.step() + "\", which the scenario does not have", fw, local);
      }
    }
    for (int i = 0; i < fw.steps().size(); i++) {
      Session.Step a = fw.steps().get(i);
      Session.Step b = local.steps().get(i);
      String where = "step " + (i + 1) + " \"" + a.label() + "\"";
      String both = "\n  Flywheel:       " + a.outcome() + "\n  DynamoDB Local: " + b.outcome();
      boolean agree = a.outcome().equals(b.outcome());
      Scenario.DeviationMark mark = scenario.markAt(a.label());
      if (mark == null) {
        if (!agree) {
          throw failure(scenario, "outcomes differ at " + where + both + "\n  (unmarked steps that differ: "
              + unmarkedDifferences(scenario, fw, local) + ")", fw, local);
        }
        continue;
      }
      if (agree) {
        throw failure(scenario, "deviation " + mark.deviation() + " is no longer observed at " + where
            + ": DynamoDB Local now agrees with Flywheel; remove the mark from the scenario, Deviation and docs/compatibility.md"
            + both, fw, local);
      }
      if (mark.deviation().scope() == Deviation.Scope.MESSAGE) {
        if (!sameErrorType(a.outcome(), b.outcome())) {
          throw failure(scenario, "deviation " + mark.deviation() + " at " + where
              + " is about the message only, but the outcomes differ in more than the message" + both, fw, local);
        }
        if (!mark.deviation().explains(((Outcome.Failed) a.outcome()).message(), ((Outcome.Failed) b.outcome()).message())) {
          throw failure(scenario, "at " + where + " the messages are not the pair deviation " + mark.deviation()
              + " stands for (Flywheel must give the service's wording)" + both, fw, local);
        }
        if (mark.flywheel() == null) {
          continue;
        }
      }
      if (!mark.flywheel().matches(a.outcome())) {
        String should = mark.deviation().kind() == Deviation.Kind.SERVICE_OVER_LOCAL
            ? "Flywheel should do what the documented service does: " : "Flywheel's deliberate choice is that it ";
        throw failure(scenario, "at " + where + " (deviation " + mark.deviation() + ") " + should
            + mark.flywheel().description() + both, fw, local);
      }
    }
  }

  private static List<String> unmarkedDifferences(Scenario scenario, Run fw, Run local) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < fw.steps().size(); i++) {
      Session.Step a = fw.steps().get(i);
      if (scenario.markAt(a.label()) == null && !a.outcome().equals(local.steps().get(i).outcome())) {
        labels.add(a.label());
      }
    }
    return labels;
  }

  private static boolean sameErrorType(Outcome a, Outcome b) {
    return a instanceof Outcome.Failed fa && b instanceof Outcome.Failed fb && fa.errorCode().equals(fb.errorCode())
        && fa.sdkException().equals(fb.sdkException()) && fa.httpStatus() == fb.httpStatus();
  }

  private static AssertionError failure(Scenario scenario, String what, Run fw, Run local) {
    List<String> lines = new ArrayList<>();
    lines.add("scenario \"" + scenario.name() + "\": " + what);
    lines.add("  Flywheel trace:");
    lines.add(fw.trace());
    lines.add("  DynamoDB Local trace:");
    lines.add(local.trace());
    AssertionError error = new AssertionError(String.join("\n", lines));
    if (fw.setupFailure() != null) {
      error.addSuppressed(fw.setupFailure());
    }
    if (local.setupFailure() != null) {
      error.addSuppressed(local.setupFailure());
    }
    return error;
  }
}
