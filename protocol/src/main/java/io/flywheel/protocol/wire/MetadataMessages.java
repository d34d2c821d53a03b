package io.flywheel.protocol.wire;

import static io.flywheel.protocol.wire.StorageNodeMessages.NOTHING;
import static io.flywheel.protocol.wire.StorageNodeMessages.codec;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.TableDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The mutations of {@link MetadataService} on the wire, and {@link #CATALOG}: every table's
 * descriptor at once, which routers fetch at a fixed rate to serve lookups from memory.
 *
 * <p>Format V1 as in {@link StorageNodeMessages}: strings and enums by name or ordinal as
 * DescriptorCodec writes them, counts as varints, descriptors with {@link DescriptorCodec}.
 */
public final class MetadataMessages {
  private MetadataMessages() {}

  /** Tables in one catalog answer at most: DynamoDB's default quota is 2,500 tables per region. */
  public static final int CATALOG_TABLES_MAX = 10_000;

  /** {@link MetadataService#deleteTable}. */
  public record DeleteTable(String name) {
    public DeleteTable {
      Objects.requireNonNull(name);
    }
  }

  /** {@link MetadataService#updateBilling}. */
  public record UpdateBilling(String name, BillingMode mode, long readCapacityUnits, long writeCapacityUnits) {
    public UpdateBilling {
      Objects.requireNonNull(name);
      Objects.requireNonNull(mode);
    }
  }

  /** {@link MetadataService#createGlobalIndex}. */
  public record CreateGlobalIndex(String tableName, CreateTableSpec.IndexSpec index, List<AttributeDefinition> definitions) {
    public CreateGlobalIndex {
      Objects.requireNonNull(tableName);
      Objects.requireNonNull(index);
      definitions = List.copyOf(definitions);
    }
  }

  /** {@link MetadataService#deleteGlobalIndex}. */
  public record DeleteGlobalIndex(String tableName, String indexName) {
    public DeleteGlobalIndex {
      Objects.requireNonNull(tableName);
      Objects.requireNonNull(indexName);
    }
  }

  /** {@link MetadataService#updateGlobalIndexThroughput}. */
  public record UpdateGlobalIndexThroughput(String tableName, String indexName, long readCapacityUnits, long writeCapacityUnits) {
    public UpdateGlobalIndexThroughput {
      Objects.requireNonNull(tableName);
      Objects.requireNonNull(indexName);
    }
  }

  // ---- codecs ----------------------------------------------------------------------------------

  private static void writeDefinitions(ByteWriter w, List<AttributeDefinition> defs) {
    Fields.writeCount(w, defs.size());
    for (AttributeDefinition d : defs) {
      w.writeString(d.name()).writeByte(d.type().ordinal());
    }
  }

  private static List<AttributeDefinition> readDefinitions(ByteReader r) {
    int n = Fields.readCount(r);
    List<AttributeDefinition> defs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      defs.add(new AttributeDefinition(r.readString(), DescriptorCodec.scalar(r.readByte())));
    }
    return defs;
  }

  private static void writeIndexSpec(ByteWriter w, CreateTableSpec.IndexSpec i) {
    w.writeString(i.name());
    Fields.writeBoolean(w, i.global());
    DescriptorCodec.writeKeySchema(w, i.keySchema());
    w.writeByte(i.projectionType().ordinal());
    Fields.writeCount(w, i.nonKeyAttributes().size());
    for (String a : i.nonKeyAttributes()) {
      w.writeString(a);
    }
    w.writeLong(i.readCapacityUnits()).writeLong(i.writeCapacityUnits());
  }

  private static CreateTableSpec.IndexSpec readIndexSpec(ByteReader r) {
    String name = r.readString();
    boolean global = Fields.readBoolean(r);
    var keys = DescriptorCodec.readKeySchema(r);
    ProjectionType projection = DescriptorCodec.enumAt(ProjectionType.values(), r.readByte());
    int n = Fields.readCount(r);
    List<String> nonKey = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nonKey.add(r.readString());
    }
    return new CreateTableSpec.IndexSpec(name, global, keys, projection, nonKey, r.readLong(), r.readLong());
  }

  private static BillingMode readBillingMode(ByteReader r) {
    return DescriptorCodec.enumAt(BillingMode.values(), r.readByte());
  }

  static final WireCodec<CreateTableSpec> CREATE_TABLE_REQUEST = codec((w, s, v) -> {
    w.writeString(s.name());
    DescriptorCodec.writeKeySchema(w, s.keySchema());
    writeDefinitions(w, s.attributeDefinitions());
    w.writeByte(s.billingMode().ordinal());
    w.writeLong(s.readCapacityUnits()).writeLong(s.writeCapacityUnits());
    Fields.writeCount(w, s.indexes().size());
    for (CreateTableSpec.IndexSpec i : s.indexes()) {
      writeIndexSpec(w, i);
    }
  }, (r, v) -> {
    String name = r.readString();
    var keys = DescriptorCodec.readKeySchema(r);
    List<AttributeDefinition> defs = readDefinitions(r);
    BillingMode mode = readBillingMode(r);
    long rcu = r.readLong();
    long wcu = r.readLong();
    int n = Fields.readCount(r);
    List<CreateTableSpec.IndexSpec> indexes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      indexes.add(readIndexSpec(r));
    }
    return new CreateTableSpec(name, keys, defs, mode, rcu, wcu, indexes);
  });

  static final WireCodec<TableDescriptor> TABLE = codec(
      (w, t, v) -> DescriptorCodec.writeTable(w, t),
      (r, v) -> DescriptorCodec.readTable(r));

  static final WireCodec<DeleteTable> DELETE_TABLE_REQUEST = codec(
      (w, q, v) -> w.writeString(q.name()),
      (r, v) -> new DeleteTable(r.readString()));

  static final WireCodec<UpdateBilling> UPDATE_BILLING_REQUEST = codec((w, q, v) -> {
    w.writeString(q.name()).writeByte(q.mode().ordinal());
    w.writeLong(q.readCapacityUnits()).writeLong(q.writeCapacityUnits());
  }, (r, v) -> new UpdateBilling(r.readString(), readBillingMode(r), r.readLong(), r.readLong()));

  static final WireCodec<CreateGlobalIndex> CREATE_GLOBAL_INDEX_REQUEST = codec((w, q, v) -> {
    w.writeString(q.tableName());
    writeIndexSpec(w, q.index());
    writeDefinitions(w, q.definitions());
  }, (r, v) -> new CreateGlobalIndex(r.readString(), readIndexSpec(r), readDefinitions(r)));

  static final WireCodec<DeleteGlobalIndex> DELETE_GLOBAL_INDEX_REQUEST = codec(
      (w, q, v) -> w.writeString(q.tableName()).writeString(q.indexName()),
      (r, v) -> new DeleteGlobalIndex(r.readString(), r.readString()));

  static final WireCodec<UpdateGlobalIndexThroughput> UPDATE_GLOBAL_INDEX_THROUGHPUT_REQUEST = codec((w, q, v) -> {
    w.writeString(q.tableName()).writeString(q.indexName());
    w.writeLong(q.readCapacityUnits()).writeLong(q.writeCapacityUnits());
  }, (r, v) -> new UpdateGlobalIndexThroughput(r.readString(), r.readString(), r.readLong(), r.readLong()));

  static final WireCodec<List<TableDescriptor>> CATALOG_RESULT = codec((w, tables, v) -> {
    if (tables.size() > CATALOG_TABLES_MAX) {
      throw new IllegalArgumentException("more than " + CATALOG_TABLES_MAX + " tables in one catalog answer");
    }
    Fields.writeCount(w, tables.size());
    for (TableDescriptor t : tables) {
      DescriptorCodec.writeTable(w, t);
    }
  }, (r, v) -> {
    int n = Fields.readCount(r);
    if (n > CATALOG_TABLES_MAX) {
      throw new io.flywheel.base.CorruptDataException("a catalog of " + n + " tables");
    }
    List<TableDescriptor> tables = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tables.add(DescriptorCodec.readTable(r));
    }
    return tables;
  });

  public static final RpcMethod<CreateTableSpec, TableDescriptor> CREATE_TABLE =
      new RpcMethod<>("createTable", MessageKind.METADATA_CREATE_TABLE, CREATE_TABLE_REQUEST, TABLE);
  public static final RpcMethod<DeleteTable, TableDescriptor> DELETE_TABLE =
      new RpcMethod<>("deleteTable", MessageKind.METADATA_DELETE_TABLE, DELETE_TABLE_REQUEST, TABLE);
  public static final RpcMethod<UpdateBilling, TableDescriptor> UPDATE_BILLING =
      new RpcMethod<>("updateBilling", MessageKind.METADATA_UPDATE_BILLING, UPDATE_BILLING_REQUEST, TABLE);
  public static final RpcMethod<CreateGlobalIndex, TableDescriptor> CREATE_GLOBAL_INDEX =
      new RpcMethod<>("createGlobalIndex", MessageKind.METADATA_CREATE_GLOBAL_INDEX, CREATE_GLOBAL_INDEX_REQUEST, TABLE);
  public static final RpcMethod<DeleteGlobalIndex, TableDescriptor> DELETE_GLOBAL_INDEX =
      new RpcMethod<>("deleteGlobalIndex", MessageKind.METADATA_DELETE_GLOBAL_INDEX, DELETE_GLOBAL_INDEX_REQUEST, TABLE);
  public static final RpcMethod<UpdateGlobalIndexThroughput, TableDescriptor> UPDATE_GLOBAL_INDEX_THROUGHPUT =
      new RpcMethod<>("updateGlobalIndexThroughput", MessageKind.METADATA_UPDATE_GLOBAL_INDEX_THROUGHPUT,
          UPDATE_GLOBAL_INDEX_THROUGHPUT_REQUEST, TABLE);
  /** Every table's descriptor, as this metadata replica has applied them. */
  public static final RpcMethod<Void, List<TableDescriptor>> CATALOG =
      new RpcMethod<>("catalog", MessageKind.METADATA_CATALOG, NOTHING, CATALOG_RESULT);

  /** Every method, for servers that register them all and for tests. */
  public static final List<RpcMethod<?, ?>> ALL = List.of(CREATE_TABLE, DELETE_TABLE, UPDATE_BILLING, CREATE_GLOBAL_INDEX,
      DELETE_GLOBAL_INDEX, UPDATE_GLOBAL_INDEX_THROUGHPUT, CATALOG);
}
