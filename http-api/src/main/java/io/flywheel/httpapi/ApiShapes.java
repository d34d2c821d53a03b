package io.flywheel.httpapi;

import io.flywheel.httpapi.json.Shape;
import io.flywheel.httpapi.json.Shape.Attribute;
import io.flywheel.httpapi.json.Shape.ListOf;
import io.flywheel.httpapi.json.Shape.MapOf;
import io.flywheel.httpapi.json.Shape.Num;
import io.flywheel.httpapi.json.Shape.Str;
import io.flywheel.httpapi.json.Shape.Struct;

/**
 * The input shapes of the operations, as DynamoDB's service model declares them (constraint
 * values and the order of enum values as DynamoDB prints them in errors).
 */
final class ApiShapes {
  private ApiShapes() {}

  static final Str NAME_3_255 = Str.of(3, 255, "[a-zA-Z0-9_.-]+");
  static final Str TABLE_NAME_PATTERN = Str.of(-1, -1, "[a-zA-Z0-9_.-]+");
  static final Str RETURN_CONSUMED_CAPACITY = Str.enumOf("INDEXES", "TOTAL", "NONE");
  static final Str RETURN_VALUES = Str.enumOf("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
  static final Str RETURN_ITEM_COLLECTION_METRICS = Str.enumOf("SIZE", "NONE");
  static final Str RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = Str.enumOf("ALL_OLD", "NONE");
  static final Str BILLING_MODE = Str.enumOf("PROVISIONED", "PAY_PER_REQUEST");
  static final MapOf ATTRIBUTE_MAP = new MapOf(new Attribute(), -1, -1, "AttributeValue", null);
  static final MapOf EXPRESSION_ATTRIBUTE_VALUES =
      new MapOf(new Shape.ExpressionAttributeValue(), -1, -1, "AttributeValue", null);
  static final MapOf NAME_MAP = new MapOf(Str.ANY, -1, -1, "java.lang.String", null);
  static final Num CAPACITY_UNITS = new Num("Long", 1L, null);

  static final Str CONDITIONAL_OPERATOR = Str.enumOf("OR", "AND");
  static final Str COMPARISON_OPERATOR = Str.enumOf(
      "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");
  static final Str SELECT = Str.enumOf("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");
  static final ListOf ATTRIBUTES_TO_GET = new ListOf(Str.ANY, 1, 255);
  static final Str TABLE_NAME_KEY = Str.of(3, 255, "[a-zA-Z0-9_.-]+");

  /** Expected's entries: Value/Exists or ComparisonOperator/AttributeValueList. */
  static final MapOf EXPECTED = new MapOf(Struct.builder("ExpectedAttributeValue")
      .member("AttributeValueList", new ListOf(new Attribute(), -1, -1))
      .member("ComparisonOperator", COMPARISON_OPERATOR)
      .member("Exists", new Shape.Bool())
      .member("Value", new Attribute())
      .build(), -1, -1, "ExpectedAttributeValue", null);

  /** QueryFilter, ScanFilter and KeyConditions entries. */
  static final MapOf CONDITIONS = new MapOf(Struct.builder("Condition")
      .member("AttributeValueList", new ListOf(new Attribute(), -1, -1))
      .required("ComparisonOperator", COMPARISON_OPERATOR)
      .build(), -1, -1, "Condition", null);

  static final MapOf ATTRIBUTE_UPDATES = new MapOf(Struct.builder("AttributeValueUpdate")
      .member("Action", Str.enumOf("ADD", "PUT", "DELETE"))
      .member("Value", new Attribute())
      .build(), -1, -1, "AttributeValueUpdate", null);

  static final Struct PROVISIONED_THROUGHPUT = Struct.builder("ProvisionedThroughput")
      .required("ReadCapacityUnits", CAPACITY_UNITS)
      .required("WriteCapacityUnits", CAPACITY_UNITS)
      .build();

  static final ListOf KEY_SCHEMA = new ListOf(Struct.builder("KeySchemaElement")
      .required("AttributeName", Str.of(1, 255, null))
      .required("KeyType", Str.enumOf("HASH", "RANGE"))
      .build(), 1, 2);

  static final ListOf ATTRIBUTE_DEFINITIONS = new ListOf(Struct.builder("AttributeDefinition")
      .required("AttributeName", Str.of(1, 255, null))
      .required("AttributeType", Str.enumOf("B", "N", "S"))
      .build(), -1, -1);

  static final Struct PROJECTION = Struct.builder("Projection")
      .member("ProjectionType", Str.enumOf("ALL", "INCLUDE", "KEYS_ONLY"))
      .member("NonKeyAttributes", new ListOf(Str.of(1, 255, null), 1, 20))
      .build();

  static final Struct LOCAL_INDEX = Struct.builder("LocalSecondaryIndex")
      .required("IndexName", NAME_3_255)
      .required("KeySchema", KEY_SCHEMA)
      .required("Projection", PROJECTION)
      .build();

  static final Struct GLOBAL_INDEX_WITH_THROUGHPUT = Struct.builder("GlobalSecondaryIndex")
      .required("IndexName", NAME_3_255)
      .required("KeySchema", KEY_SCHEMA)
      .required("Projection", PROJECTION)
      .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
      .build();

  static final Struct CREATE_TABLE = Struct.builder("CreateTableInput")
      .required("AttributeDefinitions", ATTRIBUTE_DEFINITIONS)
      .tableName("TableName", TABLE_NAME_PATTERN)
      .required("KeySchema", KEY_SCHEMA)
      .member("LocalSecondaryIndexes", new ListOf(LOCAL_INDEX, -1, -1))
      .member("GlobalSecondaryIndexes", new ListOf(GLOBAL_INDEX_WITH_THROUGHPUT, -1, -1))
      .member("BillingMode", BILLING_MODE)
      .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
      .build();

  static final Struct TABLE_NAME_ONLY = Struct.builder("TableNameInput")
      .tableName("TableName", TABLE_NAME_PATTERN)
      .build();

  static final Struct UPDATE_TABLE = Struct.builder("UpdateTableInput")
      .member("AttributeDefinitions", ATTRIBUTE_DEFINITIONS)
      .tableName("TableName", TABLE_NAME_PATTERN)
      .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
      .member("BillingMode", BILLING_MODE)
      .member("GlobalSecondaryIndexUpdates", new ListOf(Struct.builder("GlobalSecondaryIndexUpdate")
          .member("Update", Struct.builder("UpdateGlobalSecondaryIndexAction")
              .required("IndexName", NAME_3_255)
              .required("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
              .build())
          .member("Create", Struct.builder("CreateGlobalSecondaryIndexAction")
              .required("IndexName", NAME_3_255)
              .required("KeySchema", KEY_SCHEMA)
              .required("Projection", PROJECTION)
              .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
              .build())
          .member("Delete", Struct.builder("DeleteGlobalSecondaryIndexAction")
              .required("IndexName", NAME_3_255)
              .build())
          .build(), -1, -1))
      .build();

  static final Struct LIST_TABLES = Struct.builder("ListTablesInput")
      .member("ExclusiveStartTableName", NAME_3_255)
      .member("Limit", new Num("Integer", 1L, 100L))
      .build();

  static final Struct EMPTY = Struct.builder("EmptyInput").build();

  static final Struct PUT_ITEM = Struct.builder("PutItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .required("Item", ATTRIBUTE_MAP)
      .member("ReturnValues", RETURN_VALUES)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .member("ConditionExpression", Str.ANY)
      .member("ExpressionAttributeValues", EXPRESSION_ATTRIBUTE_VALUES)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .member("Expected", EXPECTED)
      .member("ConditionalOperator", CONDITIONAL_OPERATOR)
      .build();

  static final Struct GET_ITEM = Struct.builder("GetItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConsistentRead", new Shape.Bool())
      .member("ProjectionExpression", Str.ANY)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("AttributesToGet", ATTRIBUTES_TO_GET)
      .build();

  static final Struct DELETE_ITEM = Struct.builder("DeleteItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .member("ReturnValues", RETURN_VALUES)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConditionExpression", Str.ANY)
      .member("ExpressionAttributeValues", EXPRESSION_ATTRIBUTE_VALUES)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .member("Expected", EXPECTED)
      .member("ConditionalOperator", CONDITIONAL_OPERATOR)
      .build();

  static final Struct UPDATE_ITEM = Struct.builder("UpdateItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .member("ReturnValues", RETURN_VALUES)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConditionExpression", Str.ANY)
      .member("UpdateExpression", Str.ANY)
      .member("ExpressionAttributeValues", EXPRESSION_ATTRIBUTE_VALUES)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .member("Expected", EXPECTED)
      .member("ConditionalOperator", CONDITIONAL_OPERATOR)
      .member("AttributeUpdates", ATTRIBUTE_UPDATES)
      .build();

  static final Struct QUERY = Struct.builder("QueryInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .member("AttributesToGet", ATTRIBUTES_TO_GET)
      .required("TableName", NAME_3_255)
      .member("IndexName", NAME_3_255)
      .member("Select", SELECT)
      .member("Limit", new Num("Integer", 1L, null))
      .member("ConsistentRead", new Shape.Bool())
      .member("ScanIndexForward", new Shape.Bool())
      .member("ExclusiveStartKey", ATTRIBUTE_MAP)
      .member("KeyConditions", CONDITIONS)
      .member("QueryFilter", CONDITIONS)
      .member("ConditionalOperator", CONDITIONAL_OPERATOR)
      .member("ProjectionExpression", Str.ANY)
      .member("FilterExpression", Str.ANY)
      .member("KeyConditionExpression", Str.ANY)
      .member("ExpressionAttributeValues", EXPRESSION_ATTRIBUTE_VALUES)
      .member("ExpressionAttributeNames", NAME_MAP)
      .build();

  static final Struct SCAN = Struct.builder("ScanInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .member("AttributesToGet", ATTRIBUTES_TO_GET)
      .required("TableName", NAME_3_255)
      .member("IndexName", NAME_3_255)
      .member("Select", SELECT)
      .member("Limit", new Num("Integer", 1L, null))
      .member("ConsistentRead", new Shape.Bool())
      .member("ExclusiveStartKey", ATTRIBUTE_MAP)
      .member("Segment", new Num("Integer", 0L, 999999L))
      .member("TotalSegments", new Num("Integer", 1L, 1000000L))
      .member("ScanFilter", CONDITIONS)
      .member("ConditionalOperator", CONDITIONAL_OPERATOR)
      .member("ProjectionExpression", Str.ANY)
      .member("FilterExpression", Str.ANY)
      .member("ExpressionAttributeValues", EXPRESSION_ATTRIBUTE_VALUES)
      .member("ExpressionAttributeNames", NAME_MAP)
      .build();

  static final Struct BATCH_GET_ITEM = Struct.builder("BatchGetItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("RequestItems", new MapOf(Struct.builder("KeysAndAttributes")
          .required("Keys", new ListOf(ATTRIBUTE_MAP, 1, 100))
          .member("AttributesToGet", ATTRIBUTES_TO_GET)
          .member("ConsistentRead", new Shape.Bool())
          .member("ProjectionExpression", Str.ANY)
          .member("ExpressionAttributeNames", NAME_MAP)
          .build(), 1, 100, "KeysAndAttributes", TABLE_NAME_KEY))
      .build();

  static final Struct BATCH_WRITE_ITEM = Struct.builder("BatchWriteItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .required("RequestItems", new MapOf(new ListOf(Struct.builder("WriteRequest")
          .member("DeleteRequest", Struct.builder("DeleteRequest").required("Key", ATTRIBUTE_MAP).build())
          .member("PutRequest", Struct.builder("PutRequest").required("Item", ATTRIBUTE_MAP).build())
          .build(), 1, 25), 1, -1, "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>", TABLE_NAME_KEY))
      .build();

  // ---- transactions ----

  /** The members every TransactWriteItem action shares after its key or item. */
  private static Struct.Builder transactAction(Struct.Builder b) {
    return b.member("ExpressionAttributeNames", NAME_MAP)
        .member("ExpressionAttributeValues", ATTRIBUTE_MAP)
        .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
  }

  static final Struct TRANSACT_WRITE_ITEMS = Struct.builder("TransactWriteItemsInput")
      .required("TransactItems", new ListOf(Struct.builder("TransactWriteItem")
          .member("ConditionCheck", transactAction(Struct.builder("ConditionCheck")
              .required("Key", ATTRIBUTE_MAP)
              .required("TableName", NAME_3_255)
              .required("ConditionExpression", Str.ANY)).build())
          .member("Put", transactAction(Struct.builder("Put")
              .required("Item", ATTRIBUTE_MAP)
              .required("TableName", NAME_3_255)
              .member("ConditionExpression", Str.ANY)).build())
          .member("Delete", transactAction(Struct.builder("Delete")
              .required("Key", ATTRIBUTE_MAP)
              .required("TableName", NAME_3_255)
              .member("ConditionExpression", Str.ANY)).build())
          .member("Update", transactAction(Struct.builder("Update")
              .required("Key", ATTRIBUTE_MAP)
              .required("UpdateExpression", Str.ANY)
              .required("TableName", NAME_3_255)
              .member("ConditionExpression", Str.ANY)).build())
          .build(), 1, 100))
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .member("ClientRequestToken", Str.of(1, 36, null))
      .build();

  static final Struct TRANSACT_GET_ITEMS = Struct.builder("TransactGetItemsInput")
      .required("TransactItems", new ListOf(Struct.builder("TransactGetItem")
          .required("Get", Struct.builder("Get")
              .required("Key", ATTRIBUTE_MAP)
              .required("TableName", NAME_3_255)
              .member("ProjectionExpression", Str.ANY)
              .member("ExpressionAttributeNames", NAME_MAP)
              .build())
          .build(), 1, 100))
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .build();
}
