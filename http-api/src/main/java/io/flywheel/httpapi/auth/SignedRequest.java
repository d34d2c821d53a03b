package io.flywheel.httpapi.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as the verifier needs it: what was on the wire, before any decoding.
 *
 * <p>The HTTP layer builds one per request. {@code body} is not copied, for speed; callers must not
 * change it afterwards.
 *
 * @param method the request method, e.g. {@code POST}
 * @param rawPath the path exactly as received, still percent-encoded, e.g. {@code /} or {@code
 *     /a%20b}
 * @param rawQuery the query string as received, without {@code ?}; {@code ""} when there is none
 * @param headers header names as received (any case) with their values, in order; a name may
 *     repeat; a {@code null} value counts as empty
 * @param body the request body, empty when there is none
 */
public record SignedRequest(
    String method,
    String rawPath,
    String rawQuery,
    List<Map.Entry<String, String>> headers,
    byte[] body) {

  public SignedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    rawQuery = rawQuery == null ? "" : rawQuery;
    headers = List.copyOf(headers);
    for (Map.Entry<String, String> header : headers) {
      Objects.requireNonNull(header.getKey(), "header name");
    }
    body = body == null ? new byte[0] : body;
  }

  /** The value of the first header called {@code name} (case-insensitive), or {@code null}. */
  public String firstHeader(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return valueOf(header);
      }
    }
    return null;
  }

  static String valueOf(Map.Entry<String, String> header) {
    String value = header.getValue();
    return value == null ? "" : value;
  }
}
