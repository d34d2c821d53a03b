package io.flywheel.replicahost;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message;
import io.flywheel.replication.MessageCodec;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.LocalMessageBus;
import io.flywheel.transport.LocalMessageHub;
import io.flywheel.transport.MessageBusConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Replication messages in bus envelopes: what goes out, and what comes in intact or not at all. */
class BusPeerNetworkTest {
  static final int KIND = 0x0301;

  static Message vote(long from, long to) {
    return MessageCodec.seal(new Message.VoteRequest(9, from, to, 3, 10, 2, true, false, 0));
  }

  @Test
  void messagesTravelInEnvelopesOfTheirKindAndComeOutEqual() {
    LocalMessageHub hub = new LocalMessageHub();
    List<Envelope> arrived = new CopyOnWriteArrayList<>();
    BusPeerNetwork one = new BusPeerNetwork(KIND);
    one.send(vote(1, 2)); // no bus yet: dropped and counted
    assertThat(one.refused()).isEqualTo(1);
    LocalMessageBus bus1 = hub.join(1, MessageBusConfig.defaults(), e -> {}, Runnable::run);
    hub.join(2, MessageBusConfig.defaults(), arrived::add, Runnable::run);
    one.attach(bus1);
    Message sent = vote(1, 2);
    one.send(sent);
    assertThat(one.sent()).isEqualTo(1);
    assertThat(arrived).hasSize(1);
    Envelope e = arrived.get(0);
    assertThat(e.kind()).isEqualTo(KIND);
    assertThat(e.version()).isEqualTo(BusPeerNetwork.FORMAT_VERSION);
    assertThat(MessageCodec.decode(e.payload())).isEqualTo(sent);
    one.send(vote(1, 5)); // a node the bus does not know
    assertThat(one.refused()).isEqualTo(2);
  }

  @Test
  void garbledMisaddressedOrForeignEnvelopesAreDroppedAndCounted() {
    BusPeerNetwork two = new BusPeerNetwork(KIND);
    byte[] good = MessageCodec.encode(vote(1, 2));
    assertThat(two.accepts(new Envelope(1, KIND, 1, 2, good))).isTrue();
    assertThat(two.accepts(new Envelope(1, 0x0101, 1, 2, good))).isFalse();
    two.receive(new Envelope(1, KIND, 1, 2, new byte[] {1, 2, 3}));
    two.receive(new Envelope(1, KIND, 3, 2, good)); // the envelope's source is not the message's sender
    two.receive(new Envelope(1, KIND, 1, 4, good)); // nor its destination the message's receiver
    two.receive(new Envelope(2, KIND, 1, 2, good)); // a format this release does not read
    two.receive(new Envelope(1, 0x0101, 1, 2, good)); // not a replication message
    assertThat(two.malformed()).isEqualTo(5);
    assertThat(two.received()).isZero();
  }
}
