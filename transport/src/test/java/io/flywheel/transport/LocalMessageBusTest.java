package io.flywheel.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LocalMessageBusTest extends MessageBusContract {
  @Override
  protected Cluster newCluster() {
    return new LocalCluster();
  }

  /** Every node gets its own two-thread delivery executor, shut down with the cluster. */
  private static final class LocalCluster implements Cluster {
    final LocalMessageHub hub = new LocalMessageHub();
    final List<MessageBus> buses = new ArrayList<>();
    final List<ExecutorService> executors = new ArrayList<>();

    @Override
    public MessageBus start(long nodeId, MessageBusConfig config, InboundHandler handler) {
      ExecutorService executor = Executors.newFixedThreadPool(2);
      executors.add(executor);
      MessageBus bus = hub.join(nodeId, config, handler, executor);
      buses.add(bus);
      return bus;
    }

    @Override
    public void declareDown(long nodeId) {
      hub.declare(nodeId);
    }

    @Override
    public void close() {
      buses.forEach(MessageBus::close);
      executors.forEach(ExecutorService::shutdownNow);
    }
  }

  @Test
  void aNodeIdRunsOnceOnAHub() {
    cluster.start(A, CONFIG, Inbox.open());
    assertThatThrownBy(() -> cluster.start(A, CONFIG, Inbox.open()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
  }

  @Test
  void aForgottenNodeIsUnknownAndWhatWasQueuedForItIsDropped() {
    LocalCluster local = (LocalCluster) cluster;
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    local.hub.declare(B);
    sendAll(a, B, 0, 4);
    local.hub.forget(B);
    assertThat(a.stats().droppedUndeliverable()).isEqualTo(4);
    assertThat(a.send(envelope(A, B, 4))).isFalse();
    assertThat(a.stats().refusedUnknownNode()).isEqualTo(1);
  }

  @Test
  void deliveryNeverRunsOnTheSendersThread() {
    List<Thread> deliveredOn = new ArrayList<>();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, e -> {
      synchronized (deliveredOn) {
        deliveredOn.add(Thread.currentThread());
      }
    });
    sendAll(a, B, 0, 50);
    Inbox.await("50 deliveries", () -> {
      synchronized (deliveredOn) {
        return deliveredOn.size() == 50;
      }
    });
    synchronized (deliveredOn) {
      assertThat(deliveredOn).doesNotContain(Thread.currentThread());
    }
  }

  @Test
  void closeFromInsideTheHandlerDoesNotWaitForItself() {
    MessageBus[] self = new MessageBus[1];
    List<Long> seen = new ArrayList<>();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    self[0] = cluster.start(B, CONFIG, e -> {
      synchronized (seen) {
        seen.add(seqOf(e));
      }
      self[0].close();
    });
    sendAll(a, B, 0, 5);
    Inbox.await("B to close itself", () -> !a.isConnected(B));
    synchronized (seen) {
      assertThat(seen).containsExactly(0L);
    }
  }
}
