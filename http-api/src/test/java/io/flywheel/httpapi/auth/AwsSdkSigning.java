package io.flywheel.httpapi.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs requests with the real AWS SDK for Java v2 signer, as a DynamoDB client would, and turns
 * the result into what the HTTP layer would hand the verifier.
 */
final class AwsSdkSigning {
  static final String ACCESS_KEY = "AKIAFLYWHEELEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFLYWHEELKEY";
  static final String ACCOUNT = "123456789012";
  static final Instant SIGNING_TIME = Instant.parse("2024-03-15T10:20:30Z");
  static final String GET_ITEM_BODY =
      "{\"TableName\":\"Music\",\"Key\":{\"Artist\":{\"S\":\"No One You Know\"}}}";

  private AwsSdkSigning() {}

  /** A DynamoDB GetItem POST to http://localhost:8000/ and how to sign it; change as needed. */
  record Spec(
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      String body,
      String accessKey,
      String secret,
      String region,
      String service,
      Instant signingTime,
      boolean presign) {

    static Spec getItem() {
      return new Spec(
          "POST",
          "/",
          Map.of(
              "Content-Type", "application/x-amz-json-1.0",
              "X-Amz-Target", "DynamoDB_20120810.GetItem"),
          GET_ITEM_BODY,
          ACCESS_KEY,
          SECRET,
          "us-east-1",
          "dynamodb",
          SIGNING_TIME,
          false);
    }

    Spec withPathAndQuery(String value) {
      return new Spec(
          method, value, headers, body, accessKey, secret, region, service, signingTime, presign);
    }

    Spec withKeys(String newAccessKey, String newSecret) {
      return new Spec(
          method,
          pathAndQuery,
          headers,
          body,
          newAccessKey,
          newSecret,
          region,
          service,
          signingTime,
          presign);
    }

    Spec withRegion(String value) {
      return new Spec(
          method,
          pathAndQuery,
          headers,
          body,
          accessKey,
          secret,
          value,
          service,
          signingTime,
          presign);
    }

    Spec withService(String value) {
      return new Spec(
          method,
          pathAndQuery,
          headers,
          body,
          accessKey,
          secret,
          region,
          value,
          signingTime,
          presign);
    }

    Spec withSigningTime(Instant value) {
      return new Spec(
          method, pathAndQuery, headers, body, accessKey, secret, region, service, value, presign);
    }

    Spec presigned() {
      return new Spec(
          method,
          pathAndQuery,
          headers,
          body,
          accessKey,
          secret,
          region,
          service,
          signingTime,
          true);
    }

    SignedRequest sign() {
      return AwsSdkSigning.sign(this);
    }
  }

  static SignedRequest sign(Spec spec) {
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(spec.method()))
            .uri(URI.create("http://localhost:8000" + spec.pathAndQuery()));
    spec.headers().forEach(unsigned::putHeader);
    byte[] body = spec.body().getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r -> {
                  r.identity(AwsCredentialsIdentity.create(spec.accessKey(), spec.secret()))
                      .request(unsigned.build())
                      .payload(ContentStreamProvider.fromByteArray(body))
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, spec.service())
                      .putProperty(AwsV4HttpSigner.REGION_NAME, spec.region())
                      .putProperty(
                          HttpSigner.SIGNING_CLOCK,
                          java.time.Clock.fixed(spec.signingTime(), ZoneOffset.UTC));
                  if (spec.presign()) {
                    r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
                  }
                })
            .request();
    return toWire(signed, body);
  }

  /**
   * What the server receives: the signed request plus the headers the SDK's HTTP client adds after
   * signing (Host if the signer did not add it, Content-Length, User-Agent), none of them signed
   * except Host.
   */
  private static SignedRequest toWire(SdkHttpRequest signed, byte[] body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    signed.forEachHeader((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
    if (signed.firstMatchingHeader("Host").isEmpty()) {
      headers.add(Map.entry("Host", "localhost:8000"));
    }
    headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
    headers.add(Map.entry("User-Agent", "aws-sdk-java/2.57.8"));
    return new SignedRequest(
        signed.method().name(),
        signed.encodedPath(),
        signed.encodedQueryParameters().orElse(""),
        headers,
        body);
  }
}
