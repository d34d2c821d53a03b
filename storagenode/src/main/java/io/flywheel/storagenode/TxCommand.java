package io.flywheel.storagenode;

import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxReadRequest;
import java.util.List;

/**
 * A transaction step proposed to a partition's group, with what does not depend on current item
 * versions computed beforehand on the caller's thread (storage keys, put images and sizes), as
 * {@link PartitionCommand} does for single writes.
 */
sealed interface TxCommand extends PartitionCommand {
  /**
   * @param itemKeys storage key of each action, in the request's order
   * @param putImages the encoded new item of each Put action, else null
   * @param putSizes their DynamoDB sizes, else 0
   */
  record Prepare(TxPrepareRequest request, List<byte[]> itemKeys, List<byte[]> putImages, int[] putSizes) implements TxCommand {}

  record Finish(TxFinishRequest request, List<byte[]> itemKeys) implements TxCommand {}

  record Read(TxReadRequest request, List<byte[]> itemKeys) implements TxCommand {}
}
