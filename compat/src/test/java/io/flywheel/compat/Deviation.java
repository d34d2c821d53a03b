package io.flywheel.compat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The reviewed list of places where Flywheel and DynamoDB Local are expected to answer
 * differently: places where DynamoDB Local departs from the documented DynamoDB service and
 * Flywheel follows the service ({@link Kind#SERVICE_OVER_LOCAL}). A deliberate Flywheel behaviour
 * of its own would be {@link Kind#FLYWHEEL_CHOICE}; there is none at present.
 *
 * <p>Scenarios reference a constant through {@link Scenario#deviates}. A {@link Scope#MESSAGE}
 * deviation carries the message pairs it stands for (the service's wording, which Flywheel must
 * produce, and DynamoDB Local's); a marked step passes only when both servers fail with the same
 * error type and their messages form one of the pairs. An {@link Scope#OUTCOME} deviation's
 * scenario states what Flywheel must do instead.
 *
 * <p>{@code docs/compatibility.md} lists every constant with its evidence ({@link DocumentationTest}
 * keeps the two in step).
 */
enum Deviation {
  RETURN_VALUES_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("ReturnValues can only be ALL_OLD or NONE", "Return values set to invalid value")),
  MISSING_TABLE_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("Requested resource not found(: Table: \\S+ not found)?", "Cannot do operations on a non-existent table"),
      pair("Requested resource not found: Index: \\S+ not found", "Requested resource not found"),
      pair("Table already exists: \\S+", "Cannot create preexisting table")),
  CONSTRAINT_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("\\d+ validation errors? detected: Value .* failed to satisfy constraint: .*",
          "Limit must be greater than or equal to 1|Select must be .*|Return values set to invalid value"
              + "|Too many items requested for the Batch(Write|Get)Item call|BatchWriteItem cannot have a null or no requests set"
              + "|BatchGetItem must have some requests set|Member must satisfy enum value set: .*|Invalid table/index name\\..*"
              + "|Key Schema too big\\..*|No Hash Key specified in schema\\..*|Names of key attributes .*"
              + "|Table read and write throughput must be at least 1.*|Indexes must have a projection specified"
              + "|The batch write request list for a table cannot be null or empty: \\S+"
              + "|The list of keys in RequestItems for BatchGetItem is required: \\S+ has empty list"
              + "|Limit in ListTables must be <= 100"
              + "|1 validation error detected: Value '-?\\d+' at 'segment' failed to satisfy constraint: .*")),
  KEY_VALIDATION_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("One or more parameter values were invalid: Missing the key \\S+ in the item",
          "One of the required keys was not given a value"),
      pair("One or more parameter values were invalid: Type mismatch for key \\S+ expected: \\S+ actual: \\S+",
          "One or more parameter values were invalid: Type mismatch for key|Invalid attribute value type"),
      pair("One or more parameter values were invalid: Type mismatch for Index Key \\S+ Expected: \\S+ Actual: \\S+ IndexName: \\S+",
          "One or more parameter values were invalid: Type mismatch for Index Key"),
      pair("One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty "
          + "(string|binary) value\\. Key: \\S+",
          "One or more parameter values are not valid\\. The AttributeValue for a key attribute cannot contain an empty "
              + "(string|binary) value\\. Key: \\S+"),
      pair("The provided key element does not match the schema", "The number of conditions on the keys is invalid"
          + "|One or more parameter values were invalid: Type mismatch for key|Invalid attribute value type"
          + "|One of the required keys was not given a value"),
      pair("One or more parameter values were invalid: (Size of hashkey has exceeded the maximum size limit of2048 bytes"
          + "|Aggregated size of all range keys has exceeded the size limit of 1024 bytes)",
          "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes")),
  NUMBER_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair(ValueWrapping.PREFIX + "Attempting to store more than 38 significant digits in a Number" + ValueWrapping.SUFFIX,
          ValueWrapping.PREFIX + "DynamoDB only supports precision up to 38 digits" + ValueWrapping.SUFFIX),
      pair(ValueWrapping.PREFIX + "The parameter cannot be converted to a numeric value(: .*)?" + ValueWrapping.SUFFIX,
          ValueWrapping.PREFIX + "A value provided cannot be converted into a number" + ValueWrapping.SUFFIX)),
  ARITHMETIC_PRECISION_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("Number overflow\\. Attempting to store a number with magnitude larger than supported range",
          "DynamoDB only supports precision up to 38 digits")),
  SET_DUPLICATES_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair(ValueWrapping.PREFIX + "One or more parameter values were invalid: Input collection \\[.*\\]( |of type BS )contains duplicates\\."
          + ValueWrapping.SUFFIX,
          ValueWrapping.PREFIX + "One or more parameter values were invalid: Input collection (\\[.*\\] |of type BS )contains duplicates\\.?"
              + ValueWrapping.SUFFIX)),
  QUERY_VALIDATION_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("Query condition missed key schema element: \\S+", "Query condition missed key schema element"),
      pair("The provided starting key is invalid: The provided key element does not match the schema",
          "Exclusive Start Key must have same size as table's key schema|Type mismatch for attribute to update"),
      pair("The provided starting key is outside query boundaries based on provided conditions",
          "The provided starting key does not match the range key predicate"),
      pair("The Segment parameter is zero-based and must be less than parameter TotalSegments: .*",
          "1 validation error detected: Value '\\d+' at 'segment' failed to satisfy constraint: .*"),
      pair("Consistent reads are not supported on global secondary indexes", "Consistent read cannot be true when querying a GSI"),
      pair("The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
          "If segment is specified, total segment must also be specified"),
      pair("The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
          "If total segments is specified, a particular segment must also be specified for this request"),
      pair("1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count",
          "Cannot specify the ProjectionExpression when choosing to get only the Count")),
  TABLE_VALIDATION_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("One or more parameter values were invalid: .*|Invalid KeySchema: .*"
          + "|TableName must be at least 3 characters long and at most 255 characters long"
          + "|At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
          + "SSESpecification or ReplicaUpdates is required|The provisioned throughput for the table will not change\\..*", ".*")),
  LEGACY_PARAMETER_MESSAGE(Kind.SERVICE_OVER_LOCAL,
      pair("One or more parameter values were invalid: (ADD|DELETE) action (with value )?is not supported for the type "
          + "(S|N|B|BOOL|NULL|L|M|SS|NS|BS)",
          "One or more parameter values were invalid: (ADD|DELETE) action (with value )?is not supported for the type [A-Z_]+"),
      pair("One or more parameter values were invalid: Duplicate value in attribute name: \\S+",
          "Cannot have two attributes with the same name")),
  OVERLAP_MESSAGE_PATHS(Kind.SERVICE_OVER_LOCAL,
      pair("Invalid (Update|Projection)Expression: Two document paths overlap with each other; must remove or rewrite one of "
          + "these paths; path one: \\[(\\w+)[,\\]].*, path two: \\[\\2[,\\]].*",
          "Invalid (Update|Projection)Expression: Two document paths overlap with each other; must remove or rewrite one of "
              + "these paths; path one: \\[.*, path two: \\[.*")),
  UNREQUESTED_CONSUMED_CAPACITY(Kind.SERVICE_OVER_LOCAL),
  RESERVED_WORD_SIZE(Kind.SERVICE_OVER_LOCAL),
  LIMIT_REACHED_LAST_EVALUATED_KEY(Kind.SERVICE_OVER_LOCAL),
  INTERNAL_FAILURE_ON_INVALID_INPUT(Kind.SERVICE_OVER_LOCAL),
  PAY_PER_REQUEST_WITH_THROUGHPUT(Kind.SERVICE_OVER_LOCAL),
  EMPTY_INDEX_LIST_ACCEPTED(Kind.SERVICE_OVER_LOCAL),
  GSI_THROUGHPUT_ON_DEMAND(Kind.SERVICE_OVER_LOCAL),
  NUMBERS_NOT_NORMALISED_BY_UPDATE(Kind.SERVICE_OVER_LOCAL),
  INDEX_KEY_TYPE_NOT_CHECKED_ON_UPDATE(Kind.SERVICE_OVER_LOCAL),
  UPDATED_VALUES_NESTED_PATHS(Kind.SERVICE_OVER_LOCAL),
  ;

  /** How a value error inside ExpressionAttributeValues is wrapped: the prefix and suffix, optional in patterns. */
  private static final class ValueWrapping {
    static final String PREFIX = "(ExpressionAttributeValues contains invalid value: )?";
    static final String SUFFIX = "( for key \\S+)?";
  }

  /** Who departs from the documented service. */
  enum Kind {
    /** DynamoDB Local departs from the documented service; Flywheel follows the service. */
    SERVICE_OVER_LOCAL,
    /** A deliberate Flywheel behaviour that differs from DynamoDB Local; see docs/compatibility.md. */
    FLYWHEEL_CHOICE
  }

  /** How far a deviation reaches. */
  enum Scope {
    /** Both fail with the same error type and HTTP status; only the message text differs. */
    MESSAGE,
    /** The outcomes differ (success against failure, another error type, another response). */
    OUTCOME
  }

  /** The service's wording of an error (Flywheel's) and DynamoDB Local's, as whole-message patterns. */
  record MessagePair(Pattern service, Pattern local) {}

  private final Kind kind;
  private final List<MessagePair> messages;

  Deviation(Kind kind, MessagePair... messages) {
    this.kind = kind;
    this.messages = List.of(messages);
  }

  private static MessagePair pair(String serviceRegex, String localRegex) {
    return new MessagePair(Pattern.compile(serviceRegex), Pattern.compile(localRegex));
  }

  Kind kind() {
    return kind;
  }

  Scope scope() {
    return messages.isEmpty() ? Scope.OUTCOME : Scope.MESSAGE;
  }

  /** Whether the two messages are one of this deviation's pairs (Flywheel's first). */
  boolean explains(String flywheelMessage, String dynamoDbLocalMessage) {
    for (MessagePair p : messages) {
      if (flywheelMessage != null && dynamoDbLocalMessage != null && p.service().matcher(flywheelMessage).matches()
          && p.local().matcher(dynamoDbLocalMessage).matches()) {
        return true;
      }
    }
    return false;
  }
}
