package io.flywheel.router;

import io.flywheel.base.Invariants;

/**
 * Tunables of the transaction coordinator.
 *
 * @param participantTimeoutMillis how long a prepare, commit, cancel or read may take at one
 *     partition before the coordinator gives up on it (a prepare: cancel the transaction)
 * @param commitAttemptsMax attempts to deliver a commit to a partition before leaving it to
 *     recovery (the decision is durable; only the client's answer is affected)
 * @param inlineRecoveryAfterMillis a retry with the token of a transaction that has been in progress
 *     this long finishes or aborts it instead of answering TransactionInProgressException (DynamoDB:
 *     5 seconds)
 * @param idempotencyWindowMillis how long after completion a ClientRequestToken answers with the
 *     first outcome (DynamoDB: 10 minutes)
 * @param recoveryAgeMillis periodic recovery takes over transactions started at least this long
 *     ago (their coordinator is presumed dead)
 * @param ledgerPageItemsMax ledger records read per page when recovery scans the ledger
 */
public record TransactionConfig(
    long participantTimeoutMillis,
    int commitAttemptsMax,
    long inlineRecoveryAfterMillis,
    long idempotencyWindowMillis,
    long recoveryAgeMillis,
    int ledgerPageItemsMax) {

  public TransactionConfig {
    Invariants.checkArgument(participantTimeoutMillis >= 1, "participantTimeoutMillis >= 1");
    Invariants.checkArgument(commitAttemptsMax >= 1 && commitAttemptsMax <= 100, "commitAttemptsMax in [1, 100]");
    Invariants.checkArgument(inlineRecoveryAfterMillis >= 0, "inlineRecoveryAfterMillis >= 0");
    Invariants.checkArgument(idempotencyWindowMillis >= 0, "idempotencyWindowMillis >= 0");
    Invariants.checkArgument(recoveryAgeMillis >= 0, "recoveryAgeMillis >= 0");
    Invariants.checkArgument(ledgerPageItemsMax >= 1 && ledgerPageItemsMax <= 10_000, "ledgerPageItemsMax in [1, 10000]");
  }

  public static TransactionConfig defaults() {
    return new TransactionConfig(10_000, 5, 5_000, 10 * 60 * 1000, 30_000, 100);
  }
}
