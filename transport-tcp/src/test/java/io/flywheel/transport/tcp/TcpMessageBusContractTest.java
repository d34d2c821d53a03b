package io.flywheel.transport.tcp;

import io.flywheel.transport.MessageBusContract;

/** The MessageBus contract over real loopback sockets. */
class TcpMessageBusContractTest extends MessageBusContract {
  @Override
  protected Cluster newCluster() {
    return new TcpCluster();
  }
}
