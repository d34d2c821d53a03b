package io.flywheel.httpapi.auth;

/**
 * The Credential parameter, {@code keyid/yyyyMMdd/region/service/aws4_request}, split up.
 *
 * @param accessKeyId which secret signed the request
 * @param date the scope date, {@code yyyyMMdd}, which must be the request's UTC date
 * @param region the region the client signed for
 * @param service the service the client signed for
 * @param terminator always {@code aws4_request} in a valid request
 */
record CredentialScope(
    String accessKeyId, String date, String region, String service, String terminator) {

  /**
   * Splits at {@code /}. Trailing empty elements are dropped first ({@code a/b/c/d/e/} has five
   * elements), which matches DynamoDB's "trailing slashes are ignored" recorded by dynalite.
   *
   * @throws io.flywheel.model.DynamoException IncompleteSignature unless there are exactly five
   */
  static CredentialScope parse(String credential) {
    // String.split with a one-character, non-regex separator takes a fast path without regex, and
    // drops trailing empty strings: exactly the behaviour wanted.
    String[] parts = credential.split("/");
    if (parts.length != 5) {
      throw AuthErrors.badCredentialShape(credential);
    }
    return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
  }

  /** The scope as it appears in the string to sign: everything after the access key id. */
  String scopeString() {
    return date + '/' + region + '/' + service + '/' + terminator;
  }
}
