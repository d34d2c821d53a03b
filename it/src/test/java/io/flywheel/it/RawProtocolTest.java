package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Protocol edge cases over plain HTTP, where the SDK would not let us send them. */
class RawProtocolTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();
  static final String AUTH = "AWS4-HMAC-SHA256 Credential=testkey/20250101/us-east-1/dynamodb/aws4_request, "
      + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);
  static HttpClient http;
  static URI endpoint;

  @BeforeAll
  static void setUp() throws Exception {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    endpoint = SERVER.endpoint();
    call("CreateTable", "{\"TableName\":\"raw\",\"BillingMode\":\"PAY_PER_REQUEST\","
        + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
        + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}]}");
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  static Reply call(String operation, String body) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    headers.put("X-Amz-Date", "20250101T000000Z");
    headers.put("Authorization", AUTH);
    if (operation != null) {
      headers.put("X-Amz-Target", "DynamoDB_20120810." + operation);
    }
    return send("POST", headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static Reply send(String method, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/")).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> h = new LinkedHashMap<>();
    r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
    return new Reply(r.statusCode(), h, r.body());
  }

  static void assertError(Reply r, int status, String type, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains("\"__type\":\"" + type + "\"");
    if (message != null) {
      assertThat(r.body()).contains("\"message\":\"" + message + "\"");
    }
    assertThat(r.headers()).containsKey("x-amzn-requestid");
  }

  @Test
  void aCancelledTransactionsBodyCarriesItsReasonsAsDynamoDbWritesThem() throws Exception {
    call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"tx-old\"},\"v\":{\"N\":\"1\"}}}");
    Reply r = call("TransactWriteItems", "{\"TransactItems\":["
        + "{\"Put\":{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"tx-new\"}}}},"
        + "{\"ConditionCheck\":{\"TableName\":\"raw\",\"Key\":{\"pk\":{\"S\":\"tx-old\"}},"
        + "\"ConditionExpression\":\"attribute_not_exists(pk)\",\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
        + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]\","
        + "\"CancellationReasons\":[{\"Code\":\"None\"},{\"Item\":{\"pk\":{\"S\":\"tx-old\"},\"v\":{\"N\":\"1\"}},"
        + "\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\"}]}");
    assertThat(call("TransactWriteItems", "{\"TransactItems\":[{}]}").body())
        .contains("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request");
  }

  @Test
  void everyResponseCarriesARequestIdAndTheCrc32OfItsBody() throws Exception {
    Reply r = call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"crc\"},\"v\":{\"S\":\"é\"}}}");
    assertThat(r.status()).isEqualTo(200);
    Reply get = call("GetItem", "{\"TableName\":\"raw\",\"Key\":{\"pk\":{\"S\":\"crc\"}}}");
    CRC32 crc = new CRC32();
    crc.update(get.body().getBytes(StandardCharsets.UTF_8));
    assertThat(get.headers().get("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    assertThat(get.headers().get("x-amzn-requestid")).hasSize(52);
    assertThat(get.headers().get("content-type")).isEqualTo("application/x-amz-json-1.0");
    assertThat(get.body()).isEqualTo("{\"Item\":{\"pk\":{\"S\":\"crc\"},\"v\":{\"S\":\"é\"}}}");
  }

  @Test
  void malformedJsonIsASerializationException() throws Exception {
    assertError(call("GetItem", "{\"TableName\":"), 400, "com.amazon.coral.service#SerializationException", null);
    assertError(call("NoSuchOperation", "{not json"), 400, "com.amazon.coral.service#SerializationException", null);
  }

  @Test
  void unknownOrMissingTargetsAreUnknownOperation() throws Exception {
    assertError(call("NoSuchOperation", "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
    assertError(call(null, "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
  }

  @Test
  void wrongJsonTypesAreSerializationExceptionsWithDynamoDbsMessages() throws Exception {
    assertError(call("GetItem", "{\"TableName\":5,\"Key\":{}}"), 400, "com.amazon.coral.service#SerializationException",
        "NUMBER_VALUE cannot be converted to String");
    assertError(call("GetItem", "{\"TableName\":\"raw\",\"Key\":[]}"), 400, "com.amazon.coral.service#SerializationException",
        "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    assertError(call("GetItem", "{\"TableName\":\"raw\",\"Key\":{\"pk\":{\"S\":\"a\"}},\"ConsistentRead\":\"maybe\"}"), 400,
        "com.amazon.coral.service#SerializationException", "Unexpected token received from parser");
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"N\":5}}}"), 400,
        "com.amazon.coral.service#SerializationException", "NUMBER_VALUE cannot be converted to String");
    assertError(call("ListTables", "{\"Limit\":\"ten\"}"), 400, "com.amazon.coral.service#SerializationException",
        "STRING_VALUE cannot be converted to Integer");
  }

  @Test
  void constraintViolationsAreReportedTogether() throws Exception {
    assertError(call("GetItem", "{\"TableName\":\"x\",\"ReturnConsumedCapacity\":\"ALL\"}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "3 validation errors detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'x' at 'tableName' failed to satisfy constraint: "
            + "Member must have length greater than or equal to 3; Value null at 'key' failed to satisfy constraint: Member must not be null");
    assertError(call("DescribeTable", "{}"), 400, "com.amazon.coral.validate#ValidationException",
        "The parameter 'TableName' is required but was not present in the request");
    assertError(call("ListTables", "{\"Limit\":0}"), 400, "com.amazon.coral.validate#ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void invalidAttributeValuesAreValidationErrors() throws Exception {
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":{}}}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":{\"S\":\"x\",\"N\":\"1\"}}}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":{\"SS\":[]}}}"), 400,
        "com.amazon.coral.validate#ValidationException", "One or more parameter values were invalid: An string set  may not be empty");
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":{\"B\":\"abc\"}}}"), 400,
        "com.amazon.coral.service#SerializationException", "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      deep.append("{\"L\":[");
    }
    deep.append("{\"S\":\"x\"}");
    for (int i = 0; i < 40; i++) {
      deep.append("]}");
    }
    assertError(call("PutItem", "{\"TableName\":\"raw\",\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":" + deep + "}}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
    Reply get = call("GetItem", "{\"TableName\":\"raw\",\"Key\":{\"pk\":{\"S\":\"a\"}}}");
    assertThat(get.body()).isEqualTo("{}");
  }

  @Test
  void requestsWithoutCredentialsAreRejected() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    headers.put("X-Amz-Target", "DynamoDB_20120810.ListTables");
    Reply r = send("POST", headers, "{}".getBytes(StandardCharsets.UTF_8));
    assertError(r, 400, "com.amazon.coral.service#MissingAuthenticationTokenException", "Request is missing Authentication Token");
  }

  @Test
  void getIsAHealthCheckAndOtherMethodsOrContentTypesAreNotFound() throws Exception {
    Reply health = send("GET", Map.of(), new byte[0]);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).startsWith("healthy: ");
    Reply put = send("PUT", Map.of("Content-Type", "application/x-amz-json-1.0"), "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(put.status()).isEqualTo(404);
    assertThat(put.body()).isEqualTo("<UnknownOperationException/>\n");
    Reply form = send("POST", Map.of("Content-Type", "text/plain", "X-Amz-Target", "DynamoDB_20120810.ListTables"),
        "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(form.status()).isEqualTo(404);
  }

  @Test
  void anOversizedBodyGets413AndTheConnectionStaysUsable() throws Exception {
    URI e = endpoint;
    try (Socket socket = new Socket(e.getHost(), e.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      int size = 16 * 1024 * 1024 + 1;
      String head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
          + "X-Amz-Target: DynamoDB_20120810.PutItem\r\nX-Amz-Date: 20250101T000000Z\r\nAuthorization: " + AUTH
          + "\r\nContent-Length: " + size + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, size - sent));
      }
      out.flush();
      String first = readResponse(in);
      assertThat(first).startsWith("HTTP/1.1 413");
      String list = "{}";
      out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
          + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Amz-Date: 20250101T000000Z\r\nAuthorization: " + AUTH
          + "\r\nContent-Length: " + list.length() + "\r\n\r\n" + list).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("TableNames");
    }
  }

  @Test
  void errorsDoNotCloseKeepAliveConnections() throws Exception {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (String body : new String[] {"{bad", "{\"TableName\":1}", "{}"}) {
        out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
            + "X-Amz-Target: DynamoDB_20120810.DescribeTable\r\nX-Amz-Date: 20250101T000000Z\r\nAuthorization: " + AUTH
            + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in)).startsWith("HTTP/1.1 400");
      }
    }
  }

  /** Reads one HTTP response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int prev3 = 0;
    int prev2 = 0;
    int prev1 = 0;
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (prev3 == '\r' && prev2 == '\n' && prev1 == '\r' && c == '\n') {
        break;
      }
      prev3 = prev2;
      prev2 = prev1;
      prev1 = c;
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
  }

}
