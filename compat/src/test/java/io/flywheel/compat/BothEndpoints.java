package io.flywheel.compat;

import io.flywheel.it.SharedServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Gives a test class a {@link Differential} over Flywheel and DynamoDB Local. Both servers start
 * once per test run, on first use, and stop when the run ends: Flywheel through the it module's
 * launcher ({@link SharedServer}), DynamoDB Local through {@link DynamoDbLocalProcess}.
 *
 * <p>The clients never retry: a retried throttle or 5xx would hide the first answer, which is
 * the one compared.
 */
final class BothEndpoints implements BeforeAllCallback {
  private static DynamoDbClient flywheel;
  private static DynamoDbClient dynamoDbLocal;
  private Differential differential;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    differential = new Differential(flywheel(context), dynamoDbLocal(context));
  }

  Differential differential() {
    return differential;
  }

  private static synchronized DynamoDbClient flywheel(ExtensionContext context) throws Exception {
    if (flywheel == null) {
      flywheel = client(SharedServer.endpoint(context));
      store(context).put("compat-flywheel-client", flywheel);
    }
    return flywheel;
  }

  private static synchronized DynamoDbClient dynamoDbLocal(ExtensionContext context) throws Exception {
    if (dynamoDbLocal == null) {
      DynamoDbLocalProcess process = DynamoDbLocalProcess.start();
      store(context).put("compat-dynamodb-local", process);
      dynamoDbLocal = client(process.endpoint());
      store(context).put("compat-dynamodb-local-client", dynamoDbLocal);
    }
    return dynamoDbLocal;
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
  }

  private static DynamoDbClient client(URI endpoint) {
    // DynamoDB Local accepts only letters and digits in access key ids.
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("compatkey", "compatsecret")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(60)))
        .build();
  }
}
