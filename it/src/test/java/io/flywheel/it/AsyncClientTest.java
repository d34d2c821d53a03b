package io.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Many concurrent requests through the SDK's async (Netty) client over keep-alive connections. */
class AsyncClientTest {
  @RegisterExtension static final SharedServerExtension SERVER = new SharedServerExtension();

  @Test
  void concurrentWritesAreAllAcknowledgedAndReadBack() {
    try (DynamoDbAsyncClient ddb = SharedServer.asyncClient(SERVER.endpoint())) {
      ddb.createTable(b -> b.tableName("async").billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())).join();
      int n = 2000;
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        writes.add(ddb.putItem(b -> b.tableName("async").item(Map.of(
            "pk", AttributeValue.fromS("k" + k), "v", AttributeValue.fromN(Integer.toString(k))))));
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
      List<CompletableFuture<GetItemResponse>> reads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        reads.add(ddb.getItem(b -> b.tableName("async").consistentRead(true).key(Map.of("pk", AttributeValue.fromS("k" + k)))));
      }
      for (int i = 0; i < n; i++) {
        assertThat(reads.get(i).join().item().get("v")).isEqualTo(AttributeValue.fromN(Integer.toString(i)));
      }
      assertThat(ddb.describeTable(b -> b.tableName("async")).join().table().itemCount()).isEqualTo(n);
      ddb.deleteTable(b -> b.tableName("async")).join();
    }
  }
}
