package io.flywheel.rpc;

import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.wire.MetadataMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a metadata node's {@link MetadataService} to routers: every mutation as a plain delegation
 * (a replica that does not lead answers NotLeader naming the leader it knows), and {@link
 * MetadataMessages#CATALOG}, every table as this replica has applied them.
 */
public final class MetadataServer {
  private MetadataServer() {}

  public static void serve(RpcEndpoint endpoint, MetadataService metadata) {
    endpoint.serve(MetadataMessages.CREATE_TABLE, metadata::createTable);
    endpoint.serve(MetadataMessages.DELETE_TABLE, q -> metadata.deleteTable(q.name()));
    endpoint.serve(MetadataMessages.UPDATE_BILLING,
        q -> metadata.updateBilling(q.name(), q.mode(), q.readCapacityUnits(), q.writeCapacityUnits()));
    endpoint.serve(MetadataMessages.CREATE_GLOBAL_INDEX, q -> metadata.createGlobalIndex(q.tableName(), q.index(), q.definitions()));
    endpoint.serve(MetadataMessages.DELETE_GLOBAL_INDEX, q -> metadata.deleteGlobalIndex(q.tableName(), q.indexName()));
    endpoint.serve(MetadataMessages.UPDATE_GLOBAL_INDEX_THROUGHPUT,
        q -> metadata.updateGlobalIndexThroughput(q.tableName(), q.indexName(), q.readCapacityUnits(), q.writeCapacityUnits()));
    endpoint.serve(MetadataMessages.CATALOG, ignored -> {
      List<TableDescriptor> tables = new ArrayList<>();
      for (String name : metadata.tableNames()) {
        TableDescriptor t = metadata.table(name);
        if (t != null) {
          tables.add(t);
        }
      }
      return CompletableFuture.completedFuture(tables);
    });
  }
}
