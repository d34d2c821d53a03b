package io.flywheel.httpapi.auth;

import static io.flywheel.httpapi.auth.AwsSdkSigning.ACCESS_KEY;
import static io.flywheel.httpapi.auth.AwsSdkSigning.ACCOUNT;
import static io.flywheel.httpapi.auth.AwsSdkSigning.SECRET;
import static io.flywheel.httpapi.auth.AwsSdkSigning.SIGNING_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import io.flywheel.base.ManualClock;
import io.flywheel.httpapi.auth.AwsSdkSigning.Spec;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The verifier against requests signed by the real AWS SDK for Java v2 signer. */
class SigV4VerifierTest {
  private static final String MISMATCH = AuthErrors.SIGNATURE_MISMATCH;

  private final ManualClock clock = new ManualClock(SIGNING_TIME.toEpochMilli());
  private final SigV4Verifier verifier =
      new SigV4Verifier(
          StaticCredentialStore.of(new Credential(ACCESS_KEY, SECRET, ACCOUNT)),
          clock,
          "us-east-1");

  private static final SignedRequest GET_ITEM = Spec.getItem().sign();

  @Nested
  class Accepts {
    @Test
    void aGetItemSignedByTheAwsSdk() {
      assertThat(GET_ITEM.firstHeader("Authorization")).contains("SignedHeaders=").contains("host");

      assertThat(verifier.verify(GET_ITEM))
          .isEqualTo(new Principal(ACCESS_KEY, "us-east-1", ACCOUNT));
      assertThat(verifier.isOpenMode()).isFalse();
    }

    @Test
    void changesToHeadersThatWereNotSigned() {
      SignedRequest request =
          withHeader(
              withHeader(GET_ITEM, "User-Agent", "something else"), "X-Amzn-Trace-Id", "Root=1");

      assertThat(verifier.verify(request).accountId()).isEqualTo(ACCOUNT);
    }

    @Test
    void headerNamesInAnyCase() {
      // HTTP/2 and some proxies lower-case every header name.
      List<Map.Entry<String, String>> lower = new ArrayList<>();
      GET_ITEM.headers().forEach(h -> lower.add(Map.entry(h.getKey().toLowerCase(), h.getValue())));

      assertThat(verifier.verify(copy(GET_ITEM, lower, GET_ITEM.body())).accessKeyId())
          .isEqualTo(ACCESS_KEY);
    }

