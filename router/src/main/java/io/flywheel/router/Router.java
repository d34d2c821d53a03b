package io.flywheel.router;

import io.flywheel.base.Bytes;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.expr.KeyCondition;
import io.flywheel.model.expr.Projection;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import io.flywheel.router.ConsumedCapacity.Capacity;
import io.flywheel.router.RequestExpressions.Compiled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The DynamoDB API over the metadata service and storage nodes. Thread-safe. */
public final class Router {
  /** DynamoDB's page limit for Query and Scan: 1 MB of item data read. */
  static final long PAGE_BYTES_MAX = 1024 * 1024;
  /** BatchGetItem answers at most this much; the rest comes back as UnprocessedKeys. */
  static final long BATCH_GET_RESPONSE_BYTES_MAX = 16L * 1024 * 1024;

  private final MetadataService metadata;
  private final Routing routing;
  /** TransactWriteItems and TransactGetItems; null when this router serves no transactions. */
  private final TransactionCoordinator transactions;

  public Router(MetadataService metadata, StorageNodes storageNodes, RouterConfig config) {
    this(metadata, storageNodes, config, null);
  }

  public Router(MetadataService metadata, StorageNodes storageNodes, RouterConfig config,
      TransactionCoordinator transactions) {
    this.metadata = metadata;
    this.routing = new Routing(metadata, storageNodes, config);
    this.transactions = transactions;
  }

  // ---- tables ----

  public CompletableFuture<TableDescriptor> createTable(CreateTableRequest request) {
    return metadata.createTable(TableRequests.createSpec(request));
  }

  public CompletableFuture<TableDescription> describeTable(String tableName) {
    TableDescriptor t = metadata.table(tableName);
    if (t == null) {
      throw Routing.tableNotFound(tableName);
    }
    if (t.status() != TableStatus.ACTIVE) {
      return CompletableFuture.completedFuture(new TableDescription(t, PartitionStats.EMPTY, Map.of()));
    }
    CompletableFuture<PartitionStats> tableStats = sumStats(t.partitions(), t.tableId());
    Map<String, CompletableFuture<PartitionStats>> indexStats = new LinkedHashMap<>();
    for (IndexDescriptor index : t.indexes()) {
      indexStats.put(index.name(), sumStats(index.global() ? index.partitions() : t.partitions(), index.indexId()));
    }
    List<CompletableFuture<PartitionStats>> all = new ArrayList<>(indexStats.values());
    all.add(tableStats);
    return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((ignored, error) -> {
      Map<String, PartitionStats> byIndex = new LinkedHashMap<>();
      indexStats.forEach((name, f) -> byIndex.put(name, f.isCompletedExceptionally() ? PartitionStats.EMPTY : f.join()));
      // Sizes are estimates in DynamoDB too; a partition that moved meanwhile only skews them.
      return new TableDescription(t, tableStats.isCompletedExceptionally() ? PartitionStats.EMPTY : tableStats.join(), byIndex);
    });
  }

