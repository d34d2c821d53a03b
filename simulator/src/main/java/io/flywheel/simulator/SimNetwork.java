package io.flywheel.simulator;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Message;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The simulated network between replicas. Every message takes a random delay (so messages
 * reorder), a few take much longer (spikes), some are dropped and some duplicated; links can be
 * cut one way ({@link #cut}) or both ways ({@link #isolate}). The number of messages in flight is
 * bounded: past {@code inFlightMax} a send is dropped, as a full socket buffer would.
 */
final class SimNetwork {
  /** Fault knobs, fixed for a run. */
  record Knobs(int dropPerMille, int duplicatePerMille, long delayMinNanos, long delayMaxNanos, int spikePerMille,
      long spikeMaxNanos) {}

  private final EventQueue events;
  private final RandomSource random;
  private final Consumer<Message> deliver;
  private final Trace trace;
  private final int inFlightMax;
  private Knobs knobs;
  /** Directed links that drop everything: from << 32 | to. */
  private final TreeSet<Long> cut = new TreeSet<>();
  private int inFlight;
  private long dropped;
  private long sent;

  SimNetwork(EventQueue events, RandomSource random, Knobs knobs, int inFlightMax, Trace trace,
      Consumer<Message> deliver) {
    this.events = events;
    this.random = random;
    this.knobs = knobs;
    this.inFlightMax = inFlightMax;
    this.trace = trace;
    this.deliver = deliver;
  }

  void setKnobs(Knobs k) {
    this.knobs = k;
  }

  Knobs knobs() {
    return knobs;
  }

  void send(Message m) {
    sent++;
    if (isCut(m.from(), m.to()) || random.nextInt(1000) < knobs.dropPerMille() || inFlight >= inFlightMax) {
      dropped++;
      return;
    }
    schedule(m);
    if (random.nextInt(1000) < knobs.duplicatePerMille()) {
      schedule(m);
    }
  }

  private void schedule(Message m) {
    long delay = knobs.delayMinNanos() + Math.floorMod(random.nextLong(), knobs.delayMaxNanos() - knobs.delayMinNanos() + 1);
    if (random.nextInt(1000) < knobs.spikePerMille()) {
      delay += Math.floorMod(random.nextLong(), knobs.spikeMaxNanos() + 1);
    }
    inFlight++;
    events.after(delay, () -> {
      inFlight--;
      // A link cut while the message travelled loses it too.
      if (isCut(m.from(), m.to())) {
        dropped++;
        return;
      }
      trace.record(Trace.DELIVER, m.from(), m.to(), m.ballot() * 16 + kindCode(m));
      deliver.accept(m);
    });
  }

  private static int kindCode(Message m) {
    return switch (m) {
      case Message.VoteRequest r -> 1;
      case Message.VoteResponse r -> 2;
      case Message.AppendEntries a -> 3;
      case Message.AppendResponse r -> 4;
      case Message.Heartbeat h -> 5;
      case Message.HeartbeatResponse r -> 6;
      case Message.InstallSnapshot s -> 7;
      case Message.TimeoutNow t -> 8;
    };
  }

  boolean isCut(long from, long to) {
    return !cut.isEmpty() && cut.contains(from << 32 | to);
  }

  /** Drops everything from {@code from} to {@code to} until healed (one way). */
  void cut(long from, long to) {
    cut.add(from << 32 | to);
  }

  void restore(long from, long to) {
    cut.remove(from << 32 | to);
  }

  /** Cuts {@code node} off from every node in {@code others}, both ways. */
  void isolate(long node, Iterable<Long> others) {
    for (long o : others) {
      if (o != node) {
        cut(node, o);
        cut(o, node);
      }
    }
  }

  void healAll() {
    cut.clear();
  }

  long dropped() {
    return dropped;
  }

  long sent() {
    return sent;
  }
}
