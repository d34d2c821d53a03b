package io.flywheel.rpc;

import io.flywheel.protocol.StorageNodeService;
import io.flywheel.protocol.wire.StorageNodeMessages;

/**
 * Serves a local {@link StorageNodeService} to other nodes: registers a handler for every method
 * of {@link StorageNodeMessages} on an {@link RpcEndpoint}, each a plain delegation (the endpoint
 * decodes, runs the handler on its executor, and encodes the answer or the typed failure).
 */
public final class StorageNodeServer {
  private StorageNodeServer() {}

  public static void serve(RpcEndpoint endpoint, StorageNodeService node) {
    endpoint.serve(StorageNodeMessages.WRITE, node::write);
    endpoint.serve(StorageNodeMessages.READ, node::read);
    endpoint.serve(StorageNodeMessages.READ_RANGE, node::readRange);
    endpoint.serve(StorageNodeMessages.CREATE_REPLICA, q -> node.createReplica(q.descriptor(), q.schema()));
    endpoint.serve(StorageNodeMessages.UPDATE_SCHEMA, q -> node.updateSchema(q.partition(), q.schema()));
    endpoint.serve(StorageNodeMessages.APPLY_INDEX_MUTATIONS, q -> node.applyIndexMutations(q.partition(), q.mutations()));
    endpoint.serve(StorageNodeMessages.BACKFILL_INDEX, q -> node.backfillIndex(q.partition(), q.indexId(), q.fromKey(), q.maxItems()));
    endpoint.serve(StorageNodeMessages.DROP_REPLICA, q -> node.dropReplica(q.groupId()));
    endpoint.serve(StorageNodeMessages.STATS, q -> node.stats(q.partition(), q.keySpaceId()));
    endpoint.serve(StorageNodeMessages.TX_PREPARE, node::txPrepare);
    endpoint.serve(StorageNodeMessages.TX_FINISH, node::txFinish);
    endpoint.serve(StorageNodeMessages.TX_READ, node::txRead);
  }
}
