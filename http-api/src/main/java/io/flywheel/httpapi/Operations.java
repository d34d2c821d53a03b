package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flywheel.httpapi.json.AttributeValueJson;
import io.flywheel.httpapi.json.ItemJsonWriter;
import io.flywheel.httpapi.json.Shape;
import io.flywheel.model.AttributeValue;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.router.ConsumedCapacity;
import io.flywheel.router.TableDescription;
import io.flywheel.router.CreateTableRequest;
import io.flywheel.router.DeleteItemRequest;
import io.flywheel.model.DynamoException;
import io.flywheel.model.expr.LegacyConditions;
import io.flywheel.router.BatchGetItemRequest;
import io.flywheel.router.BatchWriteItemRequest;
import io.flywheel.router.ExpressionInput;
import io.flywheel.router.ItemPage;
import io.flywheel.router.QueryRequest;
import io.flywheel.router.ScanRequest;
import io.flywheel.router.Select;
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
import java.util.LinkedHashMap;
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
    add("Query", ApiShapes.QUERY, this::query);
    add("Scan", ApiShapes.SCAN, this::scan);
    add("BatchGetItem", ApiShapes.BATCH_GET_ITEM, this::batchGetItem);
    add("BatchWriteItem", ApiShapes.BATCH_WRITE_ITEM, this::batchWriteItem);
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

  /** The expression parameters and their legacy counterparts of a request (or of one table's part). */
  static ExpressionInput expressions(Map<String, Object> in) {
    return ExpressionInput.builder()
        .conditionExpression(str(in, "ConditionExpression"))
        .updateExpression(str(in, "UpdateExpression"))
        .projectionExpression(str(in, "ProjectionExpression"))
        .filterExpression(str(in, "FilterExpression"))
        .keyConditionExpression(str(in, "KeyConditionExpression"))
        .names(names(in))
        .values(attributes(in, "ExpressionAttributeValues"))
        .expected(expected(struct(in, "Expected")))
        .attributeUpdates(attributeUpdates(struct(in, "AttributeUpdates")))
        .attributesToGet(strings(in, "AttributesToGet"))
        .filter(conditions(struct(in, in.containsKey("QueryFilter") ? "QueryFilter" : "ScanFilter")))
        .keyConditions(conditions(struct(in, "KeyConditions")))
        .conditionalOperator(str(in, "ConditionalOperator"))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> in, String name) {
    return (List<String>) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static List<AttributeValue> attributeList(Map<String, Object> in, String name) {
    return (List<AttributeValue>) (List<?>) in.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, LegacyConditions.ExpectedAttribute> expected(Map<String, Object> in) {
    if (in == null) {
      return null;
    }
    Map<String, LegacyConditions.ExpectedAttribute> out = new LinkedHashMap<>();
    in.forEach((name, v) -> {
      Map<String, Object> e = (Map<String, Object>) v;
      out.put(name, new LegacyConditions.ExpectedAttribute((AttributeValue) e.get("Value"), (Boolean) e.get("Exists"),
          str(e, "ComparisonOperator"), attributeList(e, "AttributeValueList")));
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, LegacyConditions.FilterCondition> conditions(Map<String, Object> in) {
    if (in == null) {
      return null;
    }
    Map<String, LegacyConditions.FilterCondition> out = new LinkedHashMap<>();
    in.forEach((name, v) -> {
      Map<String, Object> c = (Map<String, Object>) v;
      out.put(name, new LegacyConditions.FilterCondition(str(c, "ComparisonOperator"), attributeList(c, "AttributeValueList")));
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, LegacyConditions.AttributeUpdate> attributeUpdates(Map<String, Object> in) {
    if (in == null) {
      return null;
    }
    Map<String, LegacyConditions.AttributeUpdate> out = new LinkedHashMap<>();
    in.forEach((name, v) -> {
      Map<String, Object> u = (Map<String, Object>) v;
      out.put(name, new LegacyConditions.AttributeUpdate(str(u, "Action"), (AttributeValue) u.get("Value")));
    });
    return out;
  }

  private static Integer integer(Map<String, Object> in, String name) {
    Long v = (Long) in.get(name);
    return v == null ? null : v.intValue();
  }

  private static boolean flag(Map<String, Object> in, String name, boolean otherwise) {
    Boolean v = (Boolean) in.get(name);
    return v == null ? otherwise : v;
  }

  // ---- tables ----

  private static List<CreateTableRequest.AttributeDefinitionInput> attributeDefinitions(Map<String, Object> in) {
    if (in.get("AttributeDefinitions") == null) {
      return null;
    }
    List<CreateTableRequest.AttributeDefinitionInput> defs = new ArrayList<>();
    for (Map<String, Object> d : structs(in, "AttributeDefinitions")) {
      defs.add(new CreateTableRequest.AttributeDefinitionInput(str(d, "AttributeName"), str(d, "AttributeType")));
    }
    return defs;
  }

  private static List<CreateTableRequest.KeySchemaElement> keySchema(Map<String, Object> in) {
    List<CreateTableRequest.KeySchemaElement> keys = new ArrayList<>();
    for (Map<String, Object> k : structs(in, "KeySchema")) {
      keys.add(new CreateTableRequest.KeySchemaElement(str(k, "AttributeName"), str(k, "KeyType")));
    }
    return keys;
  }

  private static CreateTableRequest.IndexInput index(Map<String, Object> in) {
    if (in == null) {
      return null;
    }
    Map<String, Object> projection = struct(in, "Projection");
    Map<String, Object> pt = struct(in, "ProvisionedThroughput");
    return new CreateTableRequest.IndexInput(str(in, "IndexName"), in.get("KeySchema") == null ? null : keySchema(in),
        projection == null ? null : str(projection, "ProjectionType"),
        projection == null ? null : strings(projection, "NonKeyAttributes"),
        pt == null ? null : (Long) pt.get("ReadCapacityUnits"), pt == null ? null : (Long) pt.get("WriteCapacityUnits"));
  }

  private static List<CreateTableRequest.IndexInput> indexes(Map<String, Object> in, String name) {
    if (in.get(name) == null) {
      return null;
    }
    List<CreateTableRequest.IndexInput> out = new ArrayList<>();
    for (Map<String, Object> i : structs(in, name)) {
      out.add(index(i));
    }
    return out;
  }

  private CompletableFuture<JsonResponse> createTable(Map<String, Object> in, CallContext ctx) {
    Map<String, Object> pt = struct(in, "ProvisionedThroughput");
    CreateTableRequest request = new CreateTableRequest(str(in, "TableName"), attributeDefinitions(in), keySchema(in),
        str(in, "BillingMode"), pt == null ? null : (Long) pt.get("ReadCapacityUnits"),
        pt == null ? null : (Long) pt.get("WriteCapacityUnits"), pt != null,
        indexes(in, "LocalSecondaryIndexes"), indexes(in, "GlobalSecondaryIndexes"));
    return router.createTable(request).thenApply(t -> tableResponse("TableDescription", t, null, ctx));
  }

  /** @param description the table's item counts and sizes, or null when none are reported */
  private static JsonResponse tableResponse(String field, TableDescriptor t, TableDescription description, CallContext ctx) {
    return g -> {
      g.writeStartObject();
      g.writeFieldName(field);
      TableJson.writeDescription(g, t, description, ctx);
      g.writeEndObject();
    };
  }

  private CompletableFuture<JsonResponse> describeTable(Map<String, Object> in, CallContext ctx) {
    return router.describeTable(str(in, "TableName")).thenApply(d -> tableResponse("Table", d.table(), d, ctx));
  }

  private CompletableFuture<JsonResponse> deleteTable(Map<String, Object> in, CallContext ctx) {
    return router.deleteTable(str(in, "TableName")).thenApply(t -> tableResponse("TableDescription", t, null, ctx));
  }

  private CompletableFuture<JsonResponse> updateTable(Map<String, Object> in, CallContext ctx) {
    Map<String, Object> pt = struct(in, "ProvisionedThroughput");
    List<UpdateTableRequest.GlobalIndexUpdate> updates = null;
    if (in.get("GlobalSecondaryIndexUpdates") != null) {
      updates = new ArrayList<>();
      for (Map<String, Object> u : structs(in, "GlobalSecondaryIndexUpdates")) {
        Map<String, Object> delete = struct(u, "Delete");
        updates.add(new UpdateTableRequest.GlobalIndexUpdate(index(struct(u, "Create")), index(struct(u, "Update")),
            delete == null ? null : str(delete, "IndexName")));
      }
    }
    UpdateTableRequest request = new UpdateTableRequest(str(in, "TableName"), str(in, "BillingMode"),
        pt == null ? null : (Long) pt.get("ReadCapacityUnits"), pt == null ? null : (Long) pt.get("WriteCapacityUnits"), pt != null,
        attributeDefinitions(in), updates);
    return router.updateTable(request).thenApply(t -> tableResponse("TableDescription", t, null, ctx));
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
    GetItemRequest request = new GetItemRequest(str(in, "TableName"), attributes(in, "Key"), flag(in, "ConsistentRead", false),
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

  // ---- Query, Scan ----

  private static Select select(Map<String, Object> in) {
    String v = str(in, "Select");
    return v == null ? null : Select.valueOf(v);
  }

  private CompletableFuture<JsonResponse> query(Map<String, Object> in, CallContext ctx) {
    QueryRequest request = new QueryRequest(str(in, "TableName"), str(in, "IndexName"), expressions(in), select(in),
        integer(in, "Limit"), flag(in, "ConsistentRead", false), flag(in, "ScanIndexForward", true),
        attributes(in, "ExclusiveStartKey"), consumedCapacity(in));
    return router.query(request).thenApply(Operations::pageResponse);
  }

  private CompletableFuture<JsonResponse> scan(Map<String, Object> in, CallContext ctx) {
    ScanRequest request = new ScanRequest(str(in, "TableName"), str(in, "IndexName"), expressions(in), select(in),
        integer(in, "Limit"), flag(in, "ConsistentRead", false), integer(in, "Segment"), integer(in, "TotalSegments"),
        attributes(in, "ExclusiveStartKey"), consumedCapacity(in));
    return router.scan(request).thenApply(Operations::pageResponse);
  }

  private static JsonResponse pageResponse(ItemPage page) {
    return g -> {
      g.writeStartObject();
      if (!page.countOnly()) {
        g.writeArrayFieldStart("Items");
        writeItems(g, page.images(), page.items());
        g.writeEndArray();
      }
      g.writeNumberField("Count", page.count());
      g.writeNumberField("ScannedCount", page.scannedCount());
      if (page.lastEvaluatedKey() != null) {
        g.writeFieldName("LastEvaluatedKey");
        AttributeValueJson.writeMap(g, page.lastEvaluatedKey());
      }
      writeConsumedCapacity(g, page.consumedCapacity());
      g.writeEndObject();
    };
  }

  private static void writeItems(JsonGenerator g, List<byte[]> images, List<Map<String, AttributeValue>> items) throws IOException {
    for (byte[] image : images) {
      g.writeRawValue(ItemJsonWriter.toJson(image));
    }
    for (Map<String, AttributeValue> item : items) {
      AttributeValueJson.writeMap(g, item);
    }
  }

  // ---- batches ----

  @SuppressWarnings("unchecked")
  private CompletableFuture<JsonResponse> batchGetItem(Map<String, Object> in, CallContext ctx) {
    Map<String, BatchGetItemRequest.KeysAndAttributes> requestItems = new LinkedHashMap<>();
    struct(in, "RequestItems").forEach((table, v) -> {
      Map<String, Object> t = (Map<String, Object>) v;
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (Object k : (List<Object>) t.get("Keys")) {
        keys.add((Map<String, AttributeValue>) k);
      }
      requestItems.put(table, new BatchGetItemRequest.KeysAndAttributes(keys, flag(t, "ConsistentRead", false), expressions(t)));
    });
    return router.batchGetItem(new BatchGetItemRequest(requestItems, consumedCapacity(in))).thenApply(result -> g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("Responses");
      for (String table : requestItems.keySet()) {
        List<byte[]> images = result.images().getOrDefault(table, List.of());
        List<Map<String, AttributeValue>> items = result.items().getOrDefault(table, List.of());
        g.writeArrayFieldStart(table);
        writeItems(g, images, items);
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeObjectFieldStart("UnprocessedKeys");
      for (Map.Entry<String, BatchGetItemRequest.KeysAndAttributes> e : result.unprocessedKeys().entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeArrayFieldStart("Keys");
        for (Map<String, AttributeValue> key : e.getValue().keys()) {
          AttributeValueJson.writeMap(g, key);
        }
        g.writeEndArray();
        Map<String, Object> asked = (Map<String, Object>) struct(in, "RequestItems").get(e.getKey());
        if (asked.containsKey("ConsistentRead")) {
          g.writeBooleanField("ConsistentRead", (Boolean) asked.get("ConsistentRead"));
        }
        for (String p : List.of("ProjectionExpression")) {
          if (asked.get(p) != null) {
            g.writeStringField(p, (String) asked.get(p));
          }
        }
        if (asked.get("AttributesToGet") != null) {
          g.writeArrayFieldStart("AttributesToGet");
          for (String a : (List<String>) asked.get("AttributesToGet")) {
            g.writeString(a);
          }
          g.writeEndArray();
        }
        if (asked.get("ExpressionAttributeNames") != null) {
          g.writeObjectFieldStart("ExpressionAttributeNames");
          for (Map.Entry<String, Object> n : ((Map<String, Object>) asked.get("ExpressionAttributeNames")).entrySet()) {
            g.writeStringField(n.getKey(), (String) n.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      writeCapacityList(g, result.consumedCapacity(), consumedCapacity(in));
      g.writeEndObject();
    });
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<JsonResponse> batchWriteItem(Map<String, Object> in, CallContext ctx) {
    Map<String, List<BatchWriteItemRequest.Write>> requestItems = new LinkedHashMap<>();
    struct(in, "RequestItems").forEach((table, v) -> {
      List<BatchWriteItemRequest.Write> writes = new ArrayList<>();
      for (Object o : (List<Object>) v) {
        Map<String, Object> w = (Map<String, Object>) o;
        Map<String, Object> put = struct(w, "PutRequest");
        Map<String, Object> delete = struct(w, "DeleteRequest");
        if ((put == null) == (delete == null)) {
          throw DynamoException.validation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        writes.add(put != null ? new BatchWriteItemRequest.Write(attributes(put, "Item"), null)
            : new BatchWriteItemRequest.Write(null, attributes(delete, "Key")));
      }
      requestItems.put(table, writes);
    });
    return router.batchWriteItem(new BatchWriteItemRequest(requestItems, consumedCapacity(in))).thenApply(result -> g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("UnprocessedItems");
      for (Map.Entry<String, List<BatchWriteItemRequest.Write>> e : result.unprocessedItems().entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (BatchWriteItemRequest.Write w : e.getValue()) {
          g.writeStartObject();
          g.writeObjectFieldStart(w.isPut() ? "PutRequest" : "DeleteRequest");
          g.writeFieldName(w.isPut() ? "Item" : "Key");
          AttributeValueJson.writeMap(g, w.isPut() ? w.item() : w.key());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      writeCapacityList(g, result.consumedCapacity(), consumedCapacity(in));
      g.writeEndObject();
    });
  }

  private static void writeCapacityList(JsonGenerator g, List<ConsumedCapacity> list, ReturnConsumedCapacity mode) throws IOException {
    if (mode == ReturnConsumedCapacity.NONE) {
      return;
    }
    g.writeArrayFieldStart("ConsumedCapacity");
    for (ConsumedCapacity cc : list) {
      writeCapacityObject(g, cc);
    }
    g.writeEndArray();
  }

  static void writeConsumedCapacity(JsonGenerator g, ConsumedCapacity cc) throws IOException {
    if (cc == null) {
      return;
    }
    g.writeFieldName("ConsumedCapacity");
    writeCapacityObject(g, cc);
  }

  private static void writeCapacityObject(JsonGenerator g, ConsumedCapacity cc) throws IOException {
    g.writeStartObject();
    g.writeStringField("TableName", cc.tableName());
    writeUnits(g, cc.capacityUnits(), cc.readCapacityUnits() > 0, cc.writeCapacityUnits() > 0);
    if (cc.tableBreakdown()) {
      g.writeObjectFieldStart("Table");
      writeUnits(g, cc.tableUnits(), cc.readCapacityUnits() > 0 && cc.tableUnits() > 0, cc.writeCapacityUnits() > 0);
      g.writeEndObject();
      if (cc.index() != null) {
        g.writeObjectFieldStart(cc.index().global() ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
        g.writeObjectFieldStart(cc.index().indexName());
        writeUnits(g, cc.index().capacityUnits(), cc.index().capacityUnits() > 0, false);
        g.writeEndObject();
        g.writeEndObject();
      }
    }
    g.writeEndObject();
  }

  /** CapacityUnits, and the same units as read or write units when the request read or wrote. */
  private static void writeUnits(JsonGenerator g, double units, boolean read, boolean write) throws IOException {
    g.writeNumberField("CapacityUnits", units);
    if (read) {
      g.writeNumberField("ReadCapacityUnits", units);
    }
    if (write) {
      g.writeNumberField("WriteCapacityUnits", units);
    }
  }
}