    @Test
    void aSignatureExactlyFifteenMinutesOldOrEarly() {
      clock.advanceMillis(Duration.ofMinutes(15).toMillis());
      assertThat(verifier.verify(GET_ITEM).accessKeyId()).isEqualTo(ACCESS_KEY);

      SignedRequest early =
          Spec.getItem().withSigningTime(SIGNING_TIME.plus(Duration.ofMinutes(30))).sign();
      assertThat(verifier.verify(early).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void anyRegionWhenNoneIsConfigured() {
      SigV4Verifier anyRegion =
          new SigV4Verifier(StaticCredentialStore.of(credential()), clock, null);

      Principal principal = anyRegion.verify(Spec.getItem().withRegion("eu-west-3").sign());

      assertThat(principal.region()).isEqualTo("eu-west-3");
    }

    @Test
    void pathsAndQueriesThatNeedCanonicalising() {
      // The SDK signs /a%2520b/d: normalised, then encoded twice. The wire carries /a%20b/./c/../d.
      SignedRequest request =
          Spec.getItem().withPathAndQuery("/a%20b/./c/../d?b=2&a=1&a=0&c=x%20y&flag").sign();
      assertThat(request.rawPath()).isEqualTo("/a%20b/./c/../d");

      assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
      assertThat(verifier.verify(Spec.getItem().withPathAndQuery("//x//y/").sign()).accessKeyId())
          .isEqualTo(ACCESS_KEY);
    }

    @Test
    void aCredentialWithATrailingSlash() {
      SignedRequest request =
          editAuthorization(GET_ITEM, a -> a.replace("/aws4_request,", "/aws4_request/,"));

      assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void anXAmzContentSha256ThatMatchesTheBody() {
      String hash = SigV4Crypto.sha256Hex(GET_ITEM.body());

      SignedRequest request = withHeader(GET_ITEM, "x-amz-content-sha256", hash);

      assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void anUnsignedPayloadWhenTheClientSignedItSo() {
      // Signed by hand, with every intermediate value spelled out, since the SDK signs DynamoDB
      // bodies. The body is then not covered by the signature: that was the client's choice.
      String canonical =
          "POST\n/\n\nhost:localhost:8000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
              + "x-amz-date:20240315T102030Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
              + "UNSIGNED-PAYLOAD";
      String stringToSign =
          "AWS4-HMAC-SHA256\n20240315T102030Z\n20240315/us-east-1/dynamodb/aws4_request\n"
              + SigV4Crypto.sha256Hex(canonical);
      String signature =
          Bytes.hex(
              SigV4Crypto.hmac(
                  SigningKeyCache.derive(SECRET, "20240315", "us-east-1", "dynamodb"),
                  stringToSign));
      SignedRequest request =
          new SignedRequest(
              "POST",
              "/",
              "",
              List.of(
                  Map.entry("Host", "localhost:8000"),
                  Map.entry("X-Amz-Date", "20240315T102030Z"),
                  Map.entry("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                  Map.entry(
                      "Authorization",
                      "AWS4-HMAC-SHA256 Credential="
                          + ACCESS_KEY
                          + "/20240315/us-east-1/dynamodb/aws4_request, "
                          + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                          + signature)),
              "{\"anything\":1}".getBytes(StandardCharsets.UTF_8));

      assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void xAmzDateOverADateHeader() {
      SignedRequest request = withHeader(GET_ITEM, "Date", "Fri, 01 Jan 2021 00:00:00 GMT");

      assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void aPresignedRequest() {
      SignedRequest presigned = Spec.getItem().presigned().sign();
      assertThat(presigned.firstHeader("Authorization")).isNull();
      assertThat(presigned.rawQuery()).contains("X-Amz-Signature=");

      assertThat(verifier.verify(presigned))
          .isEqualTo(new Principal(ACCESS_KEY, "us-east-1", ACCOUNT));
    }
  }

  @Nested
  class RejectsTampering {
    @Test
    void ofTheBody() {
      // The SDK signs x-amz-content-sha256 rather than hashing the body into the canonical request
      // itself, so this passes only because the verifier checks that header against the body.
      assertThat(GET_ITEM.firstHeader("Authorization")).contains("x-amz-content-sha256");
      SignedRequest request =
          copy(
              GET_ITEM,
              GET_ITEM.headers(),
              "{\"TableName\":\"Other\"}".getBytes(StandardCharsets.UTF_8));

      assertRejected(request, ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void ofASignedHeader() {
      SignedRequest request = withHeader(GET_ITEM, "X-Amz-Target", "DynamoDB_20120810.DeleteItem");

      assertRejected(request, ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void ofTheHost() {
      assertRejected(
          withHeader(GET_ITEM, "Host", "evil.example:8000"), ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void ofThePathOrTheQuery() {
      assertRejected(
          new SignedRequest("POST", "/other", "", GET_ITEM.headers(), GET_ITEM.body()),
          ErrorCode.INVALID_SIGNATURE,
          MISMATCH);
      assertRejected(
          new SignedRequest("POST", "/", "a=1", GET_ITEM.headers(), GET_ITEM.body()),
          ErrorCode.INVALID_SIGNATURE,
          MISMATCH);
    }

    @Test
    void ofThePresignedQuery() {
      SignedRequest presigned = Spec.getItem().presigned().sign();
      SignedRequest request =
          new SignedRequest(
              "POST",
              "/",
              presigned.rawQuery().replace("X-Amz-Expires=300", "X-Amz-Expires=3000"),
              presigned.headers(),
              presigned.body());

      assertRejected(request, ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void ofTheDate() {
      // Within the 15-minute window, but no longer what was signed.
      SignedRequest request = withHeader(GET_ITEM, "X-Amz-Date", "20240315T102031Z");

      assertRejected(request, ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void viaAnXAmzContentSha256ThatDoesNotMatchTheBody() {
      String otherHash = SigV4Crypto.sha256Hex("other body");

      assertRejected(
          withHeader(GET_ITEM, "x-amz-content-sha256", otherHash),
          ErrorCode.INVALID_SIGNATURE,
          MISMATCH);
    }
  }

  @Nested
  class RejectsCredentials {
    @Test
    void withAnUnknownAccessKey() {
      SignedRequest request = Spec.getItem().withKeys("AKIAUNKNOWN", SECRET).sign();

      assertRejected(
          request,
          ErrorCode.UNRECOGNIZED_CLIENT,
          "The security token included in the request is invalid.");
    }

    @Test
    void signedWithTheWrongSecret() {
      SignedRequest request = Spec.getItem().withKeys(ACCESS_KEY, SECRET + "x").sign();

      assertRejected(request, ErrorCode.INVALID_SIGNATURE, MISMATCH);
    }

    @Test
    void scopedToAnotherRegion() {
      SignedRequest request = Spec.getItem().withRegion("us-west-2").sign();

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Credential should be scoped to a valid region, not 'us-west-2'. ");
    }

    @Test
    void scopedToAnotherService() {
      SignedRequest request = Spec.getItem().withService("dynamo").sign();

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Credential should be scoped to correct service: 'dynamodb'. ");
    }

    @Test
    void scopedToAnotherDate() {
      SignedRequest request =
          editAuthorization(GET_ITEM, a -> a.replace("/20240315/", "/20240314/"));

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '20240314' != '20240315', from '20240315T102030Z'.");
    }

    @Test
    void withEveryScopeProblemInOneMessage() {
      // The combination dynalite recorded from DynamoDB, in the same order.
      SignedRequest request =
          editAuthorization(
              GET_ITEM,
              a ->
                  a.replace(ACCESS_KEY + "/20240315/us-east-1/dynamodb/aws4_request", "a/b/c/d/e"));

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Credential should be scoped to a valid region, not 'c'. "
              + "Credential should be scoped to correct service: 'dynamodb'. "
              + "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. "
              + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
              + " from HTTP: 'b' != '20240315', from '20240315T102030Z'.");
    }

    @Test
    void signedTooLongAgo() {
      clock.advanceMillis(Duration.ofMinutes(15).plusSeconds(1).toMillis());

      assertRejected(
          GET_ITEM,
          ErrorCode.INVALID_SIGNATURE,
          "Signature expired: 20240315T102030Z is now earlier than 20240315T102031Z"
              + " (20240315T103531Z - 15 min.)");
    }

    @Test
    void signedInTheFuture() {
      SignedRequest request =
          Spec.getItem()
              .withSigningTime(SIGNING_TIME.plus(Duration.ofMinutes(15).plusSeconds(1)))
              .sign();

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Signature not yet current: 20240315T103531Z is still later than 20240315T103530Z"
              + " (20240315T102030Z + 15 min.)");
    }
  }

  @Nested
  class RejectsMalformedAuthentication {
    @Test
    void missingAuthorization() {
      assertRejected(
          withoutHeader(GET_ITEM, "Authorization"),
          ErrorCode.MISSING_AUTHENTICATION_TOKEN,
          "Request is missing Authentication Token");
    }

    @Test
    void authorizationThatIsNotSigV4() {
      for (String value : List.of("AWS4", "Bearer abc", "AWS AKIA:sig", "")) {
        assertRejected(
            withHeader(GET_ITEM, "Authorization", value),
            ErrorCode.MISSING_AUTHENTICATION_TOKEN,
            "Request is missing Authentication Token");
      }
    }

    @Test
    void aBareAws4DashWithoutDate() {
      // The exact response dynalite's connection test recorded from DynamoDB.
      SignedRequest request =
          withHeader(withoutHeader(GET_ITEM, "X-Amz-Date"), "Authorization", "AWS4-");

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Authorization header requires 'Credential' parameter. "
              + "Authorization header requires 'Signature' parameter. "
              + "Authorization header requires 'SignedHeaders' parameter. "
              + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date'"
              + " header. Authorization=AWS4-");
    }

    @Test
    void noDateAtAll() {
      SignedRequest request = withoutHeader(GET_ITEM, "X-Amz-Date");

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
              + " Authorization="
              + GET_ITEM.firstHeader("Authorization"));
    }

    @Test
    void onlyTheSignatureMissing() {
      SignedRequest request =
          editAuthorization(GET_ITEM, a -> a.substring(0, a.indexOf(", Signature=")));

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Authorization header requires 'Signature' parameter. Authorization="
              + request.firstHeader("Authorization"));
    }

    @Test
    void aParameterWithoutEqualSign() {
      SignedRequest request =
          editAuthorization(GET_ITEM, a -> a.replace("Credential=", "Credential= "));
      String header = request.firstHeader("Authorization");

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "'"
              + ACCESS_KEY
              + "/20240315/us-east-1/dynamodb/aws4_request' not a valid key=value pair"
              + " (missing equal-sign) in Authorization header: '"
              + header
              + "'.");
    }

    @Test
    void anUnsupportedAlgorithm() {
      SignedRequest request =
          editAuthorization(GET_ITEM, a -> a.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA25"));

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
    }

    @Test
    void aCredentialOfFourElements() {
      SignedRequest request = editAuthorization(GET_ITEM, a -> a.replace("/aws4_request", ""));

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Credential must have exactly 5 slash-delimited elements, e.g."
              + " keyid/date/region/service/term, got '"
              + ACCESS_KEY
              + "/20240315/us-east-1/dynamodb'");
    }

    @Test
    void aSignatureThatDoesNotCoverHost() {
      SignedRequest request =
          editAuthorization(
              GET_ITEM, a -> a.replaceFirst("SignedHeaders=[^,]*", "SignedHeaders=x-amz-date"));

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void aDateNotInIsoBasicFormat() {
      SignedRequest request = withHeader(GET_ITEM, "X-Amz-Date", "2024-03-15T10:20:30Z");

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Date must be in ISO-8601 'basic format'. Got '2024-03-15T10:20:30Z'."
              + " See http://en.wikipedia.org/wiki/ISO_8601");
    }

    @Test
    void bothHeaderAndQueryAuthentication() {
      SignedRequest presigned = Spec.getItem().presigned().sign();
      SignedRequest request =
          new SignedRequest("POST", "/", presigned.rawQuery(), GET_ITEM.headers(), GET_ITEM.body());

      assertRejected(
          request,
          ErrorCode.INVALID_SIGNATURE,
          "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP"
              + " header.");
    }

    @Test
    void aPresignedQueryMissingParameters() {
      SignedRequest request =
          new SignedRequest(
              "POST",
              "/",
              "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240315T102030Z",
              withoutHeader(GET_ITEM, "Authorization").headers(),
              GET_ITEM.body());

      assertRejected(
          request,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "AWS query-string parameters must include 'X-Amz-Credential'. "
              + "AWS query-string parameters must include 'X-Amz-Signature'. "
              + "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
              + "Re-examine the query-string parameters.");
    }

    @Test
    void aPresignedQueryWithAnotherAlgorithm() {
      SignedRequest request =
          new SignedRequest(
              "POST",
              "/",
              "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256",
              withoutHeader(GET_ITEM, "Authorization").headers(),
              GET_ITEM.body());

      assertRejected(
          request,
          ErrorCode.MISSING_AUTHENTICATION_TOKEN,
          "Request is missing Authentication Token");
    }
  }

  @Nested
  class OpenMode {
    private final SigV4Verifier open =
        new SigV4Verifier(StaticCredentialStore.empty(), clock, null);

    @Test
    void acceptsAnyKeyAndAnySignature() {
      SignedRequest request =
          editAuthorization(
              Spec.getItem().withKeys("anyone", "anything").withRegion("local").sign(),
              a -> a.replaceFirst("Signature=[0-9a-f]+", "Signature=0"));

      assertThat(open.isOpenMode()).isTrue();
      assertThat(open.verify(request)).isEqualTo(new Principal("anyone", "local", "000000000000"));
    }

    @Test
    void ignoresTheClock() {
      clock.advanceMillis(Duration.ofDays(400).toMillis());

      assertThat(open.verify(GET_ITEM).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void stillRejectsMalformedAuthentication() {
      SignedRequest noSignature =
          editAuthorization(GET_ITEM, a -> a.substring(0, a.indexOf(", Signature=")));

      assertRejected(
          open,
          withoutHeader(GET_ITEM, "Authorization"),
          ErrorCode.MISSING_AUTHENTICATION_TOKEN,
          "Request is missing Authentication Token");
      assertRejected(
          open,
          noSignature,
          ErrorCode.INCOMPLETE_SIGNATURE,
          "Authorization header requires 'Signature' parameter. Authorization="
              + noSignature.firstHeader("Authorization"));
      assertRejected(
          open,
          Spec.getItem().withService("dynamo").sign(),
          ErrorCode.INVALID_SIGNATURE,
          "Credential should be scoped to correct service: 'dynamodb'. ");
    }

    @Test
    void stillChecksAConfiguredRegion() {
      SigV4Verifier openInRegion =
          new SigV4Verifier(StaticCredentialStore.empty(), clock, "us-east-1");

      assertRejected(
          openInRegion,
          Spec.getItem().withRegion("us-west-2").sign(),
          ErrorCode.INVALID_SIGNATURE,
          "Credential should be scoped to a valid region, not 'us-west-2'. ");
    }
  }

  @Test
  void verifiesConcurrently() throws Exception {
    List<SignedRequest> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(Spec.getItem().withPathAndQuery("/?n=" + i).sign());
    }
    SignedRequest forged = withHeader(requests.get(0), "X-Amz-Target", "DynamoDB_20120810.Scan");
    int threads = 8;
    int rounds = 100;
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int r = 0; r < rounds; r++) {
                      verifier.verify(requests.get(r % requests.size()));
                      accepted.incrementAndGet();
                      try {
                        verifier.verify(forged);
                      } catch (DynamoException e) {
                        rejected.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(accepted.get()).isEqualTo(threads * rounds);
    assertThat(rejected.get()).isEqualTo(threads * rounds);
  }

  // --- helpers ---

  private void assertRejected(SignedRequest request, ErrorCode code, String message) {
    assertRejected(verifier, request, code, message);
  }

  private static void assertRejected(
      SigV4Verifier verifier, SignedRequest request, ErrorCode code, String message) {
    assertThatThrownBy(() -> verifier.verify(request))
        .isInstanceOfSatisfying(
            DynamoException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  private static Credential credential() {
    return new Credential(ACCESS_KEY, SECRET, ACCOUNT);
  }

  private static SignedRequest copy(
      SignedRequest request, List<Map.Entry<String, String>> headers, byte[] body) {
    return new SignedRequest(
        request.method(), request.rawPath(), request.rawQuery(), headers, body);
  }

  /** Replaces every header called {@code name}, or adds one. */
  static SignedRequest withHeader(SignedRequest request, String name, String value) {
    List<Map.Entry<String, String>> headers =
        new ArrayList<>(withoutHeader(request, name).headers());
    headers.add(Map.entry(name, value));
    return copy(request, headers, request.body());
  }

  static SignedRequest withoutHeader(SignedRequest request, String name) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      if (!h.getKey().equalsIgnoreCase(name)) {
        headers.add(h);
      }
    }
    return copy(request, headers, request.body());
  }

  private static SignedRequest editAuthorization(
      SignedRequest request, UnaryOperator<String> edit) {
    String edited = edit.apply(request.firstHeader("Authorization"));
    assertThat(edited).isNotEqualTo(request.firstHeader("Authorization"));
    return withHeader(request, "Authorization", edited);
  }
}
