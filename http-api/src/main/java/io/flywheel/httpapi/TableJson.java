package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flywheel.model.KeyAttribute;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.TableDescriptor;
import java.io.IOException;

/** Writes DynamoDB's TableDescription. */
final class TableJson {
  private TableJson() {}

  static void writeDescription(JsonGenerator g, TableDescriptor t, PartitionStats stats, CallContext ctx) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("AttributeDefinitions");
    for (AttributeDefinition d : t.attributeDefinitions()) {
      g.writeStartObject();
      g.writeStringField("AttributeName", d.name());
      g.writeStringField("AttributeType", d.type().name());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("TableName", t.name());
    g.writeArrayFieldStart("KeySchema");
    writeKey(g, t.keySchema().partitionKey(), "HASH");
    if (t.keySchema().hasSortKey()) {
      writeKey(g, t.keySchema().sortKey(), "RANGE");
    }
    g.writeEndArray();
    g.writeStringField("TableStatus", t.status().name());
    writeSeconds(g, "CreationDateTime", t.creationMillis());
    ProvisionedThroughput pt = t.throughput();
    g.writeObjectFieldStart("ProvisionedThroughput");
    if (pt.lastIncreaseMillis() > 0) {
      writeSeconds(g, "LastIncreaseDateTime", pt.lastIncreaseMillis());
    }
    if (pt.lastDecreaseMillis() > 0) {
      writeSeconds(g, "LastDecreaseDateTime", pt.lastDecreaseMillis());
    }
    g.writeNumberField("NumberOfDecreasesToday", pt.decreasesToday());
    g.writeNumberField("ReadCapacityUnits", pt.readCapacityUnits());
    g.writeNumberField("WriteCapacityUnits", pt.writeCapacityUnits());
    g.writeEndObject();
    g.writeNumberField("TableSizeBytes", stats.sizeBytes());
    g.writeNumberField("ItemCount", stats.itemCount());
    g.writeStringField("TableArn", ctx.tableArn(t.name()));
    g.writeStringField("TableId", t.tableUuid());
    if (t.billingMode() == BillingMode.PAY_PER_REQUEST || t.billingModeChangedMillis() > 0) {
      g.writeObjectFieldStart("BillingModeSummary");
      g.writeStringField("BillingMode", t.billingMode().name());
      if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
        writeSeconds(g, "LastUpdateToPayPerRequestDateTime", t.billingModeChangedMillis());
      }
      g.writeEndObject();
    }
    g.writeBooleanField("DeletionProtectionEnabled", false);
    g.writeEndObject();
  }

  private static void writeKey(JsonGenerator g, KeyAttribute key, String type) throws IOException {
    g.writeStartObject();
    g.writeStringField("AttributeName", key.name());
    g.writeStringField("KeyType", type);
    g.writeEndObject();
  }

  /** DynamoDB writes timestamps as epoch seconds with a fraction. */
  private static void writeSeconds(JsonGenerator g, String field, long millis) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(java.math.BigDecimal.valueOf(millis, 3));
  }
}
