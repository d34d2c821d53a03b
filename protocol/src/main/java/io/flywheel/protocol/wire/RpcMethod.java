package io.flywheel.protocol.wire;

import java.util.Objects;

/**
 * One remote call: the kind of its request envelope and the codecs of its request and response.
 * The RPC layer sends {@code request} in an envelope of {@code kind} and reads the answer with
 * {@code response}.
 */
public record RpcMethod<Q, R>(String name, MessageKind kind, WireCodec<Q> request, WireCodec<R> response) {
  public RpcMethod {
    Objects.requireNonNull(name);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(request);
    Objects.requireNonNull(response);
  }
}
