package io.flywheel.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Comparable views of responses whose raw form carries timing or server identity. */
final class Views {
  private Views() {}

  /**
   * What a table is: name, keys, attribute definitions (unordered), billing, throughput and
   * indexes with their projections. {@code withStatus} adds the table's and indexes' status, for
   * responses taken after the table became ACTIVE (right after UpdateTable or CreateTable with
   * global indexes, statuses depend on how far each server has got).
   */
  static Map<String, Object> tableShape(TableDescription t, boolean withStatus) {
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("TableName", t.tableName());
    shape.put("KeySchema", t.keySchema());
    shape.put("AttributeDefinitions", Canonical.unordered(t.attributeDefinitions()));
    shape.put("BillingMode", t.billingModeSummary() == null ? null : t.billingModeSummary().billingModeAsString());
    shape.put("ProvisionedThroughput", t.provisionedThroughput() == null ? null
        : List.of(t.provisionedThroughput().readCapacityUnits(), t.provisionedThroughput().writeCapacityUnits()));
    if (withStatus) {
      shape.put("TableStatus", t.tableStatusAsString());
    }
    List<Object> lsis = new ArrayList<>();
    for (LocalSecondaryIndexDescription i : t.localSecondaryIndexes()) {
      lsis.add(List.of(i.indexName(), i.keySchema(), projection(i.projection())));
    }
    if (!lsis.isEmpty()) {
      shape.put("LocalSecondaryIndexes", Canonical.unordered(lsis));
    }
    List<Object> gsis = new ArrayList<>();
    for (GlobalSecondaryIndexDescription i : t.globalSecondaryIndexes()) {
      Map<String, Object> index = new LinkedHashMap<>();
      index.put("IndexName", i.indexName());
      index.put("KeySchema", i.keySchema());
      index.put("Projection", projection(i.projection()));
      index.put("ProvisionedThroughput", i.provisionedThroughput() == null ? null
          : List.of(i.provisionedThroughput().readCapacityUnits(), i.provisionedThroughput().writeCapacityUnits()));
      if (withStatus) {
        index.put("IndexStatus", i.indexStatusAsString());
      }
      gsis.add(index);
    }
    if (!gsis.isEmpty()) {
      shape.put("GlobalSecondaryIndexes", Canonical.unordered(gsis));
    }
    return shape;
  }

  private static Object projection(Projection p) {
    if (p == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("ProjectionType", p.projectionTypeAsString());
    if (p.hasNonKeyAttributes()) {
      view.put("NonKeyAttributes", Canonical.unordered(p.nonKeyAttributes()));
    }
    return view;
  }

  /** The names of a table's global indexes. */
  static Object indexNames(TableDescription t) {
    return Canonical.unordered(t.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).toList());
  }
}
