package io.flywheel.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageBus} must have. Subclasses supply a {@link Cluster}: a way to
 * start, stop and restart nodes that can address each other.
 */
public abstract class MessageBusContract {
  /** Nodes of one implementation that can address each other. */
  public interface Cluster extends AutoCloseable {
    /**
     * Starts a bus for {@code nodeId}; starting an id again after its bus closed is a restart at
     * the same address.
     */
    MessageBus start(long nodeId, MessageBusConfig config, InboundHandler handler);

    /** Makes {@code nodeId} addressable without running it: a member that is down. */
    void declareDown(long nodeId);

    /** Closes every bus still open. */
    @Override
    void close();
  }

  protected abstract Cluster newCluster();

  protected static final long A = 1;
  protected static final long B = 2;
  protected static final long C = 3;
  protected static final int KIND = 7;
  protected static final int V1 = 1;
  /** Small enough to keep tests light, large enough for several envelopes per frame. */
  protected static final MessageBusConfig CONFIG = new MessageBusConfig(1024 * 1024, 4096, 8L * 1024 * 1024, VersionRange.only(V1));

  protected Cluster cluster;

  @BeforeEach
  void createCluster() {
    cluster = newCluster();
  }

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  protected static Envelope envelope(long from, long to, int seq) {
    return new Envelope(V1, KIND, from, to, Bytes.ofLong(seq));
  }

  protected static long seqOf(Envelope e) {
    return Bytes.getLong(e.payload(), 0);
  }

  protected static List<Long> seqs(List<Envelope> envelopes) {
    return envelopes.stream().map(MessageBusContract::seqOf).toList();
  }

  protected static List<Long> range(int fromInclusive, int toExclusive) {
    List<Long> out = new ArrayList<>();
    for (long i = fromInclusive; i < toExclusive; i++) {
      out.add(i);
    }
    return out;
  }

  protected static void sendAll(MessageBus bus, long to, int fromSeq, int toSeq) {
    for (int i = fromSeq; i < toSeq; i++) {
      assertThat(bus.send(envelope(bus.localNodeId(), to, i))).as("send %d", i).isTrue();
    }
  }

