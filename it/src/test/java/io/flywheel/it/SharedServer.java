package io.flywheel.it;

import java.net.URI;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One server for all test classes of a run that do not need their own (started on first use). */
public final class SharedServer {
  private static ServerProcess server;

  private SharedServer() {}

  public static synchronized URI endpoint(ExtensionContext context) throws Exception {
    if (server == null) {
      ServerProcess s = new ServerProcess(ServerProcess.newDataDir("shared")).start();
      server = s;
      // Stored as an AutoCloseable: JUnit closes it when the run ends.
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("flywheel-shared-server", s);
    }
    return server.endpoint();
  }

  public static DynamoDbClient syncClient(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testkey", "testsecret")))
        .build();
  }

  public static DynamoDbAsyncClient asyncClient(URI endpoint) {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(64).build())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testkey", "testsecret")))
        .build();
  }
}
