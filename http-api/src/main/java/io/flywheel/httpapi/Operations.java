package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flywheel.httpapi.json.AttributeValueJson;
import io.flywheel.httpapi.json.ItemJsonWriter;
import io.flywheel.httpapi.json.Shape;
import io.flywheel.model.AttributeValue;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.router.ConsumedCapacity;
import io.flywheel.router.CreateTableRequest;
import io.flywheel.router.DeleteItemRequest;
import io.flywheel.router.Expressions;
import io.flywheel.router.GetItemRequest;
import io.flywheel.router.ListTablesResult;
import io.flywheel.router.PutItemRequest;
import io.flywheel.router.ReturnConsumedCapacity;
import io.flywheel.router.ReturnValues;
import io.flywheel.router.Router;
import io.flywheel.router.UpdateItemRequest;
import io.flywheel.router.UpdateTableRequest;
import io.flywheel.router.WriteItemResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The operations the endpoint serves: for each, its input shape and how its decoded input becomes
 * a router call and the router's answer a response body.
 */
final class Operations {
  /** One operation of the API. */
  record Operation(String name, Shape.Struct input, Handler handler) {}

  @FunctionalInterface
  interface Handler {
    CompletableFuture<JsonResponse> handle(Map<String, Object> in, CallContext ctx);
  }

  private final Router router;
  private final Map<String, Operation> byName = new HashMap<>();

  Operations(Router router) {
    this.router = router;
    add("CreateTable", ApiShapes.CREATE_TABLE, this::createTable);
    add("DescribeTable", ApiShapes.TABLE_NAME_ONLY, this::describeTable);
    add("DeleteTable", ApiShapes.TABLE_NAME_ONLY, this::deleteTable);
    add("UpdateTable", ApiShapes.UPDATE_TABLE, this::updateTable);
    add("ListTables", ApiShapes.LIST_TABLES, this::listTables);
    add("DescribeLimits", ApiShapes.EMPTY, (in, ctx) -> CompletableFuture.completedFuture(Operations::describeLimits));
    add("PutItem", ApiShapes.PUT_ITEM, this::putItem);
    add("GetItem", ApiShapes.GET_ITEM, this::getItem);
    add("DeleteItem", ApiShapes.DELETE_ITEM, this::deleteItem);
    add("UpdateItem", ApiShapes.UPDATE_ITEM, this::updateItem);
  }

  private void add(String name, Shape.Struct input, Handler handler) {
    byName.put(name, new Operation(name, input, handler));
  }

  /** The operation, or null when the endpoint does not serve it. */
  Operation get(String name) {
    return byName.get(name);
  }

  // ---- decoding helpers ----

