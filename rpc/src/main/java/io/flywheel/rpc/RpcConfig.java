package io.flywheel.rpc;

import io.flywheel.base.Invariants;

/**
 * The bounds of an {@link RpcEndpoint}.
 *
 * @param callTimeoutNanos how long a call waits for its answer unless the caller says otherwise;
 *     then it fails with {@link RpcException.Timeout} (the outcome on the remote node is unknown)
 * @param inFlightCallsMaxPerPeer calls to one node waiting for their answers beyond which a new
 *     call is refused at once with {@link RpcException.Overloaded}
 * @param servedCallsMaxPerPeer requests from one node being served at once beyond which a new one
 *     is answered with overload (the caller sees {@link RpcException.Overloaded} too)
 */
public record RpcConfig(long callTimeoutNanos, int inFlightCallsMaxPerPeer, int servedCallsMaxPerPeer) {
  public RpcConfig {
    Invariants.checkArgument(callTimeoutNanos > 0, "callTimeoutNanos > 0");
    Invariants.checkArgument(inFlightCallsMaxPerPeer >= 1, "inFlightCallsMaxPerPeer >= 1");
    Invariants.checkArgument(servedCallsMaxPerPeer >= 1, "servedCallsMaxPerPeer >= 1");
  }

  /**
   * 5 s per call (a write waits for a quorum's fsync; a range read of 1 MB; both far below this),
   * 4096 calls in flight per peer each way: a router with thousands of concurrent requests to one
   * storage node stays under it, a runaway caller does not.
   */
  public static RpcConfig defaults() {
    return new RpcConfig(5_000_000_000L, 4096, 4096);
  }

  public RpcConfig withCallTimeoutNanos(long nanos) {
    return new RpcConfig(nanos, inFlightCallsMaxPerPeer, servedCallsMaxPerPeer);
  }

  public RpcConfig withInFlightCallsMaxPerPeer(int max) {
    return new RpcConfig(callTimeoutNanos, max, servedCallsMaxPerPeer);
  }

  public RpcConfig withServedCallsMaxPerPeer(int max) {
    return new RpcConfig(callTimeoutNanos, inFlightCallsMaxPerPeer, max);
  }
}
