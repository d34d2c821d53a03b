package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.router.TableDescription;
import java.io.IOException;

/** Writes DynamoDB's TableDescription. */
final class TableJson {
  private TableJson() {}

  /** @param description item counts and sizes; null reports zeros (CreateTable, DeleteTable, UpdateTable) */
  static void writeDescription(JsonGenerator g, TableDescriptor t, TableDescription description, CallContext ctx) throws IOException {
    PartitionStats stats = description == null ? PartitionStats.EMPTY : description.stats();
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
    writeKeySchema(g, t.keySchema());
    g.writeStringField("TableStatus", t.status().name());
    writeSeconds(g, "CreationDateTime", t.creationMillis());
    writeThroughput(g, t.throughput());
    g.writeNumberField("TableSizeBytes", stats.sizeBytes());
    g.writeNumberField("ItemCount", stats.itemCount());
    String arn = ctx.tableArn(t.name());
    g.writeStringField("TableArn", arn);
    g.writeStringField("TableId", t.tableUuid());
    if (t.billingMode() == BillingMode.PAY_PER_REQUEST || t.billingModeChangedMillis() > 0) {
      g.writeObjectFieldStart("BillingModeSummary");
      g.writeStringField("BillingMode", t.billingMode().name());
      if (t.billingMode() == BillingMode.PAY_PER_REQUEST) {
        writeSeconds(g, "LastUpdateToPayPerRequestDateTime", t.billingModeChangedMillis());
      }
      g.writeEndObject();
    }
    writeIndexes(g, t, description, arn, false);
    writeIndexes(g, t, description, arn, true);
    g.writeBooleanField("DeletionProtectionEnabled", false);
    g.writeEndObject();
  }

  private static void writeIndexes(JsonGenerator g, TableDescriptor t, TableDescription description, String tableArn, boolean global)
      throws IOException {
    boolean any = false;
    for (IndexDescriptor i : t.indexes()) {
      any |= i.global() == global;
    }
    if (!any) {
      return;
    }
    g.writeArrayFieldStart(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
    for (IndexDescriptor i : t.indexes()) {
      if (i.global() != global) {
        continue;
      }
      PartitionStats stats = description == null ? PartitionStats.EMPTY
          : description.indexStats().getOrDefault(i.name(), PartitionStats.EMPTY);
      g.writeStartObject();
      g.writeStringField("IndexName", i.name());
      writeKeySchema(g, i.keySchema());
      g.writeObjectFieldStart("Projection");
      g.writeStringField("ProjectionType", i.projectionType().name());
      if (i.projectionType() == ProjectionType.INCLUDE) {
        g.writeArrayFieldStart("NonKeyAttributes");
        for (String a : i.nonKeyAttributes()) {
          g.writeString(a);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      if (global) {
        g.writeStringField("IndexStatus", i.status().name());
        if (i.backfilling()) {
          g.writeBooleanField("Backfilling", true);
        }
        writeThroughput(g, i.throughput());
      }
      g.writeNumberField("IndexSizeBytes", stats.sizeBytes());
      g.writeNumberField("ItemCount", stats.itemCount());
      g.writeStringField("IndexArn", tableArn + "/index/" + i.name());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeKeySchema(JsonGenerator g, KeySchema keys) throws IOException {
    g.writeArrayFieldStart("KeySchema");
    writeKey(g, keys.partitionKey(), "HASH");
    if (keys.hasSortKey()) {
      writeKey(g, keys.sortKey(), "RANGE");
    }
    g.writeEndArray();
  }

  private static void writeThroughput(JsonGenerator g, ProvisionedThroughput pt) throws IOException {
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
