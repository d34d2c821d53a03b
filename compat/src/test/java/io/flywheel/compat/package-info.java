/**
 * The differential suite: the same scenarios against Flywheel and DynamoDB Local, compared step by
 * step.
 *
 * <p>How it works: {@link io.flywheel.compat.BothEndpoints} starts both servers once per run (each
 * in its own JVM); {@link io.flywheel.compat.Differential} runs every
 * {@link io.flywheel.compat.Scenario} against both at once, each through a
 * {@link io.flywheel.compat.Session} that records what every request returned or how it failed
 * ({@link io.flywheel.compat.Outcome}, rendered by {@link io.flywheel.compat.Canonical}), and
 * compares the two records. The {@code *ScenariosTest} classes are the scenario catalogues, one per
 * area of the API; {@link io.flywheel.compat.RandomisedScenariosTest} adds seeded random items,
 * conditions and updates.
 *
 * <p>Where DynamoDB Local departs from the documented service, Flywheel follows the service: the
 * scenario is marked with a {@link io.flywheel.compat.Deviation}, the single registry of such
 * places, each listed with its evidence in {@code docs/compatibility.md}.
 */
package io.flywheel.compat;
