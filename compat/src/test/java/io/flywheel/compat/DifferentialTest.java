package io.flywheel.compat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison itself, on recorded runs: what passes, what fails, and what a failure says. */
class DifferentialTest {
  static final Scenario PLAIN = Scenario.of("a scenario", s -> { });

  static Session.Step returned(String label, String view) {
    return new Session.Step(label, new Outcome.Returned(view));
  }

  static Session.Step failed(String label, String code, String message) {
    return new Session.Step(label, new Outcome.Failed(code, "DynamoDbException", 400, message, null));
  }

  static Differential.Run flywheel(Session.Step... steps) {
    return new Differential.Run(Endpoint.FLYWHEEL, List.of(steps), null);
  }

  static Differential.Run local(Session.Step... steps) {
    return new Differential.Run(Endpoint.DYNAMODB_LOCAL, List.of(steps), null);
  }

  @Test
  void agreeingRunsPass() {
    assertThatCode(() -> Differential.compare(PLAIN, flywheel(returned("get", "{}")), local(returned("get", "{}"))))
        .doesNotThrowAnyException();
  }

  @Test
  void aDifferenceNamesTheScenarioTheStepAndBothOutcomes() {
    assertThatThrownBy(() -> Differential.compare(PLAIN, flywheel(returned("put", "{}"), returned("get", "{Item: 1}")),
            local(returned("put", "{}"), failed("get", "ValidationException", "no"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("scenario \"a scenario\": outcomes differ at step 2 \"get\"")
        .hasMessageContaining("Flywheel:       returned {Item: 1}")
        .hasMessageContaining("DynamoDB Local: failed ValidationException (DynamoDbException, HTTP 400): no");
  }

  @Test
  void messagesAreCompared() {
    assertThatThrownBy(() -> Differential.compare(PLAIN, flywheel(failed("get", "ValidationException", "one wording")),
            local(failed("get", "ValidationException", "another wording"))))
        .hasMessageContaining("outcomes differ at step 1 \"get\"");
  }

  @Test
  void aMessageDeviationPassesOnlyForItsPairAndTheSameErrorType() {
    Scenario marked = PLAIN.deviates(Deviation.RETURN_VALUES_MESSAGE, "put");
    assertThatCode(() -> Differential.compare(marked,
            flywheel(failed("put", "ValidationException", "ReturnValues can only be ALL_OLD or NONE")),
            local(failed("put", "ValidationException", "Return values set to invalid value"))))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Differential.compare(marked,
            flywheel(failed("put", "ValidationException", "Return values set to invalid value!")),
            local(failed("put", "ValidationException", "Return values set to invalid value"))))
        .hasMessageContaining("are not the pair deviation RETURN_VALUES_MESSAGE stands for");
    assertThatThrownBy(() -> Differential.compare(marked,
            flywheel(failed("put", "ValidationException", "ReturnValues can only be ALL_OLD or NONE")),
            local(returned("put", "{}"))))
        .hasMessageContaining("is about the message only");
  }

  @Test
  void aMarkThatNoLongerMatchesAnythingFails() {
    Scenario marked = PLAIN.deviates(Deviation.UNREQUESTED_CONSUMED_CAPACITY, Expectation.returned("{}"), "delete");
    assertThatThrownBy(() -> Differential.compare(marked, flywheel(returned("delete", "{}")), local(returned("delete", "{}"))))
        .hasMessageContaining("deviation UNREQUESTED_CONSUMED_CAPACITY is no longer observed");
  }

  @Test
  void anOutcomeDeviationHoldsFlywheelToTheServicesBehaviour() {
    Scenario marked = PLAIN.deviates(Deviation.UNREQUESTED_CONSUMED_CAPACITY, Expectation.returned("{}"), "delete");
    assertThatCode(() -> Differential.compare(marked, flywheel(returned("delete", "{}")),
            local(returned("delete", "{ConsumedCapacity: 1}"))))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Differential.compare(marked, flywheel(returned("delete", "{Attributes: 1}")),
            local(returned("delete", "{ConsumedCapacity: 1}"))))
        .hasMessageContaining("Flywheel should do what the documented service does: returns {}");
  }

  @Test
  void runsThatTookDifferentPathsFail() {
    assertThatThrownBy(() -> Differential.compare(PLAIN, flywheel(returned("a", "{}"), returned("b", "{}")),
            local(returned("a", "{}"))))
        .hasMessageContaining("the scenario took different paths");
  }
}
