package io.flywheel.protocol.wire;

/**
 * A remote call failed with an exception that is not part of the protocol (not a {@link
 * io.flywheel.model.DynamoException} nor a {@link io.flywheel.protocol.RoutingException}): a bug
 * or an unexpected state on the remote node. Carries the remote class name and message; callers
 * treat it as an internal error.
 */
public final class RemoteFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String remoteType;
  private final String remoteMessage;

  public RemoteFailureException(String remoteType, String remoteMessage) {
    super(remoteType + ": " + remoteMessage, null, false, false);
    this.remoteType = remoteType;
    this.remoteMessage = remoteMessage;
  }

  /** The exception's message on the remote node (may be null). */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The class name of the exception on the remote node. */
  public String remoteType() {
    return remoteType;
  }
}
