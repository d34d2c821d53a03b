package io.flywheel.httpapi;

import io.flywheel.base.Invariants;

/**
 * Tunables of the HTTP endpoint.
 *
 * @param maxBodyBytes largest request body accepted (DynamoDB: 16 MB); larger ones get 413
 * @param maxHeaderBytes largest header block
 * @param maxJsonNestingDepth JSON nesting accepted by the parser (DynamoDB documents nest 32
 *     levels, each two JSON levels deep, plus the request envelope)
 * @param idleTimeoutSeconds idle keep-alive connections are closed after this
 * @param defaultRegion region for ARNs when a request's credential scope names none
 */
public record HttpConfig(
    String host, int port, int ioThreads, int maxBodyBytes, int maxHeaderBytes, int maxJsonNestingDepth,
    int idleTimeoutSeconds, String defaultRegion) {
  public HttpConfig {
    Invariants.checkArgument(port >= 0 && port <= 65535, "port in [0, 65535]");
    Invariants.checkArgument(ioThreads >= 1, "ioThreads >= 1");
    Invariants.checkArgument(maxBodyBytes >= 1024, "maxBodyBytes >= 1024");
  }

  public static HttpConfig defaults(String host, int port, int ioThreads) {
    return new HttpConfig(host, port, ioThreads, 16 * 1024 * 1024, 32 * 1024, 100, 300, "us-east-1");
  }
}
