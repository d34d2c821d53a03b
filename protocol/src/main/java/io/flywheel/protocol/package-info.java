/**
 * The messages roles exchange — router, metadata and storage nodes — and the descriptors they
 * agree on: tables, partitions (key ranges with epochs and replica sets) and typed routing
 * failures.
 *
 * <p>Rules: every request to a partition names it with a {@link
 * io.flywheel.protocol.PartitionRef} (group id and epoch); a storage node answers a stale one with
 * a typed {@link io.flywheel.protocol.RoutingException}, never a string. Roles call each other only
 * through the service interfaces here ({@link io.flywheel.protocol.StorageNodeService}, {@link
 * io.flywheel.protocol.MetadataService}); in one process the calls are direct, across processes a
 * transport carries the same records.
 */
package io.flywheel.protocol;
