/**
 * Integration tests against a real Flywheel server in a child JVM, through the AWS SDK for Java
 * v2 and raw HTTP.
 *
 * <p>The launcher ({@link io.flywheel.it.ServerProcess}), the run-wide shared server
 * ({@link io.flywheel.it.SharedServer}) and {@link io.flywheel.it.Eventually} are public because
 * this module's test-jar is also the launcher of the differential suite in {@code compat}: one
 * launcher, used by both.
 */
package io.flywheel.it;
