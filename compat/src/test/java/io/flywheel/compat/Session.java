package io.flywheel.compat;

import io.flywheel.it.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * One run of one scenario against one endpoint: the client, the endpoint's table names, and the
 * steps observed so far.
 *
 * <p>A scenario names its tables by role ({@link #table}); each endpoint gets its own name for a
 * role (scenario number, role, endpoint suffix), and every recorded outcome has the actual names
 * replaced by {@code <role>}, so error messages that quote a table name compare equal.
 *
 * <p>{@link #call} records what a request returned or how it failed and lets the scenario go on
 * (a failed conditional write is usually followed by a read that shows nothing changed);
 * {@link #setup} must succeed, and stops the scenario with a {@link SetupFailure} naming the
 * endpoint if it does not.
 */
final class Session {
  static final Duration INDEX_CATCH_UP = Duration.ofSeconds(30);

  private final Endpoint endpoint;
  private final DynamoDbClient ddb;
  private final int scenarioNumber;
  private final Map<String, String> tablesByRole = new LinkedHashMap<>();
  private final List<Step> steps = new ArrayList<>();

  /** One observation: the step's label and its outcome with table names replaced by roles. */
  record Step(String label, Outcome outcome) {
    @Override
    public String toString() {
      return label + ": " + outcome;
    }
  }

  /** A setup request that should not fail did; the scenario cannot go on. */
  static final class SetupFailure extends RuntimeException {
    SetupFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Session(Endpoint endpoint, DynamoDbClient ddb, int scenarioNumber) {
    this.endpoint = endpoint;
    this.ddb = ddb;
    this.scenarioNumber = scenarioNumber;
  }

  DynamoDbClient ddb() {
    return ddb;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** This endpoint's name for the table with the given role in this scenario. */
  String table(String role) {
    return tablesByRole.computeIfAbsent(role, r -> "cx" + scenarioNumber + "-" + r + "-" + endpoint.tableSuffix());
  }

  /** Creates the table with this role and waits until it and its global indexes are ACTIVE. */
  String createTable(String role, TableSpec spec) {
    String name = table(role);
    setup("create table " + role, () -> ddb.createTable(spec.request(name)));
    awaitActive(role);
    return name;
  }

  void awaitActive(String role) {
    String name = table(role);
    setup("table " + role + " active", () -> Eventually.await(() -> describeWhileIndexing(name),
        Session::activeWithIndexes, INDEX_CATCH_UP, name + " ACTIVE with its indexes on " + endpoint.displayName()));
  }

  private static boolean activeWithIndexes(TableDescription t) {
    return t != null && t.tableStatus() == TableStatus.ACTIVE
        && t.globalSecondaryIndexes().stream().allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE);
  }

  /**
   * DescribeTable for waits while a global index is built or dropped; null when DynamoDB Local
   * answers it with HTTP 500. DynamoDB Local does so now and then under load: its SQLite layer
   * counts the new index's items before it has created the index's column ("no such column:
   * indexKey_0" in its log). On that endpoint only, such a 500 means "ask again"; Flywheel's
   * answers are never excused.
   */
  TableDescription describeWhileIndexing(String name) {
    try {
      return ddb.describeTable(b -> b.tableName(name)).table();
    } catch (DynamoDbException e) {
      if (isLocalsTransientFailure(e)) {
        return null;
      }
      throw e;
    }
  }

  private boolean isLocalsTransientFailure(DynamoDbException e) {
    return endpoint == Endpoint.DYNAMODB_LOCAL && e.statusCode() == 500;
  }

  /**
   * Waits until a global index of the table with this role holds {@code expectedCount} items:
   * global indexes are updated asynchronously (in DynamoDB and in Flywheel), so a scenario that
   * reads one first waits for the writes it made to arrive, by polling with a deadline.
   */
  void awaitIndexed(String role, String indexName, int expectedCount) {
    String name = table(role);
    setup("index " + indexName + " caught up", () -> Eventually.await(
        () -> ddb.scan(b -> b.tableName(name).indexName(indexName).select(Select.COUNT)).count(),
        c -> c == expectedCount, INDEX_CATCH_UP, indexName + " holding " + expectedCount + " items on " + endpoint.displayName()));
  }

  /** Runs a request that must succeed for the scenario to mean anything. */
  <T> T setup(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException | AssertionError e) {
      throw new SetupFailure("setup step \"" + what + "\" failed on " + endpoint.displayName() + ": " + e, e);
    }
  }

  /** Runs a request and records its response (rendered canonically) or its failure. */
  <T> T call(String label, Supplier<T> request) {
    return call(label, request, response -> response);
  }

  /**
   * Runs a request and records {@code view} of its response, or its failure. Views select what
   * is comparable, e.g. Scan items as an unordered collection.
   */
  <T> T call(String label, Supplier<T> request, Function<? super T, ?> view) {
    T response;
    try {
      response = request.get();
    } catch (DynamoDbException e) {
      record(label, Outcome.Failed.of(e));
      return null;
    } catch (SdkClientException e) {
      record(label, Outcome.Failed.of(e));
      return null;
    }
    record(label, new Outcome.Returned(Canonical.of(view.apply(response))));
    return response;
  }

  /** Records something the scenario derived itself (e.g. a page count while paginating). */
  void observe(String label, Object observed) {
    record(label, new Outcome.Returned(Canonical.of(observed)));
  }

  private void record(String label, Outcome outcome) {
    for (Step s : steps) {
      if (s.label().equals(label)) {
        throw new IllegalArgumentException("step label used twice in one scenario: " + label);
      }
    }
    steps.add(new Step(label, outcome));
  }

  /** The steps with this endpoint's table names replaced by their roles. */
  List<Step> steps() {
    List<Step> normalised = new ArrayList<>();
    for (Step s : steps) {
      Outcome o = switch (s.outcome()) {
        case Outcome.Returned r -> new Outcome.Returned(withRoles(r.view()));
        case Outcome.Failed f -> new Outcome.Failed(f.errorCode(), f.sdkException(), f.httpStatus(), withRoles(f.message()), f.returnedItem());
      };
      normalised.add(new Step(s.label(), o));
    }
    return normalised;
  }

  private String withRoles(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<String, String> e : tablesByRole.entrySet()) {
      result = result.replace(e.getValue(), "<" + e.getKey() + ">");
    }
    return result;
  }

  /** Deletes every table this scenario named here (those it already deleted are skipped). */
  void dropTables() {
    for (String name : tablesByRole.values()) {
      for (int attempt = 1; ; attempt++) {
        try {
          ddb.deleteTable(b -> b.tableName(name));
        } catch (ResourceNotFoundException alreadyGone) {
          // never created, or deleted by the scenario itself
        } catch (DynamoDbException e) {
          if (isLocalsTransientFailure(e) && attempt < DROP_ATTEMPTS_MAX) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // back off, then ask again (see describeWhileIndexing)
            continue;
          }
          if (!"ResourceInUseException".equals(e.awsErrorDetails().errorCode())) {
            throw e;
          }
        }
        break;
      }
    }
  }

  /** DeleteTable attempts on DynamoDB Local when it answers 500 (see {@link #describeWhileIndexing}). */
  private static final int DROP_ATTEMPTS_MAX = 5;
}
