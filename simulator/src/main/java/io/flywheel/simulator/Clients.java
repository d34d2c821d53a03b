package io.flywheel.simulator;

import io.flywheel.base.RandomSource;
import io.flywheel.replication.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The register/CAS workload: a few clients, each with one operation outstanding at a time on one
 * of a few keys — strongly consistent reads (through the leader's lease), blind writes of unique
 * values, and compare-and-sets from the last value the client saw. A client sends to the replica
 * it believes leads (a quarter of operations to a random one) and follows {@code NotLeader} hints; a rejection that proves the request was
 * not appended is retried (bounded); losing the leader, or no answer within {@code timeoutNanos},
 * ends a write as {@link Op.Outcome#UNKNOWN}. Invocations and answers are recorded in true time.
 */
final class Clients {
  /** One attempt of one operation at one node. */
  record Request(Client client, long attempt, long node, long opId, Op.Kind kind, long key, long expected, long value,
      long readId) {}

  static final class Client {
    final long id;
    long leaderGuess;
    long seq;
    long attempt;
    Request current;
    long callNanos;
    int attempts;
    final TreeMap<Long, Long> lastSeen = new TreeMap<>();

    Client(long id) {
      this.id = id;
    }
  }

  private final Simulation sim;
  private final RandomSource random;
  private final List<Client> clients = new ArrayList<>();
  private final TreeMap<Long, List<Op>> history = new TreeMap<>();
  private final int keys;
  private final long timeoutNanos;
  private final int attemptsMax;
  private long stopAtNanos = Long.MAX_VALUE;
  private long lullUntilNanos = Long.MIN_VALUE;
  private long nextOpId = 1;
  private long nextReadId = 1;
  private long completed;
  private long unknown;
  private long opsMax;

  Clients(Simulation sim, RandomSource random, int clientCount, int keys, long timeoutNanos, int attemptsMax,
      long opsMax) {
    this.sim = sim;
    this.random = random;
    this.keys = keys;
    this.timeoutNanos = timeoutNanos;
    this.attemptsMax = attemptsMax;
    this.opsMax = opsMax;
    for (int i = 1; i <= clientCount; i++) {
      clients.add(new Client(i));
    }
  }

  void start() {
    for (Client c : clients) {
      sim.events.after(1 + random.nextInt(50) * 1_000_000L, () -> next(c));
    }
    scheduleLull();
  }

  /**
   * Busy phases alternate with read-only lulls, as real traffic does. In a lull the log stands
   * still, so a follower cut off from the leader stays up to date — exactly when an ill-timed
   * election can win without a log to lose — and writes resume where the lull ends.
   */
  private void scheduleLull() {
    long busy = 1_000_000_000L + random.nextInt(5_000) * 1_000_000L;
    sim.events.after(busy, () -> {
      long t = sim.config.electionTimeoutNanos();
      lullUntilNanos = sim.events.nowNanos() + t + Math.floorMod(random.nextLong(), 3 * t);
      scheduleLull();
    });
  }

  /** No new operation starts after {@code nanos} (true time). */
  void stopAt(long nanos) {
    stopAtNanos = nanos;
  }

  boolean idle() {
    for (Client c : clients) {
      if (c.current != null) {
        return false;
      }
    }
    return true;
  }

  private void next(Client c) {
    if (sim.events.nowNanos() >= stopAtNanos || nextOpId > opsMax) {
      return;
    }
    long key = 1 + random.nextInt(keys);
    int roll = random.nextInt(100);
    Op.Kind kind = roll < 40 ? Op.Kind.READ : roll < 75 ? Op.Kind.WRITE : Op.Kind.CAS;
    if (sim.events.nowNanos() < lullUntilNanos) {
      kind = Op.Kind.READ;
    }
    long value = c.id << 40 | ++c.seq; // unique and positive
    long expected = c.lastSeen.getOrDefault(key, 0L);
    c.callNanos = sim.events.nowNanos();
    c.attempts = 0;
    c.current = new Request(c, 0, Replica.NO_NODE, nextOpId++, kind, key, expected, value, 0);
    attempt(c);
  }

  private void attempt(Client c) {
    Request op = c.current;
    c.attempts++;
    c.attempt++;
    long target = c.leaderGuess;
    // A quarter of operations start at a random replica, as requests through routers whose caches
    // disagree do; the rest go where this client last found the leader.
    if (c.attempts == 1 && random.nextInt(4) == 0) {
      target = Replica.NO_NODE;
    }
    if (target == Replica.NO_NODE || sim.node(target) == null) {
      List<Long> ids = sim.nodeIds();
      target = ids.get(random.nextInt(ids.size()));
    }
    long to = target;
    Request r = new Request(c, c.attempt, to, op.opId(), op.kind(), op.key(), op.expected(), op.value(),
        op.kind() == Op.Kind.READ ? nextReadId++ : 0);
    c.current = r;
    sim.events.after(latency(), () -> {
      if (c.current == r) {
        sim.node(to).clientRequest(r);
      }
    });
    sim.events.after(timeoutNanos, () -> {
      if (c.current == r) {
        unknown(r); // no answer: the client gives up; a write may or may not have happened
      }
    });
  }

  private long latency() {
    return 100_000L + random.nextInt(2_000_000);
  }

  /** Answered: a read's value, or the register's value before a write or CAS. */
  void completed(Request r, long observed) {
    respond(r, () -> {
      record(r, Op.Outcome.OK, observed);
      r.client().leaderGuess = r.node();
      long seen = switch (r.kind()) {
        case READ -> observed;
        case WRITE -> r.value();
        case CAS -> observed == r.expected() ? r.value() : observed;
      };
      r.client().lastSeen.put(r.key(), seen);
      finish(r.client());
    });
  }

  /** Not taken (never appended): retry, at {@code hint} if known. */
  void failed(Request r, long hint) {
    respond(r, () -> {
      Client c = r.client();
      c.leaderGuess = hint;
      if (c.attempts >= attemptsMax || sim.events.nowNanos() >= stopAtNanos) {
        finish(c); // gave up: it had no effect, so it is not part of the history
        return;
      }
      long backoff = hint == Replica.NO_NODE ? 5_000_000L + random.nextInt(20_000_000) : 0;
      sim.events.after(backoff, () -> {
        if (c.current == r) {
          attempt(c);
        }
      });
    });
  }

  /** The outcome cannot be known (leader lost, node crashed, timeout). A read simply failed. */
  void unknown(Request r) {
    respond(r, () -> {
      if (r.kind() != Op.Kind.READ) {
        record(r, Op.Outcome.UNKNOWN, 0);
        unknown++;
      }
      r.client().leaderGuess = Replica.NO_NODE;
      finish(r.client());
    });
  }

  private void respond(Request r, Runnable atClient) {
    sim.events.after(latency(), () -> {
      if (r.client().current == r) {
        atClient.run();
      }
    });
  }

  private void finish(Client c) {
    if (c.current != null) {
      sim.trace.record(Trace.CLIENT, c.id, c.current.opId(), c.attempts);
    }
    c.current = null;
    completed++;
    sim.events.after(random.nextInt(30) * 1_000_000L, () -> next(c));
  }

  private void record(Request r, Op.Outcome outcome, long observed) {
    Client c = r.client();
    long now = sim.events.nowNanos();
    history.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Op(r.opId(), c.id, r.key(), r.kind(),
        r.expected(), r.value(), c.callNanos, outcome == Op.Outcome.UNKNOWN ? Long.MAX_VALUE : now, outcome, observed));
  }

  /** The run ends: a write still outstanding may or may not have happened. */
  void endRun() {
    for (Client c : clients) {
      Request r = c.current;
      if (r != null && r.kind() != Op.Kind.READ) {
        record(r, Op.Outcome.UNKNOWN, 0);
        unknown++;
      }
      c.current = null;
    }
  }

  TreeMap<Long, List<Op>> history() {
    return history;
  }

  long completed() {
    return completed;
  }

  long unknownOutcomes() {
    return unknown;
  }
}
