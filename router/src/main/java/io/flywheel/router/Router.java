package io.flywheel.router;

import io.flywheel.base.Invariants;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** The DynamoDB API over the metadata service and storage nodes. Thread-safe. */
public final class Router {
  private final MetadataService metadata;
  private final Map<String, StorageNodeService> storageNodes;
  private final RouterConfig config;

  public Router(MetadataService metadata, Map<String, StorageNodeService> storageNodes, RouterConfig config) {
    this.metadata = metadata;
    this.storageNodes = Map.copyOf(storageNodes);
    this.config = config;
  }

  // ---- tables ----

  public CompletableFuture<TableDescriptor> createTable(CreateTableRequest request) {
    return metadata.createTable(TableRequests.createSpec(request));
  }

  public CompletableFuture<TableDescription> describeTable(String tableName) {
    TableDescriptor t = metadata.table(tableName);
    if (t == null) {
      throw DynamoException.resourceNotFound("Requested resource not found: Table: " + tableName + " not found");
    }
    if (t.status() != TableStatus.ACTIVE) {
      return CompletableFuture.completedFuture(new TableDescription(t, PartitionStats.EMPTY));
    }
    List<CompletableFuture<PartitionStats>> parts = new ArrayList<>();
    for (PartitionDescriptor p : t.partitions()) {
      parts.add(node(p).stats(p.ref()));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).handle((ignored, error) -> {
      PartitionStats total = PartitionStats.EMPTY;
      if (error == null) {
        for (CompletableFuture<PartitionStats> f : parts) {
          total = total.plus(f.join());
        }
      }
      // Sizes are estimates in DynamoDB too; a partition that moved meanwhile only skews them.
      return new TableDescription(t, total);
    });
  }

  public CompletableFuture<TableDescriptor> deleteTable(String tableName) {
    return metadata.deleteTable(tableName);
  }

