package io.flywheel.httpapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalRequestTest {
  @Test
  void canonicalUriNormalisesThenEncodesTheWirePathOnce() {
    // What the AWS SDK for Java v2 signs for these wire paths (double encoding, non-S3).
    assertThat(CanonicalRequest.canonicalUri("")).isEqualTo("/");
    assertThat(CanonicalRequest.canonicalUri("/")).isEqualTo("/");
    assertThat(CanonicalRequest.canonicalUri("/a%20b")).isEqualTo("/a%2520b");
    assertThat(CanonicalRequest.canonicalUri("/a/./b/../c")).isEqualTo("/a/c");
    assertThat(CanonicalRequest.canonicalUri("/foo/bar/.")).isEqualTo("/foo/bar");
    assertThat(CanonicalRequest.canonicalUri("/a/..")).isEqualTo("/");
    assertThat(CanonicalRequest.canonicalUri("/../x")).isEqualTo("/../x");
    // The AWS test suite's expected canonical URIs.
    assertThat(CanonicalRequest.canonicalUri("//example//")).isEqualTo("/example/");
    assertThat(CanonicalRequest.canonicalUri("/example space/")).isEqualTo("/example%20space/");
    assertThat(CanonicalRequest.canonicalUri("/ሴ")).isEqualTo("/%E1%88%B4");
    assertThat(CanonicalRequest.canonicalUri("/-._~AZaz09")).isEqualTo("/-._~AZaz09");
  }

  @Test
  void canonicalQuerySortsByEncodedNameThenValue() {
    List<QueryParameter> query =
        QueryParameter.parse("b=2&a-b=3&a=1&a=0&c=x%20y&c=x+y&flag&=skipped&&d=%7e%2F");

    assertThat(CanonicalRequest.canonicalQuery(query, false))
        .isEqualTo("a=0&a=1&a-b=3&b=2&c=x%20y&c=x%2By&d=~%2F&flag=");
  }

  @Test
  void presignedQueryLeavesOutOnlyTheSignature() {
    List<QueryParameter> query =
        QueryParameter.parse("X-Amz-Signature=abc&X-Amz-Date=20150830T123600Z&x=1");

    assertThat(CanonicalRequest.canonicalQuery(query, true))
        .isEqualTo("X-Amz-Date=20150830T123600Z&x=1");
    assertThat(CanonicalRequest.canonicalQuery(query, false))
        .isEqualTo("X-Amz-Date=20150830T123600Z&X-Amz-Signature=abc&x=1");
  }

  @Test
  void malformedEscapesStayLiteral() {
    assertThat(UriEncoding.encode(UriEncoding.decode("%zz%4"))).isEqualTo("%25zz%254");
    assertThat(UriEncoding.encode(UriEncoding.decode("%41%e1%88%b4"))).isEqualTo("A%E1%88%B4");
  }

  @Test
  void canonicalHeadersFollowTheSignedListAndJoinRepeats() {
    SignedRequest request =
        new SignedRequest(
            "GET",
            "/",
            "",
            List.of(
                Map.entry("Host", "example.amazonaws.com"),
                Map.entry("My-Header", "  a   b \t c  "),
                Map.entry("my-header", "second"),
                Map.entry("Unsigned", "ignored")),
            new byte[0]);
    StringBuilder out = new StringBuilder();

    CanonicalRequest.appendCanonicalHeaders(request, List.of("host", "my-header", "x-absent"), out);

    assertThat(out.toString())
        .isEqualTo("host:example.amazonaws.com\nmy-header:a b c,second\nx-absent:\n");
  }

  @Test
  void buildsTheWholeCanonicalRequest() {
    SignedRequest request =
        new SignedRequest(
            "POST",
            "/",
            "",
            List.of(Map.entry("Host", "h"), Map.entry("X-Amz-Date", "20150830T123600Z")),
            "{}".getBytes(StandardCharsets.UTF_8));

    String canonical =
        CanonicalRequest.build(
            request, List.of(), false, List.of("host", "x-amz-date"), "host;x-amz-date", "HASH");

    assertThat(canonical)
        .isEqualTo("POST\n/\n\nhost:h\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\nHASH");
  }
}
