package io.flywheel.storagenode;

import io.flywheel.protocol.WriteRequest;

/**
 * A write as proposed to a partition's group, with everything that does not depend on the item's
 * current version computed beforehand on the caller's thread: the storage key and, for a put, the
 * new image and its size. The group's worker, which decides writes one at a time, only does what
 * needs the current version.
 *
 * @param newImage the encoded new item of a put, else null
 * @param newSizeBytes its DynamoDB size, else 0
 */
record PartitionCommand(WriteRequest request, byte[] itemKey, byte[] newImage, int newSizeBytes) implements ReplicaCommand {}
