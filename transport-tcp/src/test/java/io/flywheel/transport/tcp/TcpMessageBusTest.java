package io.flywheel.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.Bytes;
import io.flywheel.base.Checksums;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.Inbox;
import io.flywheel.transport.MessageBus;
import io.flywheel.transport.MessageBusConfig;
import io.flywheel.transport.TransportStats;
import io.flywheel.transport.VersionRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the TCP bus has: sockets, handshakes, reconnects, bad bytes from the network. */
class TcpMessageBusTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long RAW = 99;
  private static final MessageBusConfig CONFIG =
      new MessageBusConfig(1024 * 1024, 4096, 8L * 1024 * 1024, VersionRange.only(1));

  private TcpCluster cluster = new TcpCluster();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  private static Envelope envelope(long from, long to, long seq) {
    return new Envelope(1, 7, from, to, Bytes.ofLong(seq));
  }

  private static List<Long> seqs(List<Envelope> envelopes) {
    return envelopes.stream().map(e -> Bytes.getLong(e.payload(), 0)).toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  /** A and B connected, with one envelope delivered each way. */
  private MessageBus[] connectedPair(Inbox inboxA, Inbox inboxB) {
    MessageBus a = cluster.start(A, CONFIG, inboxA);
    MessageBus b = cluster.start(B, CONFIG, inboxB);
    a.send(envelope(A, B, 0));
    b.send(envelope(B, A, 0));
    inboxA.awaitAtLeast(1);
    inboxB.awaitAtLeast(1);
    return new MessageBus[] {a, b};
  }

  private static long openConnections(TransportStats stats) {
    return stats.connectionsEstablished() - stats.connectionsClosed();
  }

  @Test
  void bothNodesDialingAtOnceEndUpWithOneConnection() {
    for (int round = 0; round < 5; round++) {
      cluster.close();
      cluster = new TcpCluster();
      Inbox inboxA = Inbox.open();
      Inbox inboxB = Inbox.open();
      MessageBus a = cluster.start(A, CONFIG, inboxA);
      MessageBus b = cluster.start(B, CONFIG, inboxB);
      for (int i = 0; i < 50; i++) { // both queues non-empty before either connection exists
        a.send(envelope(A, B, i));
        b.send(envelope(B, A, i));
      }
      assertThat(seqs(inboxB.awaitAtLeast(50))).as("round %d", round).isEqualTo(range(0, 50));
      assertThat(seqs(inboxA.awaitAtLeast(50))).as("round %d", round).isEqualTo(range(0, 50));
      Inbox.await("one connection left on each side",
          () -> openConnections(a.stats()) == 1 && openConnections(b.stats()) == 1);
    }
  }

  @Test
  void everythingQueuedBeforeTheConnectionLeavesInOneFrame() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.declareDown(B);
    for (int i = 0; i < 500; i++) {
      a.send(envelope(A, B, i));
    }
    MessageBus b = cluster.start(B, CONFIG, inbox);
    assertThat(seqs(inbox.awaitAtLeast(500))).isEqualTo(range(0, 500));
    // Frames B read: A's Hello, then one batch with all 500 envelopes.
    assertThat(b.stats().framesReceived()).isEqualTo(2);
    assertThat(a.stats().envelopesSent()).isEqualTo(500);
  }

  @Test
  void framesCloseAtTheTargetSizeAndALargerEnvelopeTravelsAlone() {
    cluster = new TcpCluster(c -> c.withFrameTargetBytes(4096));
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.declareDown(B);
    for (int i = 0; i < 500; i++) {
      a.send(envelope(A, B, i)); // 32 bytes each: 127 fit in 4096 with the frame's 13
    }
    a.send(new Envelope(1, 7, A, B, new byte[10_000]));
    MessageBus b = cluster.start(B, CONFIG, inbox);
    List<Envelope> received = inbox.awaitAtLeast(501);
    assertThat(seqs(received.subList(0, 500))).isEqualTo(range(0, 500));
    assertThat(received.get(500).payload()).hasSize(10_000);
    // A's Hello, four frames of at most 127 envelopes, and the large one alone.
    assertThat(b.stats().framesReceived()).isEqualTo(1 + 4 + 1);
  }

  @Test
  void aPeerThatKeepsRestartingOnItsPortGetsAnInOrderSubsequenceAndTheQueueResumes() {
    Inbox first = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    MessageBus b = cluster.start(B, CONFIG, first);
    int port = ((TcpMessageBus) b).listenPort();
    long seq = 0;
    for (; seq < 100; seq++) {
      a.send(envelope(A, B, seq));
    }
    first.awaitAtLeast(100);
    b.close(); // no waiting for A to notice: sends go on while the connection dies
    for (; seq < 200; seq++) {
      a.send(envelope(A, B, seq));
    }
    Inbox second = Inbox.open();
    TcpMessageBus restarted = (TcpMessageBus) cluster.start(B, CONFIG, second);
    assertThat(restarted.listenPort()).isEqualTo(port);
    for (; seq < 300; seq++) {
      a.send(envelope(A, B, seq));
    }
    List<Long> got = seqs(second.awaitAtLeast(100));
    Inbox.await("the last envelope", () -> seqs(second.received()).contains(299L));
    got = seqs(second.received());
    assertThat(got).isSorted().doesNotHaveDuplicates();
    assertThat(got).containsAll(range(200, 300)); // sent after the restart: none may be lost
    assertThat(got.get(0)).isGreaterThanOrEqualTo(100L);
  }

  @Test
  void aCorruptedFrameClosesThatConnectionAndIsCountedWhileOthersKeepWorking() throws Exception {
    Inbox inboxB = Inbox.open();
    MessageBus[] pair = connectedPair(Inbox.open(), inboxB);
    MessageBus a = pair[0];
    MessageBus b = pair[1];
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      byte[] frame = FrameCodec.encode(new Frame.Batch(List.of(envelope(RAW, B, 1))));
      frame[frame.length - 6] ^= 0x10; // a bit of the payload
      raw.write(frame);
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().checksumFailures()).isEqualTo(1);
    assertThat(inboxB.received()).allMatch(e -> e.sourceNodeId() == A);
    a.send(envelope(A, B, 1));
    assertThat(seqs(inboxB.awaitAtLeast(2))).containsExactly(0L, 1L);
    assertThat(a.isConnected(B)).isTrue();
    assertThat(a.stats().connectionsClosed()).isZero();
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsBuffered() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      byte[] prefix = new byte[8];
      Bytes.putInt(prefix, 0, 512 * 1024 * 1024); // announces 512 MiB, sends 4 bytes of it
      raw.write(prefix);
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().oversizedFrames()).isEqualTo(1);
  }

  @Test
  void somethingThatIsNotAFlywheelNodeIsCutOffAtItsFirstBytes() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.closedByPeer()).isTrue();
    }
    // "GET " read as a length is about 1.2 GB: over the handshake limit.
    assertThat(b.stats().oversizedFrames()).isEqualTo(1);
    assertThat(b.stats().handshakesRefused()).isZero();
  }

  @Test
  void anEnvelopeOfAnUnknownVersionClosesTheConnection() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      raw.write(new Frame.Batch(List.of(new Envelope(9, 7, RAW, B, new byte[3]))));
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().unknownVersions()).isEqualTo(1);
    assertThat(b.stats().envelopesReceived()).isZero();
  }

  @Test
  void envelopesClaimingAnotherSourceCloseTheConnection() throws Exception {
    Inbox inbox = Inbox.open();
    MessageBus b = cluster.start(B, CONFIG, inbox);
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      raw.write(new Frame.Batch(List.of(envelope(RAW, B, 1), envelope(A, B, 2))));
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().malformedFrames()).isEqualTo(1);
    assertThat(inbox.size()).as("nothing of a batch that broke the rules is delivered").isZero();
  }

  @Test
  void aPeerWithoutACommonVersionIsRefusedWithItsReason() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.write(new Frame.Hello(RAW, 1, B, new VersionRange(5, 6), 1 << 20));
      Frame answer = raw.readFrame();
      assertThat(answer).isInstanceOfSatisfying(Frame.Refusal.class, refusal -> {
        assertThat(refusal.reason()).isEqualTo(Frame.RefusalReason.INCOMPATIBLE_VERSION);
        assertThat(refusal.message()).contains("[1, 1]").contains("[5, 6]");
      });
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().handshakesRefused()).isEqualTo(1);
    assertThat(b.isConnected(RAW)).isFalse();
  }

  @Test
  void busesWithDisjointVersionsRefuseEachOtherOnBothSides() {
    Inbox inbox = Inbox.open();
    MessageBus a = cluster.start(A, CONFIG.withVersions(new VersionRange(3, 4)), Inbox.open());
    MessageBus b = cluster.start(B, CONFIG, inbox);
    assertThat(a.send(new Envelope(3, 7, A, B, new byte[1]))).isTrue();
    // The dialer counts the refusal when it reads it and the failed attempt when the channel closes after.
    Inbox.await("both sides to count the refusal, and the dialer its failed attempt",
        () -> a.stats().handshakesRefused() >= 1 && b.stats().handshakesRefused() >= 1 && a.stats().connectAttemptsFailed() >= 1);
    assertThat(a.stats().connectionsEstablished() + b.stats().connectionsEstablished()).isZero();
    assertThat(inbox.size()).isZero();
  }

  @Test
  void aHelloMeantForAnotherNodeIsRefused() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.write(new Frame.Hello(RAW, 1, 77, VersionRange.only(1), 1 << 20));
      assertThat(raw.readFrame()).isInstanceOfSatisfying(Frame.Refusal.class,
          refusal -> assertThat(refusal.reason()).isEqualTo(Frame.RefusalReason.WRONG_NODE));
    }
    assertThat(b.stats().handshakesRefused()).isEqualTo(1);
  }

  @Test
  void aConnectionThatNeverHandshakesIsClosed() throws Exception {
    cluster = new TcpCluster(c -> c.withLiveness(200, 1_000, 10_000));
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().connectionsEstablished()).isZero();
  }

  @Test
  void aPeerThatGoesSilentAfterTheHandshakeIsClosedAsDead() throws Exception {
    cluster = new TcpCluster(c -> c.withLiveness(5_000, 100, 400));
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      Inbox.await("B to see RAW connected", () -> b.isConnected(RAW));
      assertThat(raw.closedByPeer()).isTrue(); // we read B's heartbeats but never send one
    }
    Inbox.await("B to count the close", () -> b.stats().connectionsClosed() == 1);
  }

  @Test
  void idleConnectionsStayUpOnHeartbeats() {
    cluster = new TcpCluster(c -> c.withLiveness(5_000, 50, 400));
    Inbox inboxB = Inbox.open();
    MessageBus[] pair = connectedPair(Inbox.open(), inboxB);
    long framesBefore = pair[1].stats().framesReceived();
    // Several idle timeouts long, with no envelopes at all.
    Inbox.await("heartbeats", () -> pair[1].stats().framesReceived() >= framesBefore + 20);
    assertThat(pair[0].isConnected(B)).isTrue();
    assertThat(pair[1].stats().connectionsClosed() + pair[0].stats().connectionsClosed()).isZero();
    assertThat(pair[1].stats().envelopesReceived()).isEqualTo(1);
  }

  @Test
  void aNodeThatLeavesTheMembershipIsRefusedAndWhatWasQueuedIsDropped() {
    MessageBus a = cluster.start(A, CONFIG, Inbox.open());
    cluster.declareDown(B);
    for (int i = 0; i < 5; i++) {
      a.send(envelope(A, B, i));
    }
    cluster.addresses.remove(B);
    Inbox.await("the next redial to drop the queue", () -> a.stats().droppedUndeliverable() == 5);
    assertThat(a.send(envelope(A, B, 5))).isFalse();
    assertThat(a.stats().refusedUnknownNode()).isEqualTo(1);
  }

  @Test
  void theNioTransportWorksToo() {
    cluster = new TcpCluster(c -> c.withNativeTransport(false));
    Inbox inbox = Inbox.open();
    TcpMessageBus a = (TcpMessageBus) cluster.start(A, CONFIG, Inbox.open());
    cluster.start(B, CONFIG, inbox);
    assertThat(a.nativeTransport()).isFalse();
    for (int i = 0; i < 100; i++) {
      a.send(envelope(A, B, i));
    }
    assertThat(seqs(inbox.awaitAtLeast(100))).isEqualTo(range(0, 100));
  }

  @Test
  void aForgedChecksumStillCannotSmuggleAWrongLength() throws Exception {
    MessageBus b = cluster.start(B, CONFIG, Inbox.open());
    try (RawPeer raw = new RawPeer(((TcpMessageBus) b).listenPort())) {
      raw.handshake(RAW, B);
      byte[] frame = FrameCodec.encode(new Frame.Batch(List.of(envelope(RAW, B, 1))));
      Bytes.putInt(frame, 4 + 1 + 4 + 20, 1_000); // payloadLength beyond the frame
      Bytes.putInt(frame, frame.length - 4, Checksums.crc32c(frame, 0, frame.length - 4));
      raw.write(frame);
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(b.stats().malformedFrames()).isEqualTo(1);
    assertThat(b.stats().checksumFailures()).isZero();
  }
}
