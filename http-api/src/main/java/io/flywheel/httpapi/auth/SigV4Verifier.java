package io.flywheel.httpapi.auth;

import io.flywheel.base.Bytes;
import io.flywheel.base.Clock;
import io.flywheel.model.DynamoException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 requests the way DynamoDB does, with DynamoDB's error types and
 * messages, checked in DynamoDB's order:
 *
 * <ol>
 *   <li>Authorization header and presigned query parameters both present: InvalidSignature.
 *   <li>Neither, or a header not starting with {@code AWS4-}: MissingAuthenticationToken.
 *   <li>Header parameters not in key=value form; Credential, Signature, SignedHeaders or a date
 *       ({@code X-Amz-Date}, else {@code Date}) missing: IncompleteSignature.
 *   <li>Date not in ISO 8601 basic format: IncompleteSignature.
 *   <li>Date more than 15 minutes from the clock, either way: InvalidSignature.
 *   <li>{@code host} (or {@code :authority}) not among the signed headers: InvalidSignature.
 *   <li>Algorithm other than {@code AWS4-HMAC-SHA256}; Credential not of five elements:
 *       IncompleteSignature.
 *   <li>Scope naming another region, another service, a bad terminator or another date than the
 *       request's: InvalidSignature, all problems in one message.
 *   <li>Unknown access key id: UnrecognizedClient.
 *   <li>Signature (or {@code x-amz-content-sha256} versus the body) mismatch: InvalidSignature.
 * </ol>
 *
 * <p>The order and texts come from responses of the live service (see {@link AuthErrors}).
 *
 * <p><b>Open mode.</b> A verifier over an empty {@link CredentialStore} accepts any access key and
 * any signature, like DynamoDB Local, and reports account {@value #OPEN_MODE_ACCOUNT_ID}. It still
 * performs steps 1-4 and 6-8, because every SigV4 client passes them and a request that fails them
 * would also fail against DynamoDB: catching that locally is the point of a faithful emulator. It
 * skips the clock check (step 5), because local test setups often sign with a fixed or skewed
 * clock, and skips steps 9-10, which need secrets. The mode is fixed at construction, so that a
 * store that is briefly empty while it reloads cannot open a verifying server.
 *
 * <p><b>Deliberate differences.</b> {@code X-Amz-Security-Token} is not checked: the store holds
 * long-term keys only, so a session token has nothing to be checked against. A presigned request is
 * held to the same 15-minute window as a header-signed one and its {@code X-Amz-Expires} is not
 * consulted; STS and other non-S3 services behave the same way (aws/aws-sdk-go #2167,
 * kubernetes-sigs/aws-iam-authenticator #160). An {@code x-amz-content-sha256} header is used as
 * the payload hash only after checking it against the body; {@code UNSIGNED-PAYLOAD} is honoured
 * (the client chose not to protect the body).
 *
 * <p>Thread-safe. Signing keys are cached (see {@link SigningKeyCache}); the clock is read once per
 * request and never replaced by the system clock.
 */
public final class SigV4Verifier {
  /** The account every open-mode request acts for, as in DynamoDB Local. */
  public static final String OPEN_MODE_ACCOUNT_ID = "000000000000";

  static final String DYNAMODB_SERVICE = "dynamodb";
  static final long MAX_SKEW_MILLIS = 15 * 60 * 1000L;
  private static final String TERMINATOR = "aws4_request";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private final CredentialStore credentials;
  private final Clock clock;
  private final String region;
  private final String service;
  private final boolean openMode;
  private final SigningKeyCache signingKeys = new SigningKeyCache(SigningKeyCache.DEFAULT_CAPACITY);

  /**
   * @param credentials the keys to accept; empty means open mode
   * @param clock wall time for the 15-minute window
   * @param region the region requests must be scoped to, or {@code null} to accept any
   */
  public SigV4Verifier(CredentialStore credentials, Clock clock, String region) {
    this(credentials, clock, region, DYNAMODB_SERVICE);
  }

  /** With another service name: for the AWS test suite, whose requests are scoped to "service". */
  SigV4Verifier(CredentialStore credentials, Clock clock, String region, String service) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.region = region;
    this.service = Objects.requireNonNull(service, "service");
    this.openMode = credentials.isEmpty();
  }

  /** Whether any well-formed signature is accepted (see the class comment). */
  public boolean isOpenMode() {
    return openMode;
  }

  /**
   * @return who signed the request
   * @throws DynamoException with DynamoDB's error type and message if the request is not acceptably
   *     signed
   */
  public Principal verify(SignedRequest request) {
    AuthParameters auth = AuthParameters.extract(request);
    Instant requestTime = parseDate(auth);
    String isoTime = auth.dateIsHttpDate() ? AmzDates.formatIsoBasic(requestTime) : auth.date();
    if (!openMode) {
      checkClockSkew(requestTime, isoTime);
    }
    List<String> signedHeaders = auth.signedHeaders();
    requireHostSigned(signedHeaders);
    if (!auth.algorithm().equals(AuthParameters.ALGORITHM)) {
      throw AuthErrors.unsupportedAlgorithm(auth.algorithm());
    }
    CredentialScope scope = CredentialScope.parse(auth.credential());
    checkScope(scope, isoTime);
    if (openMode) {
      return new Principal(scope.accessKeyId(), scope.region(), OPEN_MODE_ACCOUNT_ID);
    }
    Credential credential =
        credentials.lookup(scope.accessKeyId()).orElseThrow(AuthErrors::unrecognizedClient);
    checkSignature(request, auth, signedHeaders, scope, isoTime, credential);
    return new Principal(scope.accessKeyId(), scope.region(), credential.accountId());
  }

  private static Instant parseDate(AuthParameters auth) {
    Instant t =
        auth.dateIsHttpDate()
            ? AmzDates.parseDateHeader(auth.date())
            : AmzDates.parseIsoBasic(auth.date());
    if (t == null) {
      throw AuthErrors.badDateFormat(auth.date());
    }
    return t;
  }

  private void checkClockSkew(Instant requestTime, String isoTime) {
    long now = clock.wallMillis();
    long requestMillis = requestTime.toEpochMilli();
    if (requestMillis < now - MAX_SKEW_MILLIS) {
      throw AuthErrors.signatureExpired(isoTime, iso(now - MAX_SKEW_MILLIS), iso(now));
    }
    if (requestMillis > now + MAX_SKEW_MILLIS) {
      throw AuthErrors.signatureNotYetCurrent(isoTime, iso(now + MAX_SKEW_MILLIS), iso(now));
    }
  }

  private static String iso(long epochMillis) {
    return AmzDates.formatIsoBasic(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Signing the host binds the signature to one endpoint. DynamoDB matches the names without regard
   * to case (dynalite).
   */
  private static void requireHostSigned(List<String> signedHeaders) {
    for (String name : signedHeaders) {
      if (name.equalsIgnoreCase("host") || name.equals(":authority")) {
        return;
      }
    }
    throw AuthErrors.hostNotSigned();
  }

  /** Collects every scope problem into one message, in DynamoDB's order. Names match exactly. */
  private void checkScope(CredentialScope scope, String isoTime) {
    StringBuilder problems = new StringBuilder();
    if (region != null && !region.equals(scope.region())) {
      problems.append(AuthErrors.wrongRegion(scope.region()));
    }
    if (!service.equals(scope.service())) {
      problems.append(AuthErrors.wrongService(service));
    }
    if (!TERMINATOR.equals(scope.terminator())) {
      problems.append(AuthErrors.wrongTerminator(scope.terminator()));
    }
    String requestDate = isoTime.substring(0, 8);
    if (!requestDate.equals(scope.date())) {
      problems.append(AuthErrors.wrongScopeDate(scope.date(), requestDate, isoTime));
    }
    if (!problems.isEmpty()) {
      throw AuthErrors.invalidSignature(problems.toString());
    }
  }

  private void checkSignature(
      SignedRequest request,
      AuthParameters auth,
      List<String> signedHeaders,
      CredentialScope scope,
      String isoTime,
      Credential credential) {
    String canonicalRequest =
        CanonicalRequest.build(
            request,
            auth.query(),
            auth.presigned(),
            signedHeaders,
            auth.signedHeadersValue(),
            payloadHash(request));
    String stringToSign =
        AuthParameters.ALGORITHM
            + '\n'
            + isoTime
            + '\n'
            + scope.scopeString()
            + '\n'
            + SigV4Crypto.sha256Hex(canonicalRequest);
    SecretKeySpec key =
        signingKeys.get(
            credential.secretAccessKey(), scope.date(), scope.region(), scope.service());
    String expected = Bytes.hex(SigV4Crypto.hmac(key, stringToSign));
    // Constant-time comparison: timing must not reveal how much of a forged signature was right.
    boolean matches =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            auth.signature().getBytes(StandardCharsets.UTF_8));
    if (!matches) {
      throw AuthErrors.signatureMismatch();
    }
  }

  /**
   * The hashed payload: SHA-256 of the body, or the client's {@code x-amz-content-sha256} when it
   * sent one. A hash that disagrees with the body means the body was changed after signing; it is
   * reported as a signature mismatch, which from the client's side it is.
   */
  private static String payloadHash(SignedRequest request) {
    String declared = request.firstHeader("x-amz-content-sha256");
    if (declared != null && declared.equals(UNSIGNED_PAYLOAD)) {
      return declared;
    }
    String actual = SigV4Crypto.sha256Hex(request.body());
    if (declared == null) {
      return actual;
    }
    if (!declared.equalsIgnoreCase(actual)) {
      throw AuthErrors.signatureMismatch();
    }
    return declared;
  }
}
