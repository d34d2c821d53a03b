package io.flywheel.transport.tcp;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where a node listens, asked again before every dial, so membership and addresses can change
 * while the bus runs (metadata's node registry supplies it in a cluster).
 *
 * <p>Called on transport threads and from {@code send}: it must be fast and must not block (look
 * in a map; never a DNS lookup or a remote call here).
 */
@FunctionalInterface
public interface NodeAddressResolver {
  /** The node's listen address, or empty if the node is not (or no longer) a member. */
  Optional<InetSocketAddress> resolve(long nodeId);
}
