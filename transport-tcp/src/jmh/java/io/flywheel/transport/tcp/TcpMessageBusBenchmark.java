package io.flywheel.transport.tcp;

import io.flywheel.base.RandomSource;
import io.flywheel.transport.Envelope;
import io.flywheel.transport.MessageBusConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Envelopes per second from one TCP bus to another over loopback, one event loop each. The score
 * is <em>delivered</em> envelopes per second: the sender keeps at most {@link #WINDOW_MESSAGES}
 * envelopes between {@code send} and the receiver's handler, so queues cannot absorb the
 * measurement; MB/s is the score times {@code payloadBytes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class TcpMessageBusBenchmark {
  private static final long SENDER = 1;
  private static final long RECEIVER = 2;
  private static final int WINDOW_MESSAGES = 8_192;

  @Param({"100", "4096"})
  public int payloadBytes;

  @Param({"1048576"})
  public int frameTargetBytes;

  private final Map<Long, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private TcpMessageBus sender;
  private TcpMessageBus receiver;
  private Envelope envelope;
  private long sent;

  @Setup(Level.Trial)
  public void start() {
    NodeAddressResolver resolver = id -> Optional.ofNullable(addresses.get(id));
    TcpTransportConfig config = TcpTransportConfig.defaults("127.0.0.1", 0)
        .withBus(MessageBusConfig.defaults())
        .withFrameTargetBytes(frameTargetBytes);
    receiver = TcpMessageBus.start(RECEIVER, config, resolver, e -> received.incrementAndGet(), RandomSource.seeded(2),
        threads("receiver"));
    addresses.put(RECEIVER, new InetSocketAddress("127.0.0.1", receiver.listenPort()));
    sender = TcpMessageBus.start(SENDER, config, resolver, e -> { }, RandomSource.seeded(1), threads("sender"));
    addresses.put(SENDER, new InetSocketAddress("127.0.0.1", sender.listenPort()));
    // The payload array is shared by every envelope: a bus never modifies payloads.
    envelope = new Envelope(1, 1, SENDER, RECEIVER, new byte[payloadBytes]);
    send();
    awaitDelivered();
  }

  @Benchmark
  public void send() {
    while (sent - received.get() >= WINDOW_MESSAGES) {
      Thread.yield();
    }
    while (!sender.send(envelope)) {
      Thread.yield(); // queue full: let the event loops run
    }
    sent++;
  }

  @TearDown(Level.Iteration)
  public void awaitDelivered() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < sent) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + received.get() + " of " + sent + " envelopes arrived");
      }
      Thread.yield();
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (sender.stats().refusedQueueFull() > 0 || receiver.stats().protocolErrors() > 0) {
      System.out.println("sender " + sender.stats() + "\nreceiver " + receiver.stats());
    }
    System.out.printf("%nframes: %d for %d envelopes (%.1f envelopes per frame), native transport: %s%n",
        sender.stats().framesSent(), sender.stats().envelopesSent(),
        (double) sender.stats().envelopesSent() / sender.stats().framesSent(), sender.nativeTransport());
    sender.close();
    receiver.close();
  }

  private static java.util.concurrent.ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
