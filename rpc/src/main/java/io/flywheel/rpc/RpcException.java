package io.flywheel.rpc;

/**
 * A call that did not get an answer from the remote service: the transport, a bound or the peer
 * stood in the way. (A service's own failures — DynamoDB errors, routing errors — come back as
 * themselves, not as these.) Callers react by type and by {@link #retryable()}; they never parse
 * messages.
 */
public abstract sealed class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RpcException(String message) {
    super(message, null, false, false);
  }

  /** Whether the same call may succeed if made again later (perhaps elsewhere). */
  public abstract boolean retryable();

  /**
   * No answer within the call's timeout. The request may or may not have taken effect on the remote
   * node (it may have been lost, or the peer restarted): only idempotent calls should be repeated
   * blindly.
   */
  public static final class Timeout extends RpcException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(message);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /**
   * Refused for load before it ran: this endpoint's bound of calls in flight to the peer, or the
   * peer's bound of calls it serves for this node ({@code remote}). Nothing happened remotely.
   */
  public static final class Overloaded extends RpcException {
    private static final long serialVersionUID = 1L;
    private final boolean remote;

    public Overloaded(String message, boolean remote) {
      super(message);
      this.remote = remote;
    }

    /** The peer refused (true), or this endpoint did before sending (false). */
    public boolean remote() {
      return remote;
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /**
   * The request could not be sent: the peer is unknown to the bus, its queue is full, or this
   * endpoint is closed (calls still waiting when it closes end so too). Nothing was sent — except
   * for calls cut off by close, whose outcome is unknown.
   */
  public static final class Unavailable extends RpcException {
    private static final long serialVersionUID = 1L;
    private final boolean sent;

    public Unavailable(String message, boolean sent) {
      super(message);
      this.sent = sent;
    }

    /** Whether the request had gone out (a call cut off by close): then its outcome is unknown. */
    public boolean sent() {
      return sent;
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /**
   * The call cannot work as made: the peer does not serve the method, could not read the request
   * (or this node could not read the answer), no common format version, or a message past the
   * transport's size bound. A bug or a version mismatch; repeating it will not help.
   */
  public static final class Rejected extends RpcException {
    private static final long serialVersionUID = 1L;

    public Rejected(String message) {
      super(message);
    }

    @Override
    public boolean retryable() {
      return false;
    }
  }
}