  public CompletableFuture<TableDescriptor> updateTable(UpdateTableRequest request) {
    TableRequests.checkUpdate(request);
    TableDescriptor t = metadata.table(request.tableName());
    if (t == null) {
      throw DynamoException.resourceNotFound("Requested resource not found: Table: " + request.tableName() + " not found");
    }
    BillingMode mode = request.billingMode() == null ? t.billingMode() : BillingMode.valueOf(request.billingMode());
    if (request.hasProvisionedThroughput() && mode == BillingMode.PAY_PER_REQUEST) {
      throw DynamoException.invalidParameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    if (mode == BillingMode.PROVISIONED && !request.hasProvisionedThroughput()) {
      throw DynamoException.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    }
    long rcu = request.hasProvisionedThroughput() ? request.readCapacityUnits() : 0;
    long wcu = request.hasProvisionedThroughput() ? request.writeCapacityUnits() : 0;
    return metadata.updateBilling(request.tableName(), mode, rcu, wcu);
  }

  /**
   * @param limit page size in [1, 100], or null for 100
   * @param exclusiveStartTableName the previous page's last name, or null
   */
  public ListTablesResult listTables(Integer limit, String exclusiveStartTableName) {
    int max = limit == null ? 100 : limit;
    List<String> names = metadata.tableNames();
    List<String> page = new ArrayList<>();
    for (String name : names) {
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

  // ---- items ----

  public CompletableFuture<WriteItemResult> putItem(PutItemRequest request) {
    TableDescriptor table = activeTable(request.tableName());
    if (request.returnValues() != ReturnValues.NONE && request.returnValues() != ReturnValues.ALL_OLD) {
      throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    checkNoUpdateOrProjection(request.expressions(), "PutItem");
    ItemRequests.Compiled compiled = ItemRequests.compile(request.expressions(), table.keySchema());
    PrimaryKey key = table.keySchema().keyOfItem(request.item());
    return write(table, key, new WriteRequest.WriteOp.Put(request.item()), compiled,
        request.returnValues(), request.returnOldOnConditionFailure(), request.returnConsumedCapacity());
  }

  public CompletableFuture<WriteItemResult> deleteItem(DeleteItemRequest request) {
    TableDescriptor table = activeTable(request.tableName());
    if (request.returnValues() != ReturnValues.NONE && request.returnValues() != ReturnValues.ALL_OLD) {
      throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }
    checkNoUpdateOrProjection(request.expressions(), "DeleteItem");
    ItemRequests.Compiled compiled = ItemRequests.compile(request.expressions(), table.keySchema());
    PrimaryKey key = table.keySchema().validateKey(request.key());
    return write(table, key, new WriteRequest.WriteOp.Delete(), compiled,
        request.returnValues(), request.returnOldOnConditionFailure(), request.returnConsumedCapacity());
  }

  public CompletableFuture<WriteItemResult> updateItem(UpdateItemRequest request) {
    TableDescriptor table = activeTable(request.tableName());
    ItemRequests.Compiled compiled = ItemRequests.compile(request.expressions(), table.keySchema());
    PrimaryKey key = table.keySchema().validateKey(request.key());
    Map<String, AttributeValue> keyMap = table.keySchema().keyMap(key);
    WriteRequest.WriteOp op;
    if (compiled.update() == null) {
      // UpdateItem without an update creates the item with only its key if it is missing.
      op = new WriteRequest.WriteOp.Update(old -> old.isEmpty() ? keyMap : old);
    } else {
      var update = compiled.update();
      op = new WriteRequest.WriteOp.Update(old -> {
        Map<String, AttributeValue> base = old.isEmpty() ? keyMap : old;
        return update.apply(base);
      });
    }
    return write(table, key, op, compiled, request.returnValues(), request.returnOldOnConditionFailure(),
        request.returnConsumedCapacity());
  }

  /** The decoder never produces these; a Java caller that does has a bug. */
  private static void checkNoUpdateOrProjection(Expressions e, String operation) {
    Invariants.checkArgument(e == null || (e.update() == null && e.projection() == null),
        operation + " takes no update or projection expression");
  }

  private CompletableFuture<WriteItemResult> write(
      TableDescriptor table, PrimaryKey key, WriteRequest.WriteOp op, ItemRequests.Compiled compiled,
      ReturnValues returnValues, boolean returnOldOnConditionFailure, ReturnConsumedCapacity rcc) {
    boolean returnOld = returnValues == ReturnValues.ALL_OLD || returnValues == ReturnValues.UPDATED_OLD;
    boolean returnNew = returnValues == ReturnValues.ALL_NEW || returnValues == ReturnValues.UPDATED_NEW;
    Set<String> updated = compiled.update() == null ? Set.of() : compiled.update().topLevelAttributesTouched();
    long hash = KeyEncoding.partitionHash(key.partition());
    return routed(table, hash, partition -> node(partition).write(new WriteRequest(
            partition.ref(), table.tableId(), key, op, compiled.condition(), returnOld, returnNew, returnOldOnConditionFailure)))
        .thenApply(result -> new WriteItemResult(
            returnedAttributes(returnValues, result, updated),
            ConsumedCapacity.write(table.name(), ConsumedCapacity.writeUnits(Math.max(result.oldSizeBytes(), result.newSizeBytes())), rcc)));
  }

  private static Map<String, AttributeValue> returnedAttributes(ReturnValues returnValues, WriteResult result, Set<String> updated) {
    return switch (returnValues) {
      case NONE -> null;
      case ALL_OLD -> result.oldItem();
      case ALL_NEW -> result.newItem();
      case UPDATED_OLD -> only(result.oldItem(), updated);
      case UPDATED_NEW -> only(result.newItem(), updated);
    };
  }

  /**
   * The attributes of {@code item} that the update expression touched (top level: a nested update
   * returns its whole top-level attribute).
   */
  private static Map<String, AttributeValue> only(Map<String, AttributeValue> item, Set<String> updated) {
    if (item == null) {
      return null;
    }
    Map<String, AttributeValue> selected = new LinkedHashMap<>();
    for (String name : updated) {
      AttributeValue v = item.get(name);
      if (v != null) {
        selected.put(name, v);
      }
    }
    return selected.isEmpty() ? null : selected;
  }

  public CompletableFuture<GetItemResult> getItem(GetItemRequest request) {
    TableDescriptor table = activeTable(request.tableName());
    ItemRequests.Compiled compiled = ItemRequests.compile(request.expressions(), table.keySchema());
    PrimaryKey key = table.keySchema().validateKey(request.key());
    long hash = KeyEncoding.partitionHash(key.partition());
    return routed(table, hash, partition -> node(partition).read(
            new ReadRequest(partition.ref(), table.tableId(), key, request.consistentRead())))
        .thenApply(result -> {
          byte[] image = result.image();
          ConsumedCapacity cc = ConsumedCapacity.read(table.name(),
              ConsumedCapacity.readUnits(image == null ? 0 : ItemCodec.sizeOf(image), request.consistentRead()),
              request.returnConsumedCapacity());
          if (image == null) {
            return new GetItemResult(null, null, cc);
          }
          if (compiled.projection() == null) {
            return new GetItemResult(image, null, cc);
          }
          return new GetItemResult(null, compiled.projection().apply(ItemCodec.decode(image)), cc);
        });
  }

  // ---- routing ----

  private TableDescriptor activeTable(String name) {
    TableDescriptor t = metadata.table(name);
    if (t == null || t.status() == TableStatus.CREATING || t.status() == TableStatus.DELETING) {
      throw DynamoException.resourceNotFound("Requested resource not found");
    }
    return t;
  }

  private StorageNodeService node(PartitionDescriptor partition) {
    StorageNodeService node = storageNodes.get(partition.replicaNodes().get(0));
    if (node == null) {
      throw new IllegalStateException("partition " + partition.groupId() + " placed on unknown node " + partition.replicaNodes());
    }
    return node;
  }

  /**
   * Sends to the partition owning {@code hash}; on a routing failure, re-reads the table's
   * partition map and tries again, at most {@link RouterConfig#routingRetriesMax()} more times.
   */
  private <T> CompletableFuture<T> routed(TableDescriptor table, long hash, Function<PartitionDescriptor, CompletableFuture<T>> send) {
    return attempt(table, hash, send, 0);
  }

  private <T> CompletableFuture<T> attempt(TableDescriptor table, long hash, Function<PartitionDescriptor, CompletableFuture<T>> send, int retry) {
    CompletableFuture<T> sent;
    try {
      sent = send.apply(table.partitionFor(hash));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof RoutingException) || retry >= config.routingRetriesMax()) {
        if (cause instanceof RoutingException) {
          cause = DynamoException.resourceNotFound("Requested resource not found");
        }
        return CompletableFuture.<T>failedFuture(cause);
      }
      TableDescriptor fresh = metadata.table(table.name());
      if (fresh == null || fresh.tableId() != table.tableId() || fresh.status() != TableStatus.ACTIVE) {
        return CompletableFuture.<T>failedFuture(DynamoException.resourceNotFound("Requested resource not found"));
      }
      return attempt(fresh, hash, send, retry + 1);
    }).thenCompose(Function.identity());
  }
}
