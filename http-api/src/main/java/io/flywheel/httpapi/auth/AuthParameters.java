package io.flywheel.httpapi.auth;

import java.util.List;

/**
 * The signing parameters a request carries, from its Authorization header or, for a presigned
 * request, from its query string. Extraction performs DynamoDB's first checks, in DynamoDB's order
 * (see {@link AuthErrors} for sources): both forms present, neither present, malformed key=value
 * pairs, then missing parameters.
 *
 * @param algorithm the algorithm the client named
 * @param credential the Credential value: {@code keyid/date/region/service/aws4_request}
 * @param signedHeadersValue the SignedHeaders value as sent, e.g. {@code host;x-amz-date}
 * @param signature the hex signature the client computed
 * @param date the date value, unparsed
 * @param dateIsHttpDate true when the date came from the {@code Date} header (RFC 1123 allowed)
 * @param query the parsed query string, reused for the canonical request
 * @param presigned true when the parameters came from the query string
 */
record AuthParameters(
    String algorithm,
    String credential,
    String signedHeadersValue,
    String signature,
    String date,
    boolean dateIsHttpDate,
    List<QueryParameter> query,
    boolean presigned) {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  static AuthParameters extract(SignedRequest request) {
    String header = request.firstHeader("Authorization");
    List<QueryParameter> query = QueryParameter.parse(request.rawQuery());
    String queryAlgorithm = QueryParameter.first(query, "X-Amz-Algorithm");
    if (header != null && queryAlgorithm != null) {
      throw AuthErrors.foundBoth();
    }
    if (queryAlgorithm != null) {
      return fromQuery(query, queryAlgorithm);
    }
    // DynamoDB treats a header that does not start with "AWS4-" (SigV2, a bearer token, "AWS4")
    // as no credentials at all: dynalite's test/connection.js, run against the live service.
    if (header == null || !header.strip().startsWith("AWS4-")) {
      throw AuthErrors.missingToken();
    }
    return fromHeader(header, request, query);
  }

  /** The SignedHeaders names, split at {@code ;}. */
  List<String> signedHeaders() {
    return List.of(signedHeadersValue.split(";"));
  }

  private static AuthParameters fromHeader(
      String header, SignedRequest request, List<QueryParameter> query) {
    String trimmed = header.strip();
    int space = indexOfSeparator(trimmed, 0, false);
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    // After the algorithm, parameters are separated by commas and/or whitespace: DynamoDB reports
    // "Credential= AKID/..." as the pair 'AKID/...' missing its equal sign. A repeated name keeps
    // its last value.
    int pos = space < 0 ? trimmed.length() : space;
    while (pos < trimmed.length()) {
      int end = indexOfSeparator(trimmed, pos, true);
      if (end < 0) {
        end = trimmed.length();
      }
      if (end > pos) {
        String token = trimmed.substring(pos, end);
        int eq = token.indexOf('=');
        if (eq < 0) {
          throw AuthErrors.notKeyValuePair(token, header);
        }
        String value = token.substring(eq + 1);
        switch (token.substring(0, eq)) {
          case "Credential" -> credential = value;
          case "SignedHeaders" -> signedHeaders = value;
          case "Signature" -> signature = value;
          default -> {} // unknown parameters are ignored
        }
      }
      pos = end + 1;
    }
    String amzDate = request.firstHeader("X-Amz-Date");
    String httpDate = amzDate == null ? request.firstHeader("Date") : null;
    String date = amzDate != null ? amzDate : httpDate;
    requireAllPresent(header, credential, signature, signedHeaders, date);
    return new AuthParameters(
        algorithm, credential, signedHeaders, signature, date, httpDate != null, query, false);
  }

  /** Reports every missing parameter at once, in the order DynamoDB lists them. */
  private static void requireAllPresent(
      String header, String credential, String signature, String signedHeaders, String date) {
    StringBuilder missing = new StringBuilder();
    appendIfMissing(missing, credential, AuthErrors.REQUIRES_CREDENTIAL);
    appendIfMissing(missing, signature, AuthErrors.REQUIRES_SIGNATURE);
    appendIfMissing(missing, signedHeaders, AuthErrors.REQUIRES_SIGNED_HEADERS);
    appendIfMissing(missing, date, AuthErrors.REQUIRES_DATE);
    if (!missing.isEmpty()) {
      throw AuthErrors.incompleteHeader(missing.toString(), header);
    }
  }

  private static void appendIfMissing(StringBuilder missing, String value, String sentence) {
    if (value == null) {
      if (!missing.isEmpty()) {
        missing.append(' ');
      }
      missing.append(sentence);
    }
  }

  private static AuthParameters fromQuery(List<QueryParameter> query, String algorithm) {
    // Any other algorithm means "not SigV4 query authentication": scratchstack's reading of AWS.
    if (!algorithm.equals(ALGORITHM)) {
      throw AuthErrors.missingToken();
    }
    String credential = QueryParameter.first(query, "X-Amz-Credential");
    String signature = QueryParameter.first(query, "X-Amz-Signature");
    String signedHeaders = QueryParameter.first(query, "X-Amz-SignedHeaders");
    String date = QueryParameter.first(query, "X-Amz-Date");
    StringBuilder missing = new StringBuilder();
    if (credential == null) {
      missing.append(AuthErrors.queryRequires("X-Amz-Credential"));
    }
    if (signature == null) {
      missing.append(AuthErrors.queryRequires("X-Amz-Signature"));
    }
    if (signedHeaders == null) {
      missing.append(AuthErrors.queryRequires("X-Amz-SignedHeaders"));
    }
    if (date == null) {
      missing.append(AuthErrors.queryRequires("X-Amz-Date"));
    }
    if (!missing.isEmpty()) {
      throw AuthErrors.incompleteQuery(missing.toString());
    }
    return new AuthParameters(
        algorithm, credential, signedHeaders, signature, date, false, query, true);
  }

  /** Index of the next space or tab (and comma, if asked) at or after {@code from}, or -1. */
  private static int indexOfSeparator(String s, int from, boolean commaToo) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || (commaToo && c == ',')) {
        return i;
      }
    }
    return -1;
  }
}
