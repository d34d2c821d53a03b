package io.flywheel.httpapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.ManualClock;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vectors from the AWS SigV4 test suite, transcribed as data: each request was signed by AWS's
 * reference implementation, so the verifier must accept it unchanged and reject it with one
 * signature character changed.
 *
 * <p>Source: the suite as vendored in awslabs/aws-c-auth, {@code
 * tests/aws-signing-test-suite/v4/<name>/header-signed-request.txt} (the 2015 suite: key
 * AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z), plus {@code
 * tests/aws-sig-v4-test-suite/get-vanilla-with-session-token}; and the 2011 suite's get-vanilla
 * (service "host", HTTP {@code Date} header), whose signature many SigV4 libraries quote. Paths in
 * the suite are given unencoded ({@code /ሴ}), which is how they reach the verifier here.
 *
 * <p>Left out: get-header-value-multiline, whose expected canonical form joins obs-folded lines
 * with commas; how a folded header reaches the verifier is up to the HTTP layer (Netty joins the
 * lines with a space), so the vector says nothing about this class.
 */
class AwsSigV4TestSuiteTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String SCOPE_2015 = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
  private static final String DATE_2015 = "20150830T123600Z";
  private static final String HOST_2015 = "example.amazonaws.com";

  /** One signed request of the suite. Headers are name/value pairs in wire order. */
  record Vector(
      String name,
      String service,
      Instant time,
      String method,
      String rawPath,
      String rawQuery,
      List<String[]> headers,
      String body) {

    SignedRequest request() {
      List<Map.Entry<String, String>> entries = new ArrayList<>();
      for (String[] h : headers) {
        entries.add(Map.entry(h[0], h[1]));
      }
      return new SignedRequest(
          method, rawPath, rawQuery, entries, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same request with the last hex digit of its signature changed. */
    SignedRequest forged() {
      List<Map.Entry<String, String>> entries = new ArrayList<>();
      for (String[] h : headers) {
        String value = h[1];
        if (h[0].equals("Authorization")) {
          char last = value.charAt(value.length() - 1);
          value = value.substring(0, value.length() - 1) + (last == '0' ? '1' : '0');
        }
        entries.add(Map.entry(h[0], value));
      }
      return new SignedRequest(
          method, rawPath, rawQuery, entries, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Vector> vectors() {
    return Stream.of(
        get2015(
            "get-vanilla",
            "/",
            "",
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        get2015(
            "get-vanilla-query-order-key-case",
            "/",
            "Param2=value2&Param1=value1",
            "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        get2015(
            "get-vanilla-query-unreserved",
            "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                + "=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "host;x-amz-date",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        get2015(
            "get-vanilla-utf8-query",
            "/",
            "ሴ=bar",
            "host;x-amz-date",
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        get2015(
            "get-utf8",
            "/ሴ",
            "",
            "host;x-amz-date",
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        get2015(
            "get-space-normalized",
            "/example space/",
            "",
            "host;x-amz-date",
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        get2015(
            "get-slashes-normalized",
            "//example//",
            "",
            "host;x-amz-date",
            "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        get2015(
            "get-slash-pointless-dot-normalized",
            "/./example",
            "",
            "host;x-amz-date",
            "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        get2015(
            "get-relative-relative-normalized",
            "/example1/example2/../..",
            "",
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        get2015(
            "get-header-value-trim",
            "/",
            "",
            "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            h("My-Header1", " value1"),
            h("My-Header2", " \"a   b   c\"")),
        get2015(
            "get-header-key-duplicate",
            "/",
            "",
            "host;my-header1;x-amz-date",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            h("My-Header1", "value2"),
            h("My-Header1", "value2"),
            h("My-Header1", "value1")),
        get2015(
            "get-header-value-order",
            "/",
            "",
            "host;my-header1;x-amz-date",
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
            h("My-Header1", "value4"),
            h("My-Header1", "value1"),
            h("My-Header1", "value3"),
            h("My-Header1", "value2")),
        // The session token is sent but not signed; the verifier does not check tokens.
        get2015(
            "get-vanilla-with-session-token",
            "/",
            "",
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            h(
                "X-Amz-Security-Token",
                "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")),
        postFormUrlEncoded(),
        getVanilla2011());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void acceptsTheSuiteRequest(Vector vector) {
    Principal principal = verifier(vector).verify(vector.request());

    assertThat(principal.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(principal.region()).isEqualTo("us-east-1");
    assertThat(principal.accountId()).isEqualTo("111122223333");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsTheSuiteRequestWithAForgedSignature(Vector vector) {
    assertThatThrownBy(() -> verifier(vector).verify(vector.forged()))
        .isInstanceOfSatisfying(
            DynamoException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE);
              assertThat(e.getMessage()).isEqualTo(AuthErrors.SIGNATURE_MISMATCH);
            });
  }

  private static SigV4Verifier verifier(Vector vector) {
    return new SigV4Verifier(
        StaticCredentialStore.of(new Credential("AKIDEXAMPLE", SECRET, "111122223333")),
        new ManualClock(vector.time().toEpochMilli()),
        "us-east-1",
        vector.service());
  }

  private static String[] h(String name, String value) {
    return new String[] {name, value};
  }

  private static String authorization(String scope, String signedHeaders, String signature) {
    return "AWS4-HMAC-SHA256 Credential="
        + scope
        + ", SignedHeaders="
        + signedHeaders
        + ", Signature="
        + signature;
  }

  /** A 2015 GET: Host first, then the extra headers, then Authorization and X-Amz-Date. */
  private static Vector get2015(
      String name,
      String path,
      String query,
      String signedHeaders,
      String signature,
      String[]... extra) {
    List<String[]> headers = new ArrayList<>();
    headers.add(h("Host", HOST_2015));
    headers.addAll(List.of(extra));
    headers.add(h("Authorization", authorization(SCOPE_2015, signedHeaders, signature)));
    headers.add(h("X-Amz-Date", DATE_2015));
    return new Vector(
        name, "service", Instant.parse("2015-08-30T12:36:00Z"), "GET", path, query, headers, "");
  }

  /** post-x-www-form-urlencoded: the body is signed through x-amz-content-sha256. */
  private static Vector postFormUrlEncoded() {
    List<String[]> headers =
        List.of(
            h("Content-Type", "application/x-www-form-urlencoded"),
            h("Host", HOST_2015),
            h("Content-Length", "13"),
            h(
                "x-amz-content-sha256",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"),
            h(
                "Authorization",
                authorization(
                    SCOPE_2015,
                    "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                    "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b")),
            h("X-Amz-Date", DATE_2015));
    return new Vector(
        "post-x-www-form-urlencoded",
        "service",
        Instant.parse("2015-08-30T12:36:00Z"),
        "POST",
        "/",
        "",
        headers,
        "Param1=value1");
  }

  /** The 2011 suite's get-vanilla: dated by the HTTP Date header in RFC 1123 form. */
  private static Vector getVanilla2011() {
    List<String[]> headers =
        List.of(
            h("Date", "Mon, 09 Sep 2011 23:36:00 GMT"),
            h("Host", "host.foo.com"),
            h(
                "Authorization",
                authorization(
                    "AKIDEXAMPLE/20110909/us-east-1/host/aws4_request",
                    "date;host",
                    "b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470")));
    return new Vector(
        "2011 get-vanilla (Date header)",
        "host",
        Instant.parse("2011-09-09T23:36:00Z"),
        "GET",
        "/",
        "",
        headers,
        "");
  }
}