  @Test
  void envelopesArriveIntactAndInSendOrder() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, inbox);
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] payload = new byte[i % 50 == 0 ? 0 : 8 + i % 200];
      if (payload.length > 0) {
        Bytes.putLong(payload, 0, i);
        payload[payload.length - 1] = (byte) i;
      }
      Envelope e = new Envelope(V1, i % 3, A, B, payload);
      sent.add(e);
      assertThat(a.send(e)).isTrue();
    }
    List<Envelope> received = inbox.awaitAtLeast(sent.size());
    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      Envelope s = sent.get(i);
      Envelope r = received.get(i);
      assertThat(r.version()).isEqualTo(s.version());
      assertThat(r.kind()).as("kind of %d", i).isEqualTo(s.kind());
      assertThat(r.sourceNodeId()).isEqualTo(A);
      assertThat(r.destinationNodeId()).isEqualTo(B);
      assertThat(r.payload()).as("payload of %d", i).isEqualTo(s.payload());
    }
  }

  @Test
  void statsCountWhatWentThrough() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus b = cluster.start(B, CONFIG, inbox);
    sendAll(a, B, 0, 200);
    inbox.awaitAtLeast(200);
    Inbox.await("sender's count", () -> a.stats().envelopesSent() == 200);
    TransportStats sender = a.stats();
    TransportStats receiver = b.stats();
    assertThat(receiver.envelopesReceived()).isEqualTo(200);
    assertThat(sender.framesSent()).isBetween(1L, 200L);
    assertThat(receiver.framesReceived()).isEqualTo(sender.framesSent());
    assertThat(sender.bytesSent()).isGreaterThanOrEqualTo(200L * (Envelope.HEADER_BYTES + 8));
    assertThat(receiver.bytesReceived()).isEqualTo(sender.bytesSent());
    assertThat(sender.refused() + sender.protocolErrors() + receiver.protocolErrors()).isZero();
  }

  @Test
  void eachSourcesOrderHoldsWhileSendersRunConcurrently() throws Exception {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus c = cluster.start(C, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, inbox);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    for (MessageBus bus : List.of(a, c)) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          sendAll(bus, B, 0, 400);
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      senders.add(t);
    }
    go.countDown();
    for (Thread t : senders) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    List<Envelope> received = inbox.awaitAtLeast(800);
    assertThat(seqs(received.stream().filter(e -> e.sourceNodeId() == A).toList())).isEqualTo(range(0, 400));
    assertThat(seqs(received.stream().filter(e -> e.sourceNodeId() == C).toList())).isEqualTo(range(0, 400));
  }

  @Test
  void bothDirectionsCarryTrafficAtOnce() {
    Inbox inboxA = Inbox.open();
    Inbox inboxB = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, inboxA);
    MessageBus b = cluster.start(B, CONFIG, inboxB);
    for (int i = 0; i < 200; i++) {
      assertThat(a.send(envelope(A, B, i))).isTrue();
      assertThat(b.send(envelope(B, A, i))).isTrue();
    }
    assertThat(seqs(inboxB.awaitAtLeast(200))).isEqualTo(range(0, 200));
    assertThat(seqs(inboxA.awaitAtLeast(200))).isEqualTo(range(0, 200));
    assertThat(a.isConnected(B)).isTrue();
    assertThat(b.isConnected(A)).isTrue();
  }

  @Test
  void payloadsAtTheLimitArriveAndLargerOnesAreRejected() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, inbox);
    int max = CONFIG.maxPayloadBytes();
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] payload = new byte[max - i];
      for (int j = 0; j < payload.length; j += 4093) {
        payload[j] = (byte) (j * 31 + i);
      }
      payload[payload.length - 1] = (byte) (i + 1);
      payloads.add(payload);
      assertThat(a.send(new Envelope(V1, KIND, A, B, payload))).isTrue();
    }
    assertThatThrownBy(() -> a.send(new Envelope(V1, KIND, A, B, new byte[max + 1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPayloadBytes");
    List<Envelope> received = inbox.awaitAtLeast(3);
    assertThat(received).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(received.get(i).payload()).isEqualTo(payloads.get(i));
    }
  }

  @Test
  void sendRejectsEnvelopesThatAreTheCallersBug() {
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, Inbox.open());
    assertThatThrownBy(() -> a.send(envelope(C, B, 0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> a.send(envelope(A, A, 0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itself");
    assertThatThrownBy(() -> a.send(new Envelope(2, KIND, A, B, new byte[1]))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThat(a.stats().refused()).isZero();
  }

  @Test
  void sendingToAnUnknownNodeIsRefusedAndCounted() {
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    assertThat(a.send(envelope(A, 999, 0))).isFalse();
    assertThat(a.send(envelope(A, 999, 1))).isFalse();
    assertThat(a.stats().refusedUnknownNode()).isEqualTo(2);
    assertThat(a.stats().refusedQueueFull()).isZero();
    assertThat(a.isConnected(999)).isFalse();
  }

  @Test
  void aDownNodesQueueFillsToItsMessageBoundThenSendRefuses() {
    MessageBus a = cluster.start(A, CONFIG.withQueueBounds(10, CONFIG.maxQueuedBytesPerPeer()), Inbox.open());
    cluster.declareDown(B);
    sendAll(a, B, 0, 10);
    assertThat(a.send(envelope(A, B, 10))).isFalse();
    assertThat(a.send(envelope(A, B, 11))).isFalse();
    assertThat(a.stats().refusedQueueFull()).isEqualTo(2);
    assertThat(a.isConnected(B)).isFalse();
    assertThat(a.peerVersions(B)).isEmpty();
  }

  @Test
  void aDownNodesQueueFillsToItsByteBoundThenSendRefuses() {
    MessageBusConfig config = new MessageBusConfig(64 * 1024, 1000, 64 * 1024, VersionRange.only(V1));
    MessageBus a = cluster.start(A, config, Inbox.open());
    cluster.declareDown(B);
    byte[] payload = new byte[10_000];
    int accepted = 0;
    while (accepted < 1000 && a.send(new Envelope(V1, KIND, A, B, payload))) {
      accepted++;
    }
    assertThat(accepted).isEqualTo(64 * 1024 / (Envelope.HEADER_BYTES + 10_000));
    assertThat(a.stats().refusedQueueFull()).isEqualTo(1);
    // A smaller envelope that still fits goes in: the bound is in bytes, not a latch.
    assertThat(a.send(new Envelope(V1, KIND, A, B, new byte[100]))).isTrue();
  }

  @Test
  void whatWasQueuedForADownNodeArrivesWhenItStarts() {
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.declareDown(B);
    sendAll(a, B, 0, 20);
    Inbox inbox = Inbox.open();
    cluster.start(B, CONFIG, inbox);
    assertThat(seqs(inbox.awaitAtLeast(20))).isEqualTo(range(0, 20));
  }

  @Test
  void aRestartedNodeGetsWhatWasQueuedWhileItWasDown() {
    Inbox first = Inbox.open();
    Inbox inboxA = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, inboxA);
    MessageBus b = cluster.start(B, CONFIG, first);
    sendAll(a, B, 0, 5);
    assertThat(seqs(first.awaitAtLeast(5))).isEqualTo(range(0, 5));
    b.close();
    Inbox.await("A to notice B stopped", () -> !a.isConnected(B));
    sendAll(a, B, 5, 15);
    Inbox second = Inbox.open();
    MessageBus restarted = cluster.start(B, CONFIG, second);
    assertThat(seqs(second.awaitAtLeast(10))).isEqualTo(range(5, 15));
    assertThat(first.size()).isEqualTo(5);
    // and the restarted node reaches A over the same pair
    assertThat(restarted.send(envelope(B, A, 42))).isTrue();
    assertThat(seqs(inboxA.awaitAtLeast(1))).containsExactly(42L);
    Inbox.await("A to see B connected", () -> a.isConnected(B));
  }

  @Test
  void aStalledReceiverMakesSendRefuseInsteadOfBlockingOrGrowing() throws Exception {
    MessageBusConfig config = CONFIG.withQueueBounds(16, CONFIG.maxQueuedBytesPerPeer());
    Inbox stalled = Inbox.held();
    MessageBus a = cluster.start(A, config, Inbox.open());
    cluster.start(B, config, stalled);
    int payloadBytes = 32 * 1024;
    int maxAttempts = 2_000; // 64 MB: far beyond what socket and connection buffers may hold
    int accepted = 0;
    int attempts = 0;
    while (attempts < maxAttempts) {
      attempts++;
      byte[] payload = new byte[payloadBytes];
      Bytes.putLong(payload, 0, accepted);
      if (!a.send(new Envelope(V1, KIND, A, B, payload))) {
        break;
      }
      accepted++;
      // Let the bus move the envelope out of its queue if it may: only backpressure from the
      // stalled receiver, not a sender outrunning the transport, may fill the queue.
      int target = accepted;
      Inbox.awaitUpTo(100, () -> a.stats().envelopesSent() >= target);
    }
    assertThat(attempts).as("sends before the first refusal").isLessThan(maxAttempts);
    assertThat(a.stats().refusedQueueFull()).isEqualTo(1);
    stalled.awaitFirstDelivery();
    stalled.release();
    List<Envelope> received = stalled.awaitAtLeast(accepted);
    assertThat(seqs(received)).isEqualTo(range(0, accepted));
  }

  @Test
  void handlerExceptionsAreCountedAndLaterEnvelopesStillArrive() {
    List<Long> seen = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    InboundHandler throwsOnFirst = e -> {
      synchronized (seen) {
        seen.add(seqOf(e));
      }
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("handler bug");
      }
    };
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus b = cluster.start(B, CONFIG, throwsOnFirst);
    sendAll(a, B, 0, 3);
    Inbox.await("three deliveries", () -> calls.get() == 3);
    synchronized (seen) {
      assertThat(seen).containsExactly(0L, 1L, 2L);
    }
    assertThat(b.stats().handlerFailures()).isEqualTo(1);
    assertThat(b.stats().protocolErrors()).isZero();
    assertThat(b.isConnected(A)).isTrue();
  }

  @Test
  void closeRefusesLaterSendsAndIsIdempotent() {
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, Inbox.open());
    a.close();
    assertThat(a.send(envelope(A, B, 0))).isFalse();
    assertThat(a.stats().refusedClosed()).isEqualTo(1);
    assertThat(a.isConnected(B)).isFalse();
    a.close();
  }

  @Test
  void noHandlerCallStartsAfterCloseReturns() throws Exception {
    AtomicInteger lateCalls = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean closeReturned = new AtomicBoolean();
    InboundHandler handler = e -> {
      calls.incrementAndGet();
      if (closeReturned.get()) {
        lateCalls.incrementAndGet();
      }
    };
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus b = cluster.start(B, CONFIG, handler);
    sendAll(a, B, 0, 10);
    Inbox.await("first deliveries", () -> calls.get() >= 10);
    Thread flood = new Thread(() -> {
      for (int i = 10; i < 3_000 && !Thread.currentThread().isInterrupted(); i++) {
        a.send(envelope(A, B, i));
      }
    });
    flood.start();
    b.close();
    closeReturned.set(true);
    flood.join();
    Inbox.await("A to notice B closed", () -> !a.isConnected(B));
    assertThat(lateCalls.get()).isZero();
  }

  @Test
  void envelopesOfAVersionTheDestinationLacksAreDroppedAtTheSender() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG.withVersions(new VersionRange(1, 2)), Inbox.open());
    cluster.start(B, CONFIG, inbox);
    assertThat(a.send(new Envelope(1, KIND, A, B, Bytes.ofLong(0)))).isTrue();
    inbox.awaitAtLeast(1);
    assertThat(a.peerVersions(B)).contains(VersionRange.only(1));
    assertThat(a.send(new Envelope(2, KIND, A, B, Bytes.ofLong(1)))).isTrue();
    assertThat(a.send(new Envelope(1, KIND, A, B, Bytes.ofLong(2)))).isTrue();
    assertThat(seqs(inbox.awaitAtLeast(2))).containsExactly(0L, 2L);
    Inbox.await("the drop to be counted", () -> a.stats().droppedIncompatible() == 1);
  }

  @Test
  void nodesWithoutACommonVersionNeverConnect() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus b = cluster.start(B, CONFIG.withVersions(new VersionRange(2, 3)), inbox);
    assertThat(a.send(envelope(A, B, 0))).isTrue();
    Inbox.await("the refusal to be counted", () -> a.stats().handshakesRefused() >= 1);
    assertThat(a.isConnected(B)).isFalse();
    assertThat(b.isConnected(A)).isFalse();
    assertThat(inbox.size()).isZero();
  }
}
