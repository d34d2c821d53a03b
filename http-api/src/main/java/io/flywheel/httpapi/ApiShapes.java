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
  static final MapOf NAME_MAP = new MapOf(Str.ANY, -1, -1, "java.lang.String", null);
  static final Num CAPACITY_UNITS = new Num("Long", 1L, null);

  static final Struct PROVISIONED_THROUGHPUT = Struct.builder("ProvisionedThroughput")
      .required("ReadCapacityUnits", CAPACITY_UNITS)
      .required("WriteCapacityUnits", CAPACITY_UNITS)
      .build();

  static final Struct CREATE_TABLE = Struct.builder("CreateTableInput")
      .required("AttributeDefinitions", new ListOf(Struct.builder("AttributeDefinition")
          .required("AttributeName", Str.of(1, 255, null))
          .required("AttributeType", Str.enumOf("B", "N", "S"))
          .build(), -1, -1))
      .tableName("TableName", TABLE_NAME_PATTERN)
      .required("KeySchema", new ListOf(Struct.builder("KeySchemaElement")
          .required("AttributeName", Str.of(1, 255, null))
          .required("KeyType", Str.enumOf("HASH", "RANGE"))
          .build(), 1, 2))
      .member("BillingMode", BILLING_MODE)
      .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
      .build();

  static final Struct TABLE_NAME_ONLY = Struct.builder("TableNameInput")
      .tableName("TableName", TABLE_NAME_PATTERN)
      .build();

  static final Struct UPDATE_TABLE = Struct.builder("UpdateTableInput")
      .tableName("TableName", TABLE_NAME_PATTERN)
      .member("ProvisionedThroughput", PROVISIONED_THROUGHPUT)
      .member("BillingMode", BILLING_MODE)
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
      .member("ExpressionAttributeValues", ATTRIBUTE_MAP)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .build();

  static final Struct GET_ITEM = Struct.builder("GetItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConsistentRead", new Shape.Bool())
      .member("ProjectionExpression", Str.ANY)
      .member("ExpressionAttributeNames", NAME_MAP)
      .build();

  static final Struct DELETE_ITEM = Struct.builder("DeleteItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .member("ReturnValues", RETURN_VALUES)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConditionExpression", Str.ANY)
      .member("ExpressionAttributeValues", ATTRIBUTE_MAP)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .build();

  static final Struct UPDATE_ITEM = Struct.builder("UpdateItemInput")
      .member("ReturnConsumedCapacity", RETURN_CONSUMED_CAPACITY)
      .required("TableName", NAME_3_255)
      .member("ReturnItemCollectionMetrics", RETURN_ITEM_COLLECTION_METRICS)
      .member("ReturnValues", RETURN_VALUES)
      .required("Key", ATTRIBUTE_MAP)
      .member("ConditionExpression", Str.ANY)
      .member("UpdateExpression", Str.ANY)
      .member("ExpressionAttributeValues", ATTRIBUTE_MAP)
      .member("ExpressionAttributeNames", NAME_MAP)
      .member("ReturnValuesOnConditionCheckFailure", RETURN_VALUES_ON_CONDITION_CHECK_FAILURE)
      .build();
}
