package io.flywheel.httpapi.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The SigV4 canonical request, rebuilt on the server from what arrived on the wire:
 *
 * <pre>
 * METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * </pre>
 *
 * <p>The rules follow the AWS SigV4 documentation ("Create a canonical request") for services other
 * than S3, and were checked against the AWS SDK for Java v2 signer and the AWS SigV4 test suite
 * (see the tests).
 */
final class CanonicalRequest {
  private static final Comparator<String[]> BY_NAME_THEN_VALUE =
      Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]);

  private CanonicalRequest() {}

  /**
   * @param signedHeaders the names listed in SignedHeaders, in the client's order
   * @param signedHeadersValue the SignedHeaders value exactly as the client sent it
   * @param omitSignatureParameter true for presigned requests, whose X-Amz-Signature parameter is
   *     not part of what was signed
   */
  static String build(
      SignedRequest request,
      List<QueryParameter> query,
      boolean omitSignatureParameter,
      List<String> signedHeaders,
      String signedHeadersValue,
      String payloadHash) {
    StringBuilder out = new StringBuilder(512);
    out.append(request.method()).append('\n');
    out.append(canonicalUri(request.rawPath())).append('\n');
    out.append(canonicalQuery(query, omitSignatureParameter)).append('\n');
    appendCanonicalHeaders(request, signedHeaders, out);
    out.append('\n');
    out.append(signedHeadersValue).append('\n');
    out.append(payloadHash);
    return out.toString();
  }

  /**
   * The canonical URI of a non-S3 request. Clients normalise the path (drop empty, {@code .} and
   * {@code ..} segments), percent-encode it, then encode the result once more: the AWS SDK for Java
   * v2 sends {@code /a%20b} and signs {@code /a%2520b}. The server sees the first encoding on the
   * wire, so it normalises and encodes once. A trailing slash is kept only if the path ends with
   * one, as the SDK does. A leading {@code ..} that would climb above the root is kept, again as
   * the SDK's {@code java.net.URI#normalize} does.
   */
  static String canonicalUri(String rawPath) {
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      return "/"; // every DynamoDB request: skip the work
    }
    List<String> segments = normalizedSegments(rawPath);
    StringBuilder out = new StringBuilder(rawPath.length() + 16);
    for (String segment : segments) {
      out.append('/');
      UriEncoding.encode(segment.getBytes(StandardCharsets.UTF_8), out);
    }
    if (segments.isEmpty() || rawPath.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  private static List<String> normalizedSegments(String rawPath) {
    List<String> segments = new ArrayList<>();
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      String segment = rawPath.substring(start, end);
      if (segment.equals("..")) {
        if (segments.isEmpty() || segments.getLast().equals("..")) {
          segments.add(segment);
        } else {
          segments.removeLast();
        }
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
      start = end + 1;
    }
    return segments;
  }

  /**
   * Names and values percent-encoded (after decoding what the client sent, so that equivalent
   * encodings agree), sorted by name then value, joined with {@code &}. Parameters with an empty
   * name are left out, as the AWS SDK for Java v2 leaves them out.
   */
  static String canonicalQuery(List<QueryParameter> query, boolean omitSignatureParameter) {
    if (query.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>(query.size());
    for (QueryParameter p : query) {
      if (p.name().length == 0 || (omitSignatureParameter && p.isNamed("X-Amz-Signature"))) {
        continue;
      }
      pairs.add(new String[] {UriEncoding.encode(p.name()), UriEncoding.encode(p.value())});
    }
    // Encoded strings are ASCII, so String order is the byte order the spec asks for. Sorting the
    // pair, not "name=value", keeps "a" before "a-b" ('=' sorts after '-').
    pairs.sort(BY_NAME_THEN_VALUE);
    StringBuilder out = new StringBuilder(64 * pairs.size());
    for (String[] pair : pairs) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(pair[0]).append('=').append(pair[1]);
    }
    return out.toString();
  }

  /**
   * One line {@code name:values} per signed header, in the client's order. Repeated headers are
   * joined with {@code ,} in the order received; each value is trimmed and its inner whitespace
   * runs are collapsed to one space. A signed header that is absent contributes {@code name:}.
   */
  static void appendCanonicalHeaders(
      SignedRequest request, List<String> signedHeaders, StringBuilder out) {
    for (String name : signedHeaders) {
      out.append(name).append(':');
      boolean first = true;
      for (Map.Entry<String, String> header : request.headers()) {
        if (header.getKey().equalsIgnoreCase(name)) {
          if (!first) {
            out.append(',');
          }
          appendTrimmedCollapsed(SignedRequest.valueOf(header), out);
          first = false;
        }
      }
      out.append('\n');
    }
  }

  /**
   * Trims and collapses whitespace the way the AWS SDK for Java v2 does: any run of space, tab, CR,
   * LF, VT or FF becomes one space. A folded (multi-line) header value thus signs on one line.
   */
  static void appendTrimmedCollapsed(String value, StringBuilder out) {
    boolean pendingSpace = false;
    boolean any = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = any;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
        any = true;
      }
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }
}
