package io.flywheel.rpc;

/**
 * What an {@link RpcEndpoint} did since it started.
 *
 * @param callsStarted calls handed to the bus
 * @param callsAnswered calls that got an answer (a result or a remote failure)
 * @param callsTimedOut calls that failed with {@link RpcException.Timeout}
 * @param callsRefusedOverloaded calls refused at once by this endpoint's in-flight bound
 * @param callsUnsent calls the bus refused to send
 * @param lateAnswers answers that arrived for no waiting call (timed out, or of another
 *     incarnation of this endpoint), dropped
 * @param requestsServed requests handed to a local service
 * @param requestsRefusedOverloaded requests answered with overload by the served-calls bound
 * @param malformedInbound envelopes that could not be read (bad header, unknown kind or version),
 *     dropped or answered as rejected
 * @param answersUnsent answers the bus refused to send (the caller will time out)
 */
public record RpcStats(long callsStarted, long callsAnswered, long callsTimedOut, long callsRefusedOverloaded, long callsUnsent,
    long lateAnswers, long requestsServed, long requestsRefusedOverloaded, long malformedInbound, long answersUnsent) {}
