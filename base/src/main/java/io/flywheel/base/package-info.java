/**
 * The foundation every Flywheel module stands on: time, randomness, byte helpers, checksums,
 * the persisted partition hash and always-on invariants.
 *
 * <p>Rules: JDK only. Nothing here reads the system clock or creates randomness on its own; the
 * real {@link io.flywheel.base.Clock} and entropy are supplied by the composition root
 * ({@code server}), the simulator supplies simulated ones. {@link io.flywheel.base.Hash64} is
 * persisted in every storage key, so its output must never change.
 */
package io.flywheel.base;
