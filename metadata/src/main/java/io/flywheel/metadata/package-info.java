/**
 * The partition-metadata role (paper sections 3 and 6.6): the authoritative catalog of tables and
 * their partitions, itself a replication group.
 *
 * <p>Every change is a {@link io.flywheel.metadata.CatalogCommand} proposed to the catalog group;
 * {@link io.flywheel.metadata.Catalog#evaluate} decides it against the latest catalog (allocating
 * table and group ids deterministically) and replicates the resulting descriptor; {@link
 * io.flywheel.metadata.Catalog#apply} stores it. Multi-step changes are driven by {@link
 * io.flywheel.metadata.MetadataNode} as durable state transitions, so a crash in the middle is
 * finished on restart:
 *
 * <ol>
 *   <li>CreateTable: record the table as CREATING → create each partition's replicas on storage
 *       nodes (idempotent) → record ACTIVE.
 *   <li>DeleteTable: record DELETING → drop the replicas (idempotent) → remove the record.
 * </ol>
 *
 * <p>Rules: the catalog is read from memory by any thread and changed only by its group's worker;
 * no table id or group id is ever reused (the counters are replicated too).
 */
package io.flywheel.metadata;