  private CompletableFuture<PartitionStats> sumStats(List<PartitionDescriptor> partitions, long keySpaceId) {
    List<CompletableFuture<PartitionStats>> parts = new ArrayList<>();
    for (PartitionDescriptor p : partitions) {
      parts.add(routing.node(p).stats(p.ref(), keySpaceId));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(ignored -> {
      PartitionStats total = PartitionStats.EMPTY;
      for (CompletableFuture<PartitionStats> f : parts) {
        total = total.plus(f.join());
      }
      return total;
    });
  }

  public CompletableFuture<TableDescriptor> deleteTable(String tableName) {
    return metadata.deleteTable(tableName);
  }

  public CompletableFuture<TableDescriptor> updateTable(UpdateTableRequest request) {
    TableRequests.checkUpdate(request);
    TableDescriptor t = metadata.table(request.tableName());
    if (t == null) {
      throw Routing.tableNotFound(request.tableName());
    }
    BillingMode mode = request.billingMode() == null ? t.billingMode() : BillingMode.valueOf(request.billingMode());
    boolean billingChange = request.billingMode() != null || request.hasProvisionedThroughput();
    if (request.hasProvisionedThroughput() && mode == BillingMode.PAY_PER_REQUEST) {
      throw DynamoException.invalidParameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    if (billingChange && mode == BillingMode.PROVISIONED && !request.hasProvisionedThroughput()) {
      throw DynamoException.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    }
    List<UpdateTableRequest.GlobalIndexUpdate> indexUpdates = request.globalIndexUpdates() == null ? List.of() : request.globalIndexUpdates();
    if (indexUpdates.size() > 1) {
      throw new DynamoException(ErrorCode.LIMIT_EXCEEDED,
          "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    }
    CompletableFuture<TableDescriptor> result = CompletableFuture.completedFuture(t);
    if (billingChange) {
      long rcu = request.hasProvisionedThroughput() ? request.readCapacityUnits() : 0;
      long wcu = request.hasProvisionedThroughput() ? request.writeCapacityUnits() : 0;
      result = metadata.updateBilling(request.tableName(), mode, rcu, wcu);
    }
    for (UpdateTableRequest.GlobalIndexUpdate u : indexUpdates) {
      result = result.thenCompose(ignored -> indexUpdate(t, mode, request, u));
    }
    return result;
  }

  private CompletableFuture<TableDescriptor> indexUpdate(TableDescriptor t, BillingMode mode, UpdateTableRequest request,
      UpdateTableRequest.GlobalIndexUpdate u) {
    if (u.delete() != null) {
      IndexDescriptor index = t.index(u.delete());
      if (index == null || !index.global()) {
        throw DynamoException.resourceNotFound("Requested resource not found: Index: " + u.delete() + " not found");
      }
      return metadata.deleteGlobalIndex(t.name(), u.delete());
    }
    if (u.update() != null) {
      if (t.index(u.update().indexName()) == null) {
        throw DynamoException.resourceNotFound("Requested resource not found: Index: " + u.update().indexName() + " not found");
      }
      long[] units = TableRequests.indexUnits(u.update(), mode);
      return metadata.updateGlobalIndexThroughput(t.name(), u.update().indexName(), units[0], units[1]);
    }
    CreateTableRequest.IndexInput create = u.create();
    if (request.attributeDefinitions() == null) {
      throw DynamoException.invalidParameter("AttributeDefinitions must be specified when creating an index");
    }
    List<AttributeDefinition> defs = new ArrayList<>(t.attributeDefinitions());
    for (AttributeDefinition d : TableRequests.definitions(request.attributeDefinitions())) {
      AttributeDefinition existing = null;
      for (AttributeDefinition e : defs) {
        if (e.name().equals(d.name())) {
          existing = e;
        }
      }
      if (existing == null) {
        defs.add(d);
      } else if (existing.type() != d.type()) {
        throw DynamoException.invalidParameter("Cannot change the type of attribute " + d.name() + " to " + d.type()
            + " as it is already defined as " + existing.type());
      }
    }
    List<String> names = new ArrayList<>();
    for (AttributeDefinition d : defs) {
      names.add(d.name());
    }
    TableRequests.checkKeySchema(create.keySchema(), names);
    TableRequests.checkProjection(create);
    if (t.index(create.indexName()) != null) {
      throw DynamoException.invalidParameter("Index with name: " + create.indexName() + " already exists");
    }
    long[] units = TableRequests.indexUnits(create, mode);
    return metadata.createGlobalIndex(t.name(), TableRequests.spec(create, true, defs, units[0], units[1]), defs);
  }

  /**
   * @param limit page size in [1, 100], or null for 100
   * @param exclusiveStartTableName the previous page's last name, or null
   */
  public ListTablesResult listTables(Integer limit, String exclusiveStartTableName) {
    int max = limit == null ? 100 : limit;
    List<String> page = new ArrayList<>();
    for (String name : metadata.tableNames()) {
      if (TransactionCoordinator.isInternalTable(name)) {
        continue;
      }
      if (exclusiveStartTableName != null && name.compareTo(exclusiveStartTableName) <= 0) {
        continue;
      }
      if (page.size() == max) {
        return new ListTablesResult(page, page.get(page.size() - 1));
      }
      page.add(name);
    }
    return new ListTablesResult(page, null);
  }

  // ---- single items ----

  public CompletableFuture<WriteItemResult> putItem(PutItemRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    if (request.returnValues() != ReturnValues.NONE && request.returnValues() != ReturnValues.ALL_OLD) {
      throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.PUT, table.keySchema());
    PrimaryKey key = table.keySchema().keyOfItem(request.item());
    return write(table, key, new WriteRequest.WriteOp.Put(request.item()), compiled,
        request.returnValues(), request.returnOldOnConditionFailure(), request.returnConsumedCapacity());
  }

  public CompletableFuture<WriteItemResult> deleteItem(DeleteItemRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    if (request.returnValues() != ReturnValues.NONE && request.returnValues() != ReturnValues.ALL_OLD) {
      throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.DELETE, table.keySchema());
    PrimaryKey key = table.keySchema().validateKey(request.key());
    return write(table, key, new WriteRequest.WriteOp.Delete(), compiled,
        request.returnValues(), request.returnOldOnConditionFailure(), request.returnConsumedCapacity());
  }

  public CompletableFuture<WriteItemResult> updateItem(UpdateItemRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.UPDATE, table.keySchema());
    if (compiled.update() != null) {
      for (String attribute : compiled.update().topLevelAttributesTouched()) {
        if (table.keySchema().isKeyAttribute(attribute)) {
          throw DynamoException.invalidParameter("Cannot update attribute " + attribute + ". This attribute is part of the key");
        }
      }
    }
    PrimaryKey key = table.keySchema().validateKey(request.key());
    // A missing item starts as just its key (UpdateItem creates it).
    WriteRequest.WriteOp op = new WriteRequest.WriteOp.Update(table.keySchema().keyMap(key), compiled.update());
    return write(table, key, op, compiled, request.returnValues(), request.returnOldOnConditionFailure(),
        request.returnConsumedCapacity());
  }

  private CompletableFuture<WriteItemResult> write(
      TableDescriptor table, PrimaryKey key, WriteRequest.WriteOp op, Compiled compiled,
      ReturnValues returnValues, boolean returnOldOnConditionFailure, ReturnConsumedCapacity rcc) {
    boolean returnOld = returnValues == ReturnValues.ALL_OLD || returnValues == ReturnValues.UPDATED_OLD;
    boolean returnNew = returnValues == ReturnValues.ALL_NEW || returnValues == ReturnValues.UPDATED_NEW;
    Projection updated = compiled.update() == null ? null : compiled.update().touched();
    return routing.routed(table, KeyEncoding.partitionHash(key.partition()), partition -> routing.node(partition).write(
            new WriteRequest(partition.ref(), table.tableId(), key, op, compiled.condition(), returnOld, returnNew,
                returnOldOnConditionFailure)))
        .thenApply(result -> new WriteItemResult(
            returnedAttributes(returnValues, result, updated),
            writeCapacity(table, result, rcc),
            result.itemCollectionSizeBytes() < 0 ? null
                : ItemCollectionMetrics.of(Map.of(table.keySchema().partitionKey().name(), key.partition()), result.itemCollectionSizeBytes())));
  }

  /** The item's write, plus one write per index entry it put or deleted. */
  private static ConsumedCapacity writeCapacity(TableDescriptor table, WriteResult result, ReturnConsumedCapacity rcc) {
    ConsumedCapacity cc = ConsumedCapacity.of(table.name(), rcc);
    if (cc == null) {
      return null;
    }
    cc = cc.withTable(new Capacity(0, ConsumedCapacity.writeUnits(Math.max(result.oldSizeBytes(), result.newSizeBytes()))));
    for (WriteResult.IndexWrite w : result.indexWrites()) {
      IndexDescriptor index = table.index(w.indexId());
      if (index != null) {
        cc = cc.withIndex(index.name(), index.global(), new Capacity(0, ConsumedCapacity.writeUnits(w.sizeBytes())));
      }
    }
    return cc;
  }

  private static Map<String, AttributeValue> returnedAttributes(ReturnValues returnValues, WriteResult result, Projection updated) {
    return switch (returnValues) {
      case NONE -> null;
      case ALL_OLD -> result.oldItem();
      case ALL_NEW -> result.newItem();
      case UPDATED_OLD -> only(result.oldItem(), updated);
      case UPDATED_NEW -> only(result.newItem(), updated);
    };
  }

  /** The parts of {@code item} at the paths an update wrote or removed (a nested path returns only itself, as DynamoDB does). */
  private static Map<String, AttributeValue> only(Map<String, AttributeValue> item, Projection updated) {
    if (item == null || updated == null) {
      return null;
    }
    Map<String, AttributeValue> selected = updated.apply(item);
    return selected.isEmpty() ? null : selected;
  }

  public CompletableFuture<GetItemResult> getItem(GetItemRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.GET, table.keySchema());
    PrimaryKey key = table.keySchema().validateKey(request.key());
    return read(table, key, request.consistentRead()).thenApply(image -> {
      ConsumedCapacity cc = ConsumedCapacity.of(table.name(), request.returnConsumedCapacity());
      if (cc != null) {
        cc = cc.withTable(new Capacity(ConsumedCapacity.readUnits(image == null ? 0 : ItemCodec.sizeOf(image), request.consistentRead()), 0));
      }
      if (image == null) {
        return new GetItemResult(null, null, cc);
      }
      if (compiled.projection() == null) {
        return new GetItemResult(image, null, cc);
      }
      return new GetItemResult(null, compiled.projection().apply(ItemCodec.decode(image)), cc);
    });
  }

  private CompletableFuture<byte[]> read(TableDescriptor table, PrimaryKey key, boolean consistent) {
    return routing.routed(table, KeyEncoding.partitionHash(key.partition()), partition -> replicaFor(partition, consistent).read(
            new ReadRequest(partition.ref(), table.tableId(), key, consistent)))
        .thenApply(r -> r.image());
  }

  /** Strongly consistent reads go to the leader; eventually consistent ones to any replica. */
  private StorageNodeService replicaFor(PartitionDescriptor partition, boolean consistent) {
    return consistent ? routing.node(partition) : routing.anyReplica(partition);
  }

  // ---- Query and Scan ----

  public CompletableFuture<ItemPage> query(QueryRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    AccessPath path = AccessPath.of(table, request.indexName());
    checkReadable(path, request.consistentRead());
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.QUERY, path.keys());
    checkFilterOnKeys(path, compiled);
    checkProjectedAttributes(path, compiled);
    Select select = select(request.select(), compiled, request.expressions(), path, true);
    KeyCondition kc = compiled.keyCondition();
    byte[][] range = KeyEncoding.sortKeyRange(path.keySpace(), kc.partitionValue(), kc.sortKey());
    boolean reverse = !request.scanIndexForward();
    if (request.exclusiveStartKey() != null) {
      byte[] at = path.startEntryKey(request.exclusiveStartKey());
      if (Bytes.compareUnsigned(at, range[0]) < 0 || Bytes.compareUnsigned(at, range[1]) >= 0) {
        throw DynamoException.validation("The provided starting key is outside query boundaries based on provided conditions");
      }
      range = reverse ? new byte[][] {range[0], at} : new byte[][] {KeyEncoding.successor(at), range[1]};
    }
    byte[][] r = range;
    int limit = request.limit() == null ? Integer.MAX_VALUE : request.limit();
    long hash = KeyEncoding.partitionHash(kc.partitionValue());
    return routing.routed(table, t -> path.in(t).partitionFor(hash), partition -> replicaFor(partition, request.consistentRead()).readRange(
            new RangeReadRequest(partition.ref(), path.keySpace(), r[0], r[1], reverse, limit, PAGE_BYTES_MAX,
                compiled.filter(), request.consistentRead())))
        .thenCompose(result -> page(path, List.of(result), select, compiled, request.consistentRead(),
            request.returnConsumedCapacity(), result.lastEvaluated()));
  }

  public CompletableFuture<ItemPage> scan(ScanRequest request) {
    TableDescriptor table = routing.activeTable(request.tableName());
    AccessPath path = AccessPath.of(table, request.indexName());
    checkReadable(path, request.consistentRead());
    checkSegments(request.segment(), request.totalSegments());
    Compiled compiled = RequestExpressions.compile(request.expressions(), RequestExpressions.Operation.SCAN, path.keys());
    checkProjectedAttributes(path, compiled);
    Select select = select(request.select(), compiled, request.expressions(), path, false);
    long[] hashes = segmentHashes(request.segment(), request.totalSegments());
    byte[] from = KeyEncoding.hashPrefix(path.keySpace(), hashes[0]);
    if (request.exclusiveStartKey() != null) {
      byte[] at = path.startEntryKey(request.exclusiveStartKey());
      long hash = KeyEncoding.hashOf(at);
      if (Long.compareUnsigned(hash, hashes[0]) < 0 || Long.compareUnsigned(hash, hashes[1]) > 0) {
        throw DynamoException.validation(
            "The provided Exclusive start key does not map to the provided Segment and TotalSegments values.");
      }
      from = KeyEncoding.successor(at);
    }
    byte[] to = KeyEncoding.hashRangeEnd(path.keySpace(), hashes[1]);
    return new ScanState(path, select, compiled, request, to, request.limit() == null ? Integer.MAX_VALUE : request.limit()).next(from);
  }

  /**
   * A Scan crosses partitions in hash order until the item limit or the page's 1 MB is used up,
   * one partition read at a time.
   */
  private final class ScanState {
    final AccessPath path;
    final Select select;
    final Compiled compiled;
    final ScanRequest request;
    final byte[] end;
    final List<RangeReadResult> results = new ArrayList<>();
    int itemsLeft;
    long bytesLeft = PAGE_BYTES_MAX;

    ScanState(AccessPath path, Select select, Compiled compiled, ScanRequest request, byte[] end, int limit) {
      this.path = path;
      this.select = select;
      this.compiled = compiled;
      this.request = request;
      this.end = end;
      this.itemsLeft = limit;
    }

    CompletableFuture<ItemPage> next(byte[] from) {
      record PartitionRead(RangeReadResult result, byte[] stop) {}
      long hash = KeyEncoding.hashOf(from);
      return routing.routed(path.table(), t -> path.in(t).partitionFor(hash), partition -> {
        byte[] partitionEnd = KeyEncoding.hashRangeEnd(path.keySpace(), partition.hashEnd());
        byte[] stop = Bytes.compareUnsigned(partitionEnd, end) < 0 ? partitionEnd : end;
        return replicaFor(partition, request.consistentRead()).readRange(new RangeReadRequest(partition.ref(), path.keySpace(), from, stop, false,
                itemsLeft, bytesLeft, compiled.filter(), request.consistentRead()))
            .thenApply(result -> new PartitionRead(result, stop));
      }).thenCompose(read -> {
        results.add(read.result());
        itemsLeft -= read.result().evaluatedCount();
        bytesLeft -= read.result().evaluatedBytes();
        // A partition read stops early only at the item or byte limit, and then names its last item.
        if (read.result().lastEvaluated() != null || Bytes.compareUnsigned(read.stop(), end) >= 0) {
          return page(path, results, select, compiled, request.consistentRead(), request.returnConsumedCapacity(),
              read.result().lastEvaluated());
        }
        return next(read.stop());
      });
    }
  }

  /** Global indexes are eventually consistent, and readable once filled. */
  private static void checkReadable(AccessPath path, boolean consistentRead) {
    if (!path.isGlobalIndex()) {
      return;
    }
    if (consistentRead) {
      throw DynamoException.validation("Consistent reads are not supported on global secondary indexes");
    }
    if (path.index().backfilling()) {
      throw DynamoException.validation("Cannot read from backfilling global secondary index: " + path.index().name());
    }
  }

  /**
   * A Query's filter may not read the key attributes of what it queries: those belong in the key
   * condition (DynamoDB's rule; a Scan's filter may read them).
   */
  private static void checkFilterOnKeys(AccessPath path, Compiled compiled) {
    KeySchema keys = path.keys();
    List<String> keyNames = new ArrayList<>(List.of(keys.partitionKey().name()));
    if (keys.hasSortKey()) {
      keyNames.add(keys.sortKey().name());
    }
    for (String key : keyNames) {
      if (compiled.filterAttributes().contains(key)) {
        throw DynamoException.validation(compiled.filterParameter()
            + " can only contain non-primary key attributes: Primary key attribute: " + key);
      }
    }
  }

  /**
   * Reads of an index that does not project every attribute: a filter may read only projected
   * attributes (local and global indexes), and a projection may ask only for projected attributes
   * of a global index (a local index fetches the others from the table).
   */
  private static void checkProjectedAttributes(AccessPath path, Compiled compiled) {
    if (path.projectsAll()) {
      return;
    }
    Set<String> projected = new HashSet<>(path.entryKeys().keySet());
    projected.addAll(path.index().nonKeyAttributes());
    List<String> unprojectedFilter = new ArrayList<>(compiled.filterAttributes());
    unprojectedFilter.removeAll(projected);
    if (!unprojectedFilter.isEmpty()) {
      Collections.sort(unprojectedFilter);
      throw DynamoException.invalidParameter("Secondary index " + path.index().name()
          + " does not project one or more filter attributes: " + unprojectedFilter);
    }
    if (path.isGlobalIndex() && compiled.projection() != null) {
      List<String> unprojected = new ArrayList<>(compiled.projection().topLevelAttributes());
      unprojected.removeAll(projected);
      if (!unprojected.isEmpty()) {
        Collections.sort(unprojected);
        throw DynamoException.invalidParameter("Global secondary index " + path.index().name() + " does not project " + unprojected);
      }
    }
  }

  private static void checkSegments(Integer segment, Integer totalSegments) {
    if (segment != null && totalSegments == null) {
      throw DynamoException.validation(
          "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
    }
    if (totalSegments != null) {
      if (segment == null) {
        throw DynamoException.validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
      }
      if (segment >= totalSegments) {
        throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            + "Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
      }
    }
  }

  /** The first and last hash (inclusive) of a parallel-scan segment, or the whole space. */
  static long[] segmentHashes(Integer segment, Integer totalSegments) {
    if (totalSegments == null) {
      return new long[] {0, -1L};
    }
    java.math.BigInteger space = java.math.BigInteger.ONE.shiftLeft(64);
    long first = space.multiply(java.math.BigInteger.valueOf(segment)).divide(java.math.BigInteger.valueOf(totalSegments)).longValue();
    long last = segment + 1 == totalSegments ? -1L
        : space.multiply(java.math.BigInteger.valueOf(segment + 1L)).divide(java.math.BigInteger.valueOf(totalSegments)).longValue() - 1;
    return new long[] {first, last};
  }

  /**
   * The effective Select, after DynamoDB's checks of its combination with projections. A Query
   * reports COUNT with a projection as a "1 validation error"; a Scan does not.
   */
  private static Select select(Select requested, Compiled compiled, ExpressionInput in, AccessPath path, boolean query) {
    boolean projected = compiled.projection() != null;
    String projectionParameter = in != null && in.attributesToGet() != null ? "AttributesToGet" : "ProjectionExpression";
    if (requested == null) {
      return projected ? Select.SPECIFIC_ATTRIBUTES : path.index() == null ? Select.ALL_ATTRIBUTES : Select.ALL_PROJECTED_ATTRIBUTES;
    }
    switch (requested) {
      case ALL_ATTRIBUTES, COUNT -> {
        if (projected && requested == Select.COUNT) {
          throw DynamoException.validation((query ? "1 validation error detected: " : "")
              + "Cannot specify the " + projectionParameter + " when choosing to get only the Count");
        }
        if (projected) {
          throw DynamoException.validation("Cannot specify the " + projectionParameter + " when choosing to get ALL_ATTRIBUTES");
        }
        if (requested == Select.ALL_ATTRIBUTES && path.isGlobalIndex() && !path.projectsAll()) {
          throw DynamoException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
              + "for global secondary index " + path.index().name() + " because its projection type is not ALL");
        }
      }
      case ALL_PROJECTED_ATTRIBUTES -> {
        if (path.index() == null) {
          throw DynamoException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
      }
      case SPECIFIC_ATTRIBUTES -> {
        if (!projected) {
          throw DynamoException.validation(
              "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
      }
    }
    return requested;
  }

  /**
   * The response page. A local index that does not project every attribute fetches the item from
   * the table when the request asks for all attributes or for a projection (as DynamoDB does, at
   * the price of reading the item too).
   */
  private CompletableFuture<ItemPage> page(AccessPath path, List<RangeReadResult> results, Select select,
      Compiled compiled, boolean consistent, ReturnConsumedCapacity rcc, byte[] lastEvaluated) {
    int count = 0;
    int scanned = 0;
    long bytes = 0;
    List<byte[]> entries = new ArrayList<>();
    for (RangeReadResult r : results) {
      count += r.images().size();
      scanned += r.evaluatedCount();
      bytes += r.evaluatedBytes();
      if (select != Select.COUNT) {
        entries.addAll(r.images());
      }
    }
    Map<String, AttributeValue> lastKey = lastEvaluated == null ? null : path.keyOf(ItemCodec.decode(lastEvaluated));
    boolean fetchFromTable = !path.projectsAll() && !path.isGlobalIndex()
        && (select == Select.ALL_ATTRIBUTES || select == Select.SPECIFIC_ATTRIBUTES);
    CompletableFuture<List<byte[]>> images = fetchFromTable ? fetchItems(path.table(), entries, consistent)
        : CompletableFuture.completedFuture(entries);
    int entryCount = count;
    int entriesScanned = scanned;
    long readBytes = bytes;
    return images.thenApply(found -> {
      double fetchUnits = 0;
      List<byte[]> raw = new ArrayList<>();
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (byte[] image : found) {
        if (fetchFromTable) {
          fetchUnits += ConsumedCapacity.readUnits(ItemCodec.sizeOf(image), consistent); // each fetch is its own read
        }
        if (compiled.projection() == null) {
          raw.add(image);
        } else {
          items.add(compiled.projection().apply(ItemCodec.decode(image)));
        }
      }
      ConsumedCapacity cc = ConsumedCapacity.of(path.table().name(), rcc);
      if (cc != null) {
        Capacity read = new Capacity(ConsumedCapacity.readUnits(readBytes, consistent), 0);
        cc = path.index() == null ? cc.withTable(read)
            : cc.withTable(new Capacity(fetchUnits, 0)).withIndex(path.index().name(), path.isGlobalIndex(), read);
      }
      return new ItemPage(raw, items, select == Select.COUNT, entryCount, entriesScanned, lastKey, cc);
    });
  }

  /** The table's items behind local-index entries, in entry order. */
  private CompletableFuture<List<byte[]>> fetchItems(TableDescriptor table, List<byte[]> entries, boolean consistent) {
    List<CompletableFuture<byte[]>> reads = new ArrayList<>();
    for (byte[] entry : entries) {
      PrimaryKey key = table.keySchema().keyOfItem(ItemCodec.decode(entry));
      reads.add(read(table, key, consistent));
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).thenApply(ignored -> {
      List<byte[]> images = new ArrayList<>();
      for (CompletableFuture<byte[]> f : reads) {
        if (f.join() != null) {
          images.add(f.join());
        }
      }
      return images;
    });
  }

  // ---- batches ----

  public CompletableFuture<BatchGetItemResult> batchGetItem(BatchGetItemRequest request) {
    int total = 0;
    Map<String, TableDescriptor> tables = new LinkedHashMap<>();
    Map<String, Compiled> compiledByTable = new LinkedHashMap<>();
    Map<String, List<PrimaryKey>> keysByTable = new LinkedHashMap<>();
    for (Map.Entry<String, BatchGetItemRequest.KeysAndAttributes> e : request.requestItems().entrySet()) {
      TableDescriptor table = routing.activeTable(e.getKey());
      tables.put(e.getKey(), table);
      compiledByTable.put(e.getKey(), RequestExpressions.compile(e.getValue().expressions(), RequestExpressions.Operation.GET, table.keySchema()));
      Set<PrimaryKey> seen = new HashSet<>();
      List<PrimaryKey> keys = new ArrayList<>();
      for (Map<String, AttributeValue> k : e.getValue().keys()) {
        PrimaryKey key = table.keySchema().validateKey(k);
        if (!seen.add(key)) {
          throw DynamoException.validation("Provided list of item keys contains duplicates");
        }
        keys.add(key);
      }
      keysByTable.put(e.getKey(), keys);
      total += keys.size();
    }
    if (total > 100) {
      throw DynamoException.validation("Too many items requested for the BatchGetItem call");
    }
    Map<String, List<CompletableFuture<byte[]>>> reads = new LinkedHashMap<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    keysByTable.forEach((name, keys) -> {
      List<CompletableFuture<byte[]>> list = new ArrayList<>();
      for (PrimaryKey key : keys) {
        CompletableFuture<byte[]> f = read(tables.get(name), key, request.requestItems().get(name).consistentRead());
        list.add(f);
        all.add(f);
      }
      reads.put(name, list);
    });
    return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((ignored, error) -> {
      Map<String, List<byte[]>> images = new LinkedHashMap<>();
      Map<String, List<Map<String, AttributeValue>>> items = new LinkedHashMap<>();
      Map<String, BatchGetItemRequest.KeysAndAttributes> unprocessed = new LinkedHashMap<>();
      List<ConsumedCapacity> capacity = new ArrayList<>();
      long responseBytes = 0;
      for (Map.Entry<String, List<CompletableFuture<byte[]>>> e : reads.entrySet()) {
        String name = e.getKey();
        TableDescriptor table = tables.get(name);
        BatchGetItemRequest.KeysAndAttributes ask = request.requestItems().get(name);
        Compiled compiled = compiledByTable.get(name);
        List<Map<String, AttributeValue>> left = new ArrayList<>();
        double units = 0;
        for (int i = 0; i < e.getValue().size(); i++) {
          CompletableFuture<byte[]> f = e.getValue().get(i);
          byte[] image;
          try {
            image = f.join();
          } catch (CompletionException failure) {
            if (!retryable(failure.getCause())) {
              throw failure;
            }
            left.add(table.keySchema().keyMap(keysByTable.get(name).get(i)));
            continue;
          }
          int size = image == null ? 0 : ItemCodec.sizeOf(image);
          if (responseBytes + size > BATCH_GET_RESPONSE_BYTES_MAX) {
            left.add(table.keySchema().keyMap(keysByTable.get(name).get(i)));
            continue;
          }
          units += ConsumedCapacity.readUnits(size, ask.consistentRead());
          if (image == null) {
            continue;
          }
          responseBytes += size;
          if (compiled.projection() == null) {
            images.computeIfAbsent(name, n -> new ArrayList<>()).add(image);
          } else {
            items.computeIfAbsent(name, n -> new ArrayList<>()).add(compiled.projection().apply(ItemCodec.decode(image)));
          }
        }
        images.putIfAbsent(name, new ArrayList<>());
        if (!left.isEmpty()) {
          unprocessed.put(name, new BatchGetItemRequest.KeysAndAttributes(left, ask.consistentRead(), ask.expressions()));
        }
        ConsumedCapacity cc = ConsumedCapacity.of(name, request.returnConsumedCapacity());
        if (cc != null) {
          capacity.add(cc.withTable(new Capacity(units, 0)));
        }
      }
      return new BatchGetItemResult(images, items, unprocessed, capacity);
    });
  }

  /** Failures a client should retry later rather than see as errors: overload and unavailability. */
  private static boolean retryable(Throwable t) {
    return t instanceof DynamoException d
        && (d.code() == ErrorCode.THROTTLING || d.code() == ErrorCode.PROVISIONED_THROUGHPUT_EXCEEDED
            || d.code() == ErrorCode.INTERNAL_SERVER_ERROR || d.code() == ErrorCode.SERVICE_UNAVAILABLE);
  }

  public CompletableFuture<BatchWriteItemResult> batchWriteItem(BatchWriteItemRequest request) {
    record Planned(String table, BatchWriteItemRequest.Write write, TableDescriptor descriptor, PrimaryKey key) {}
    List<Planned> plan = new ArrayList<>();
    for (Map.Entry<String, List<BatchWriteItemRequest.Write>> e : request.requestItems().entrySet()) {
      TableDescriptor table = routing.activeTable(e.getKey());
      Set<PrimaryKey> seen = new HashSet<>();
      for (BatchWriteItemRequest.Write w : e.getValue()) {
        PrimaryKey key;
        if (w.isPut()) {
          key = table.keySchema().keyOfItem(w.item());
          if (ItemSize.of(w.item()) > ItemSize.MAX_ITEM_SIZE_BYTES) {
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
          }
        } else {
          key = table.keySchema().validateKey(w.key());
        }
        if (!seen.add(key)) {
          throw DynamoException.validation("Provided list of item keys contains duplicates");
        }
        plan.add(new Planned(e.getKey(), w, table, key));
      }
    }
    if (plan.size() > 25) {
      throw DynamoException.validation("Too many items requested for the BatchWriteItem call");
    }
    List<CompletableFuture<WriteItemResult>> writes = new ArrayList<>();
    for (Planned p : plan) {
      WriteRequest.WriteOp op = p.write().isPut() ? new WriteRequest.WriteOp.Put(p.write().item()) : new WriteRequest.WriteOp.Delete();
      writes.add(write(p.descriptor(), p.key(), op, Compiled.NONE, ReturnValues.NONE, false, request.returnConsumedCapacity()));
    }
    return CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).handle((ignored, error) -> {
      Map<String, List<BatchWriteItemRequest.Write>> unprocessed = new LinkedHashMap<>();
      Map<String, ConsumedCapacity> capacity = new LinkedHashMap<>();
      Map<String, List<ItemCollectionMetrics>> collections = new LinkedHashMap<>();
      for (int i = 0; i < plan.size(); i++) {
        Planned p = plan.get(i);
        WriteItemResult written;
        try {
          written = writes.get(i).join();
        } catch (CompletionException failure) {
          if (!retryable(failure.getCause())) {
            throw failure;
          }
          unprocessed.computeIfAbsent(p.table(), t -> new ArrayList<>()).add(p.write());
          ConsumedCapacity none = ConsumedCapacity.of(p.table(), request.returnConsumedCapacity());
          if (none != null) {
            capacity.putIfAbsent(p.table(), none);
          }
          continue;
        }
        if (written.consumedCapacity() != null) {
          capacity.merge(p.table(), written.consumedCapacity(), ConsumedCapacity::plus);
        }
        if (written.itemCollectionMetrics() != null) {
          collections.computeIfAbsent(p.table(), t -> new ArrayList<>()).add(written.itemCollectionMetrics());
        }
      }
      return new BatchWriteItemResult(unprocessed, List.copyOf(capacity.values()), collections);
    });
  }

  // ---- transactions (see TransactionCoordinator) ----

  public CompletableFuture<TransactWriteItemsResult> transactWriteItems(TransactWriteItemsRequest request) {
    return coordinator().transactWriteItems(request);
  }

  public CompletableFuture<TransactGetItemsResult> transactGetItems(TransactGetItemsRequest request) {
    return coordinator().transactGetItems(request);
  }

  private TransactionCoordinator coordinator() {
    if (transactions == null) {
      throw new DynamoException(ErrorCode.UNKNOWN_OPERATION, null);
    }
    return transactions;
  }
}
