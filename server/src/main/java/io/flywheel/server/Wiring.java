package io.flywheel.server;

import io.flywheel.base.Clock;
import io.flywheel.base.RandomSource;
import io.flywheel.base.Scheduler;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.StorageNodes;
import io.flywheel.router.RouterConfig;
import io.flywheel.router.TransactionConfig;
import io.flywheel.router.TransactionCoordinator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What the embedded server and a cluster node wire the same way. */
final class Wiring {
  private Wiring() {}

  /** Closes {@code resources} last first (each failure reported, none stopping the rest) and forgets them. */
  static void closeInReverse(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        System.err.println("flywheel: error while stopping: " + e);
      }
    }
    resources.clear();
  }

  static ThreadFactory threads(String name, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(daemon);
      return t;
    };
  }

  /** A scheduler on one daemon timer thread, shut down with {@code closers}. */
  static Scheduler scheduler(String name, List<AutoCloseable> closers) {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(threads(name, true));
    closers.add(timers::shutdownNow);
    return (delayNanos, task) -> {
      ScheduledFuture<?> scheduled = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> scheduled.cancel(false);
    };
  }

  /** One process per data directory: a second one would corrupt it. */
  static AutoCloseable lockDataDirectory(Path data) throws IOException {
    FileChannel channel = FileChannel.open(data.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("data directory " + data.toAbsolutePath() + " is in use by another Flywheel process");
    }
    FileLock held = lock;
    return () -> {
      held.release();
      channel.close();
    };
  }

  /**
   * The transaction coordinator: creates the ledger and finishes or aborts every transaction a
   * crash left in doubt before the endpoint serves, then repeats recovery periodically for
   * transactions whose coordinator stalled.
   */
  static TransactionCoordinator startTransactions(MetadataService metadata, StorageNodes nodes, Clock clock,
      List<AutoCloseable> closers) {
    return startTransactions(metadata, nodes, clock, closers, start -> start.get().join());
  }

  /** As above; {@code awaitStart} runs the coordinator's start (creating the ledger, recovering) and may retry it. */
  static TransactionCoordinator startTransactions(MetadataService metadata, StorageNodes nodes, Clock clock,
      List<AutoCloseable> closers,
      Function<Supplier<CompletableFuture<TransactionCoordinator.RecoveryReport>>, TransactionCoordinator.RecoveryReport> awaitStart) {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(threads("transaction-timer", true));
    closers.add(timers::shutdownNow);
    Scheduler scheduler = (delayNanos, task) -> {
      ScheduledFuture<?> scheduled = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> scheduled.cancel(false);
    };
    TransactionConfig config = TransactionConfig.defaults();
    TransactionCoordinator coordinator = new TransactionCoordinator(metadata, nodes, RouterConfig.defaults(), clock,
        RandomSource.seeded(new SecureRandom().nextLong()), scheduler, config);
    TransactionCoordinator.RecoveryReport recovered = awaitStart.apply(coordinator::start);
    if (recovered.committed() + recovered.aborted() + recovered.failed() > 0) {
      System.out.printf("flywheel: recovered in-doubt transactions: %d committed, %d aborted, %d left for later%n",
          recovered.committed(), recovered.aborted(), recovered.failed());
    }
    AtomicBoolean recovering = new AtomicBoolean();
    long periodMillis = Math.max(1_000, config.recoveryAgeMillis() / 2);
    timers.scheduleWithFixedDelay(() -> {
      if (recovering.compareAndSet(false, true)) {
        coordinator.recover(config.recoveryAgeMillis()).whenComplete((report, error) -> recovering.set(false));
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return coordinator;
  }
}
