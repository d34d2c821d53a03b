package io.flywheel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Entry;
import io.flywheel.replication.EntryKind;
import io.flywheel.replication.HardState;
import io.flywheel.replication.Membership;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's fakes keep the semantics the checkers rely on. */
class FakesTest {
  private static Entry entry(long index, long ballot) {
    return Entry.create(index, ballot, EntryKind.COMMAND, new byte[] {(byte) index});
  }

  @Test
  void aCrashLosesEveryWriteNotYetSyncedAndNothingSynced() {
    HardState boot = HardState.bootstrap(Membership.fullVoters(1, 2, 3));
    SimDisk disk = new SimDisk(boot);
    HardState voted = new HardState(1, 2, 0, boot.membership(), 0);
    disk.write(voted, List.of(entry(1, 1), entry(2, 1)));
    assertThat(disk.visibleLog().lastIndex()).as("a write is visible at once").isEqualTo(2);
    assertThat(disk.durableLog().lastIndex()).as("but not durable").isZero();
    disk.sync();
    disk.write(new HardState(2, 3, 1, boot.membership(), 0), List.of(entry(2, 2), entry(3, 2)));
    assertThat(disk.durablyHolds(2, 1, entry(2, 1).checksum())).isTrue();
    disk.crash();
    assertThat(disk.visibleLog().lastIndex()).as("the unsynced suffix is gone").isEqualTo(2);
    assertThat(disk.visibleLog().entry(2)).as("and the entry it replaced is back").isEqualTo(entry(2, 1));
    assertThat(disk.visibleHardState()).as("the unsynced vote is gone").isEqualTo(voted);
    assertThat(disk.hasUnsynced()).isFalse();
  }

  @Test
  void clocksDriftApartByLessThanTheBoundOverALeaseAndMapBackToTrueTime() {
    EventQueue events = new EventQueue(16);
    long leaseNanos = 300_000_000L;
    long boundNanos = 20_000_000L;
    long ppm = boundNanos * 1_000_000L / leaseNanos * 9 / 20; // what the simulation draws within
    SimClock fast = new SimClock(events, 5_000_000_000L, ppm);
    SimClock slow = new SimClock(events, 0, -ppm);
    for (long t = 0; t < 3_600_000_000_000L; t += 7_777_777_777L) {
      long apart = (fast.localAt(t + leaseNanos) - fast.localAt(t)) - (slow.localAt(t + leaseNanos) - slow.localAt(t));
      assertThat(apart).as("drift over one lease at %d", t).isLessThan(boundNanos);
      assertThat(fast.trueAt(fast.localAt(t))).isEqualTo(t);
      assertThat(slow.trueAt(slow.localAt(t))).isLessThanOrEqualTo(t);
      assertThat(slow.localAt(slow.trueAt(slow.localAt(t)))).isEqualTo(slow.localAt(t));
    }
  }

  @Test
  void eventsRunInTimeOrderAndTiesInInsertionOrder() {
    EventQueue events = new EventQueue(16);
    StringBuilder order = new StringBuilder();
    events.at(20, () -> order.append('c'));
    events.at(10, () -> order.append('a'));
    events.at(10, () -> order.append('b'));
    events.schedule(5, () -> order.append('x')).cancel();
    while (events.runNext(100)) {
      // run all
    }
    assertThat(order.toString()).isEqualTo("abc");
    assertThat(events.nowNanos()).isEqualTo(100);
  }
}
