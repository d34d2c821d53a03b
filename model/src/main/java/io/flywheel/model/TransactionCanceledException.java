package io.flywheel.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A TransactWriteItems or TransactGetItems request was cancelled as a whole: nothing of it took
 * effect. Carries one {@link CancellationReason} per action, in request order; the message lists
 * their codes, as DynamoDB's does.
 */
public final class TransactionCanceledException extends DynamoException {
  private static final long serialVersionUID = 1L;
  private final transient List<CancellationReason> reasons;

  public TransactionCanceledException(List<CancellationReason> reasons) {
    super(ErrorCode.TRANSACTION_CANCELED, message(reasons));
    this.reasons = List.copyOf(reasons);
  }

  public List<CancellationReason> reasons() {
    return reasons;
  }

  /** "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]". */
  static String message(List<CancellationReason> reasons) {
    List<String> codes = new ArrayList<>(reasons.size());
    for (CancellationReason r : reasons) {
      codes.add(r.code().wireName());
    }
    return "Transaction cancelled, please refer cancellation reasons for specific reasons [" + String.join(", ", codes) + "]";
  }

  /** A cancellation of {@code count} actions where only action {@code index} failed, with {@code reason}. */
  public static TransactionCanceledException single(int count, int index, CancellationReason reason) {
    List<CancellationReason> reasons = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      reasons.add(i == index ? reason : CancellationReason.NONE);
    }
    return new TransactionCanceledException(reasons);
  }
}
