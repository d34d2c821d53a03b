package io.flywheel.router;

import io.flywheel.base.Invariants;

/**
 * Tunables of the router.
 *
 * @param routingRetriesMax attempts after a routing failure (stale partition map) before giving up
 */
public record RouterConfig(int routingRetriesMax) {
  public RouterConfig {
    Invariants.checkArgument(routingRetriesMax >= 0 && routingRetriesMax <= 10, "routingRetriesMax in [0, 10]");
  }

  public static RouterConfig defaults() {
    return new RouterConfig(3);
  }
}
