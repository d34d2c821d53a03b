package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.CorruptDataException;
import io.flywheel.base.RandomSource;
import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.Heartbeat;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.InstallSnapshot;
import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksumTest {
  private static final long G = TestCluster.GROUP;

  /** A leader with one command in flight to node 2. */
  private static TestCluster withAppendInFlight() {
    // after an earlier ballot, so the leader waits out the lease and every replica is idle when it serves
    TestCluster c = TestCluster.threeFullVoters().afterBallot(1).electAndServe(1);
    c.propose(1, "put k v");
    c.process(1);
    return c;
  }

  private static AppendEntries appendTo2(TestCluster c) {
    return (AppendEntries) c.take(m -> m instanceof AppendEntries a && a.to() == 2 && !a.entries().isEmpty()).get(0);
  }

  @Test
  void aMessageWhoseChecksumDoesNotMatchIsDroppedAndCounted() {
    TestCluster c = withAppendInFlight();
    AppendEntries a = appendTo2(c);
    long before = c.node(2).log.lastIndex();
    c.deliver(new AppendEntries(a.groupId(), a.from(), a.to(), a.ballot(), a.prevIndex(), a.prevBallot(), a.entries(),
        a.commitIndex() + 1, a.sentNanos(), a.checksum())); // a field changed in transit

    c.process(2);
    assertThat(c.replica(2).corruptMessagesDropped()).isEqualTo(1);
    assertThat(c.node(2).log.lastIndex()).isEqualTo(before);
    assertThat(c.node(2).readies).last().satisfies(rd -> assertThat(rd.messagesAfterPersist())
        .noneMatch(m -> m instanceof AppendResponse));

    c.deliver(a); // the intact original still works
    c.process(2);
    assertThat(c.node(2).log.lastIndex()).isEqualTo(before + 1);
  }

  @Test
  void anEntryWhosePayloadWasAlteredIsDetectedEvenInAResealedMessage() {
    TestCluster c = withAppendInFlight();
    AppendEntries a = appendTo2(c);
    Entry e = a.entries().get(0);
    byte[] altered = e.payload().clone();
    altered[0] ^= 1;
    Entry bad = new Entry(e.index(), e.ballot(), e.kind(), altered, e.checksum());
    AppendEntries resealed = MessageCodec.seal(new AppendEntries(a.groupId(), a.from(), a.to(), a.ballot(),
        a.prevIndex(), a.prevBallot(), List.of(bad), a.commitIndex(), a.sentNanos(), 0));
    assertThat(resealed.checksum()).isEqualTo(a.checksum()); // payloads are covered by the entry checksum
    long before = c.node(2).log.lastIndex();

    c.deliver(resealed);
    c.process(2);
    assertThat(c.replica(2).corruptMessagesDropped()).isEqualTo(1);
    assertThat(c.node(2).log.lastIndex()).isEqualTo(before);
  }

  @Test
  void aMessageForAnotherGroupOrNodeIsDroppedAndCounted() {
    TestCluster c = withAppendInFlight();
    AppendEntries a = appendTo2(c);
    c.node(3).replica.receive(a); // addressed to node 2
    assertThat(c.replica(3).misroutedMessagesDropped()).isEqualTo(1);
    assertThat(c.replica(3).corruptMessagesDropped()).isZero();
  }

  @Test
  void aCorruptEntryInTheStoredLogStopsTheReplicaThatReadsIt() {
    MemoryLog log = new MemoryLog();
    Entry good = Entry.create(1, 1, EntryKind.NOOP, new byte[0]);
    Entry intact = Entry.create(2, 1, EntryKind.COMMAND, TestCluster.bytes("put k v"));
    Entry rotten = new Entry(2, 1, EntryKind.COMMAND, TestCluster.bytes("put k w"), intact.checksum());
    log.write(List.of(good, rotten));
    HardState hard = new HardState(1, 1, 2, Membership.fullVoters(1, 2, 3), 0);
    Replica r = Replica.start(Config.defaults(), G, 1, hard, 0, log, RandomSource.seeded(1), 0);

    assertThatThrownBy(r::ready).isInstanceOf(CorruptDataException.class).hasMessageContaining("checksum");
  }

  @Test
  void everyMessageKindSurvivesTheCodecAndAnyFlippedBitIsDetected() {
    Membership m = Membership.of(Member.fullVoter(1), Member.logVoter(2), Member.learner(3));
    List<Message> all = List.of(
        new VoteRequest(G, 1, 2, 3, 10, 2, true, false, 0),
        new VoteResponse(G, 2, 1, 3, true, true, 0),
        new AppendEntries(G, 1, 2, 3, 9, 2, List.of(Entry.create(10, 3, EntryKind.COMMAND, TestCluster.bytes("x")),
            Entry.create(11, 3, EntryKind.CONFIG, m.encode())), 8, -5_000, 0),
        new AppendResponse(G, 2, 1, 3, false, 9, 7, 2, Long.MIN_VALUE, 0),
        new Heartbeat(G, 1, 3, 3, 8, 123_456_789, 0),
        new HeartbeatResponse(G, 3, 1, 3, 123_456_789, 0),
        new InstallSnapshot(G, 1, 3, 3, 100, 2, m, 42, 0),
        new TimeoutNow(G, 1, 2, 3, 950_000_000, 0));
    for (Message raw : all) {
      Message sealed = MessageCodec.seal(raw);
      assertThat(MessageCodec.isIntact(sealed)).isTrue();
      byte[] wire = MessageCodec.encode(sealed);
      Message back = MessageCodec.decode(wire);
      assertThat(back).isEqualTo(sealed);
      assertThat(MessageCodec.isIntact(back)).isTrue();
      for (int i = 0; i < wire.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] flipped = wire.clone();
          flipped[i] ^= (byte) (1 << bit);
          assertThat(survivesIntact(flipped)).as("%s byte %d bit %d", raw.getClass().getSimpleName(), i, bit).isFalse();
        }
      }
    }
  }

  private static boolean survivesIntact(byte[] wire) {
    try {
      return MessageCodec.isIntact(MessageCodec.decode(wire));
    } catch (CorruptDataException e) {
      return false;
    }
  }

  @Test
  void entriesAreEqualByContentAndTheirChecksumCoversIndexBallotKindAndPayload() {
    Entry e = Entry.create(5, 2, EntryKind.COMMAND, TestCluster.bytes("abc"));
    assertThat(e).isEqualTo(Entry.create(5, 2, EntryKind.COMMAND, TestCluster.bytes("abc")));
    List<Entry> variants = new ArrayList<>(List.of(
        new Entry(6, 2, EntryKind.COMMAND, TestCluster.bytes("abc"), e.checksum()),
        new Entry(5, 3, EntryKind.COMMAND, TestCluster.bytes("abc"), e.checksum()),
        new Entry(5, 2, EntryKind.NOOP, TestCluster.bytes("abc"), e.checksum()),
        new Entry(5, 2, EntryKind.COMMAND, TestCluster.bytes("abd"), e.checksum())));
    assertThat(e.isIntact()).isTrue();
    assertThat(variants).noneMatch(Entry::isIntact);
  }
}
