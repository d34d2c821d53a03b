/**
 * The composition root: the {@code flywheel} command line, configuration, and the wiring of real
 * implementations (RocksDB engines, system clock, Netty endpoint) into the roles. No logic lives
 * here; every decision belongs to a role module.
 *
 * <p>{@code flywheel start} runs every role in one JVM — router, metadata, one storage node — over
 * the same replication host and protocol interfaces a cluster uses (DESIGN.md section 1: one code
 * path at every scale).
 */
package io.flywheel.server;
