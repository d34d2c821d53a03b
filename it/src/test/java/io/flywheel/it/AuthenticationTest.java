package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** A server with configured credentials verifies SigV4 signatures as DynamoDB does. */
class AuthenticationTest {
  static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    Path data = ServerProcess.newDataDir("auth");
    Path credentials = data.resolveSibling(data.getFileName() + ".credentials");
    Files.writeString(credentials, "# test credentials\nAKIDGOOD:goodsecret:123456789012\n");
    server = new ServerProcess(data, "--credentials-file", credentials.toString(), "--region", "eu-west-1").start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static DynamoDbClient client(String key, String secret, Region region) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  @Test
  void correctlySignedRequestsAreServedUnderTheirAccount() {
    try (DynamoDbClient ddb = client("AKIDGOOD", "goodsecret", Region.EU_WEST_1)) {
      assertThat(ddb.listTables().tableNames()).isNotNull();
      ddb.createTable(b -> b.tableName("auth-table").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
          .keySchema(k -> k.attributeName("pk").keyType("HASH")));
      assertThat(ddb.describeTable(b -> b.tableName("auth-table")).table().tableArn())
          .isEqualTo("arn:aws:dynamodb:eu-west-1:123456789012:table/auth-table");
    }
  }

  @Test
  void aWrongSecretIsAnInvalidSignature() {
    try (DynamoDbClient ddb = client("AKIDGOOD", "badsecret", Region.EU_WEST_1)) {
      assertError(() -> ddb.listTables(), "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
              + "and signing method. Consult the service documentation for details.");
    }
  }

  @Test
  void anUnknownAccessKeyIsAnUnrecognizedClient() {
    try (DynamoDbClient ddb = client("AKIDUNKNOWN", "goodsecret", Region.EU_WEST_1)) {
      assertError(() -> ddb.listTables(), "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
  }

  @Test
  void aCredentialScopedToAnotherRegionIsRejected() {
    try (DynamoDbClient ddb = client("AKIDGOOD", "goodsecret", Region.US_EAST_1)) {
      assertThatThrownBy(() -> ddb.listTables())
          .isInstanceOf(DynamoDbException.class)
          .satisfies(e -> {
            DynamoDbException d = (DynamoDbException) e;
            assertThat(d.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(d.awsErrorDetails().errorMessage()).startsWith("Credential should be scoped to a valid region");
          });
    }
  }

  @Test
  void rawRequestsWithBrokenOrForgedAuthorizationAreRejected() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    String[][] cases = {
      {"AWS4-HMAC-SHA256 garbage", "IncompleteSignatureException"},
      {"AWS4-HMAC-SHA256 Credential=AKIDGOOD/" + date.substring(0, 8) + "/eu-west-1/dynamodb/aws4_request, "
          + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "ab".repeat(32), "InvalidSignatureException"},
      {"Bearer token", "MissingAuthenticationTokenException"},
    };
    for (String[] c : cases) {
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
          .header("Content-Type", "application/x-amz-json-1.0")
          .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
          .header("X-Amz-Date", date)
          .header("Authorization", c[0]).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.body()).as(c[0]).contains("#" + c[1] + "\"");
    }
  }

  private static void assertError(Runnable call, String code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(DynamoDbException.class)
        .satisfies(e -> {
          DynamoDbException d = (DynamoDbException) e;
          assertThat(d.awsErrorDetails().errorCode()).isEqualTo(code);
          assertThat(d.awsErrorDetails().errorMessage()).isEqualTo(message);
          assertThat(d.statusCode()).isEqualTo(400);
        });
  }
}