  private static String str(Map<String, Object> in, String name) {
    return (String) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> struct(Map<String, Object> in, String name) {
    return (Map<String, Object>) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> structs(Map<String, Object> in, String name) {
    return (List<Map<String, Object>>) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, AttributeValue> attributes(Map<String, Object> in, String name) {
    return (Map<String, AttributeValue>) (Map<String, ?>) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> names(Map<String, Object> in) {
    return (Map<String, String>) (Map<String, ?>) in.get("ExpressionAttributeNames");
  }

  private static ReturnConsumedCapacity consumedCapacity(Map<String, Object> in) {
    String v = str(in, "ReturnConsumedCapacity");
    return v == null ? ReturnConsumedCapacity.NONE : ReturnConsumedCapacity.valueOf(v);
  }

  private static ReturnValues returnValues(Map<String, Object> in) {
    String v = str(in, "ReturnValues");
    return v == null ? ReturnValues.NONE : ReturnValues.valueOf(v);
  }

  private static boolean returnOldOnConditionFailure(Map<String, Object> in) {
    return "ALL_OLD".equals(str(in, "ReturnValuesOnConditionCheckFailure"));
  }

  private static Expressions expressions(Map<String, Object> in) {
    return new Expressions(str(in, "ConditionExpression"), str(in, "UpdateExpression"), str(in, "ProjectionExpression"),
        names(in), attributes(in, "ExpressionAttributeValues"));
  }

  // ---- tables ----

  private CompletableFuture<JsonResponse> createTable(Map<String, Object> in, CallContext ctx) {
    List<CreateTableRequest.AttributeDefinitionInput> defs = new ArrayList<>();
    for (Map<String, Object> d : structs(in, "AttributeDefinitions")) {
      defs.add(new CreateTableRequest.AttributeDefinitionInput(str(d, "AttributeName"), str(d, "AttributeType")));
    }
    List<CreateTableRequest.KeySchemaElement> keys = new ArrayList<>();
    for (Map<String, Object> k : structs(in, "KeySchema")) {
      keys.add(new CreateTableRequest.KeySchemaElement(str(k, "AttributeName"), str(k, "KeyType")));
    }
    Map<String, Object> pt = struct(in, "ProvisionedThroughput");
    CreateTableRequest request = new CreateTableRequest(str(in, "TableName"), defs, keys, str(in, "BillingMode"),
        pt == null ? null : (Long) pt.get("ReadCapacityUnits"), pt == null ? null : (Long) pt.get("WriteCapacityUnits"), pt != null);
    return router.createTable(request).thenApply(t -> tableResponse("TableDescription", t, PartitionStats.EMPTY, ctx));
  }

  private static JsonResponse tableResponse(String field, TableDescriptor t, PartitionStats stats, CallContext ctx) {
    return g -> {
      g.writeStartObject();
      g.writeFieldName(field);
      TableJson.writeDescription(g, t, stats, ctx);
      g.writeEndObject();
    };
  }

  private CompletableFuture<JsonResponse> describeTable(Map<String, Object> in, CallContext ctx) {
    return router.describeTable(str(in, "TableName")).thenApply(d -> tableResponse("Table", d.table(), d.stats(), ctx));
  }

  private CompletableFuture<JsonResponse> deleteTable(Map<String, Object> in, CallContext ctx) {
    return router.deleteTable(str(in, "TableName")).thenApply(t -> tableResponse("TableDescription", t, PartitionStats.EMPTY, ctx));
  }

  private CompletableFuture<JsonResponse> updateTable(Map<String, Object> in, CallContext ctx) {
    Map<String, Object> pt = struct(in, "ProvisionedThroughput");
    UpdateTableRequest request = new UpdateTableRequest(str(in, "TableName"), str(in, "BillingMode"),
        pt == null ? null : (Long) pt.get("ReadCapacityUnits"), pt == null ? null : (Long) pt.get("WriteCapacityUnits"), pt != null);
    return router.updateTable(request).thenApply(t -> tableResponse("TableDescription", t, PartitionStats.EMPTY, ctx));
  }

  private CompletableFuture<JsonResponse> listTables(Map<String, Object> in, CallContext ctx) {
    Long limit = (Long) in.get("Limit");
    ListTablesResult result = router.listTables(limit == null ? null : limit.intValue(), str(in, "ExclusiveStartTableName"));
    return CompletableFuture.completedFuture(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("TableNames");
      for (String name : result.tableNames()) {
        g.writeString(name);
      }
      g.writeEndArray();
      if (result.lastEvaluatedTableName() != null) {
        g.writeStringField("LastEvaluatedTableName", result.lastEvaluatedTableName());
      }
      g.writeEndObject();
    });
  }

  private static void describeLimits(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField("AccountMaxReadCapacityUnits", 80000);
    g.writeNumberField("AccountMaxWriteCapacityUnits", 80000);
    g.writeNumberField("TableMaxReadCapacityUnits", 40000);
    g.writeNumberField("TableMaxWriteCapacityUnits", 40000);
    g.writeEndObject();
  }

  // ---- items ----

  private CompletableFuture<JsonResponse> putItem(Map<String, Object> in, CallContext ctx) {
    PutItemRequest request = new PutItemRequest(str(in, "TableName"), attributes(in, "Item"), expressions(in),
        returnValues(in), consumedCapacity(in), returnOldOnConditionFailure(in));
    return router.putItem(request).thenApply(Operations::writeResponse);
  }

  private CompletableFuture<JsonResponse> deleteItem(Map<String, Object> in, CallContext ctx) {
    DeleteItemRequest request = new DeleteItemRequest(str(in, "TableName"), attributes(in, "Key"), expressions(in),
        returnValues(in), consumedCapacity(in), returnOldOnConditionFailure(in));
    return router.deleteItem(request).thenApply(Operations::writeResponse);
  }

  private CompletableFuture<JsonResponse> updateItem(Map<String, Object> in, CallContext ctx) {
    UpdateItemRequest request = new UpdateItemRequest(str(in, "TableName"), attributes(in, "Key"), expressions(in),
        returnValues(in), consumedCapacity(in), returnOldOnConditionFailure(in));
    return router.updateItem(request).thenApply(Operations::writeResponse);
  }

  private static JsonResponse writeResponse(WriteItemResult result) {
    return g -> {
      g.writeStartObject();
      if (result.attributes() != null && !result.attributes().isEmpty()) {
        g.writeFieldName("Attributes");
        AttributeValueJson.writeMap(g, result.attributes());
      }
      writeConsumedCapacity(g, result.consumedCapacity());
      g.writeEndObject();
    };
  }

  private CompletableFuture<JsonResponse> getItem(Map<String, Object> in, CallContext ctx) {
    Boolean consistent = (Boolean) in.get("ConsistentRead");
    GetItemRequest request = new GetItemRequest(str(in, "TableName"), attributes(in, "Key"), consistent != null && consistent,
        expressions(in), consumedCapacity(in));
    return router.getItem(request).thenApply(result -> g -> {
      g.writeStartObject();
      if (result.image() != null) {
        g.writeFieldName("Item");
        g.writeRawValue(ItemJsonWriter.toJson(result.image()));
      } else if (result.item() != null) {
        g.writeFieldName("Item");
        AttributeValueJson.writeMap(g, result.item());
      }
      writeConsumedCapacity(g, result.consumedCapacity());
      g.writeEndObject();
    });
  }

  static void writeConsumedCapacity(JsonGenerator g, ConsumedCapacity cc) throws IOException {
    if (cc == null) {
      return;
    }
    g.writeObjectFieldStart("ConsumedCapacity");
    g.writeStringField("TableName", cc.tableName());
    g.writeNumberField("CapacityUnits", cc.capacityUnits());
    if (cc.readCapacityUnits() > 0) {
      g.writeNumberField("ReadCapacityUnits", cc.readCapacityUnits());
    }
    if (cc.writeCapacityUnits() > 0) {
      g.writeNumberField("WriteCapacityUnits", cc.writeCapacityUnits());
    }
    if (cc.tableBreakdown()) {
      g.writeObjectFieldStart("Table");
      g.writeNumberField("CapacityUnits", cc.capacityUnits());
      if (cc.readCapacityUnits() > 0) {
        g.writeNumberField("ReadCapacityUnits", cc.readCapacityUnits());
      }
      if (cc.writeCapacityUnits() > 0) {
        g.writeNumberField("WriteCapacityUnits", cc.writeCapacityUnits());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
