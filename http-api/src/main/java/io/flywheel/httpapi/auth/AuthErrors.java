package io.flywheel.httpapi.auth;

import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;

/**
 * Every authentication error the verifier can raise, with DynamoDB's error type and message text.
 * Kept in one place so that the wording, which clients and tests match on, is reviewed together.
 *
 * <p>Sources. "Recorded" means the text was captured from a response of the real DynamoDB service:
 *
 * <ul>
 *   <li>[dynalite] architect/dynalite {@code index.js} (at commit c2ffde1e; its comments list real
 *       DynamoDB responses in the order DynamoDB checks them) and {@code test/connection.js}
 *       (assertions that were run against the live service).
 *   <li>[php-2469] aws/aws-sdk-php issue #2469 (2022): a live DynamoDB GetItem response.
 *   <li>[ios-111] awslabs/aws-sdk-ios-samples issue #111: a live DynamoDB response with its {@code
 *       __type}.
 *   <li>[sdkjs-254], [sdkjs-2565]: aws/aws-sdk-js issues #254 and #2565, live DynamoDB clock-skew
 *       responses.
 *   <li>[scratchstack] scratchstack-aws-signature, an independent re-implementation of AWS's
 *       server-side checks; used only where no live response was found.
 * </ul>
 */
final class AuthErrors {
  /** Recorded: [ios-111], [dynalite] test/connection.js. DynamoDB Local says something else. */
  static final String MISSING_TOKEN = "Request is missing Authentication Token";

  /** Recorded: many live DynamoDB responses, e.g. yegor256/s3auth issue #237, [dynalite]. */
  static final String UNRECOGNIZED_CLIENT =
      "The security token included in the request is invalid.";

  /**
   * Recorded: ionic-team/starters issue #48 (2018) shows that the live service no longer appends
   * the canonical request and string-to-sign that [dynalite] recorded in 2013.
   */
  static final String SIGNATURE_MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  /** Recorded: [php-2469] (DynamoDB, 2022); older responses said only 'Host'. */
  static final String HOST_NOT_SIGNED =
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

  /** Recorded: [dynalite] test/connection.js; the pieces are joined by single spaces. */
  static final String REQUIRES_CREDENTIAL = "Authorization header requires 'Credential' parameter.";

  static final String REQUIRES_SIGNATURE = "Authorization header requires 'Signature' parameter.";
  static final String REQUIRES_SIGNED_HEADERS =
      "Authorization header requires 'SignedHeaders' parameter.";
  static final String REQUIRES_DATE =
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

  private AuthErrors() {}

  static DynamoException missingToken() {
    return new DynamoException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, MISSING_TOKEN);
  }

  static DynamoException unrecognizedClient() {
    return new DynamoException(ErrorCode.UNRECOGNIZED_CLIENT, UNRECOGNIZED_CLIENT);
  }

  static DynamoException signatureMismatch() {
    return invalidSignature(SIGNATURE_MISMATCH);
  }

  static DynamoException hostNotSigned() {
    return invalidSignature(HOST_NOT_SIGNED);
  }

  /**
   * Recorded: [dynalite] index.js (its author's TODO notes that DynamoDB checks the key=value form
   * before anything else); live responses in iann0036/cloud9-sync #10 and
   * awslabs/fhir-works-on-aws-deployment #379 show tokens split at commas and spaces, and the
   * message ending in {@code '.}.
   */
  static DynamoException notKeyValuePair(String token, String header) {
    return incomplete(
        "'"
            + token
            + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
            + header
            + "'.");
  }

  /**
   * {@code missing} is the space-joined list of "requires" sentences. Recorded: [dynalite]
   * test/connection.js ends with {@code Authorization=AWS4-}; CloudFront and SES responses in
   * aws-sdk-ruby #317 and amazonka #316 show the whole header value after {@code Authorization=}.
   */
  static DynamoException incompleteHeader(String missing, String header) {
    return incomplete(missing + " Authorization=" + header);
  }

  /**
   * Query-string (presigned) form. Not seen in a live response: text from [dynalite] index.js and
   * [scratchstack], which agree.
   */
  static DynamoException incompleteQuery(String missing) {
    return incomplete(missing + "Re-examine the query-string parameters.");
  }

  static String queryRequires(String parameter) {
    return "AWS query-string parameters must include '" + parameter + "'. ";
  }

  /** Not seen in a live response: text from [dynalite] index.js. */
  static DynamoException foundBoth() {
    return invalidSignature(
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }

  /** Recorded: [dynalite] index.js, including the trailing space. */
  static DynamoException unsupportedAlgorithm(String algorithm) {
    return incomplete(
        "Unsupported AWS 'algorithm': '" + algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
  }

  /** Recorded: [dynalite] index.js. */
  static DynamoException badDateFormat(String value) {
    return incomplete(
        "Date must be in ISO-8601 'basic format'. Got '"
            + value
            + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  /** Recorded: [dynalite] index.js. */
  static DynamoException badCredentialShape(String credential) {
    return incomplete(
        "Credential must have exactly 5 slash-delimited elements, e.g."
            + " keyid/date/region/service/term, got '"
            + credential
            + "'");
  }

  /**
   * Recorded: [sdkjs-254] and dynamic-dynamodb #118 (live DynamoDB): {@code Signature expired:
   * 20140325T143453Z is now earlier than 20140325T143751Z (20140325T145251Z - 15 min.)}.
   */
  static DynamoException signatureExpired(String requestTime, String earliest, String now) {
    return invalidSignature(
        "Signature expired: "
            + requestTime
            + " is now earlier than "
            + earliest
            + " ("
            + now
            + " - 15 min.)");
  }

  /**
   * Recorded: [sdkjs-2565] (live DynamoDB): {@code Signature not yet current: 20190305T002809Z is
   * still later than 20190304T214315Z (20190304T212815Z + 15 min.)}.
   */
  static DynamoException signatureNotYetCurrent(String requestTime, String latest, String now) {
    return invalidSignature(
        "Signature not yet current: "
            + requestTime
            + " is still later than "
            + latest
            + " ("
            + now
            + " + 15 min.)");
  }

  // The credential-scope sentences below are concatenated into one message in this order (region,
  // service, terminator, date), as [dynalite] recorded. Each of the first three ends with ". ", the
  // trailing space included: an OpenSearch response in joona/aws-es-curl #15 reads
  // "Credential should be scoped to a valid region, not 'eu-west-1'. ". The date sentence ends with
  // a bare period, as [dynalite] recorded it last in the message.

  static String wrongRegion(String region) {
    return "Credential should be scoped to a valid region, not '" + region + "'. ";
  }

  static String wrongService(String expected) {
    return "Credential should be scoped to correct service: '" + expected + "'. ";
  }

  static String wrongTerminator(String terminator) {
    return "Credential should be scoped with a valid terminator: 'aws4_request', not '"
        + terminator
        + "'. ";
  }

  static String wrongScopeDate(String scopeDate, String requestDate, String requestTime) {
    return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
        + " HTTP: '"
        + scopeDate
        + "' != '"
        + requestDate
        + "', from '"
        + requestTime
        + "'.";
  }

  static DynamoException invalidSignature(String message) {
    return new DynamoException(ErrorCode.INVALID_SIGNATURE, message);
  }

  private static DynamoException incomplete(String message) {
    return new DynamoException(ErrorCode.INCOMPLETE_SIGNATURE, message);
  }
}
