package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Rejection.DropReason;
import io.flywheel.replication.Rejection.Overloaded;
import io.flywheel.replication.Rejection.ProposalDropped;
import io.flywheel.replication.Rejection.RequestKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundsTest {
  private static List<AppendEntries> appendsInFlightTo(TestCluster c, long node) {
    return c.network.stream().filter(m -> m instanceof AppendEntries a && a.to() == node && !a.entries().isEmpty())
        .map(m -> (AppendEntries) m).toList();
  }

  @Test
  void theLeaderKeepsAtMostTheConfiguredNumberOfAppendsInFlightPerFollower() {
    Config config = Config.defaults().withAppendBounds(1, 1 << 20, 2);
    TestCluster c = TestCluster.of(config, Membership.fullVoters(1, 2, 3)).electAndServe(1);
    for (int i = 0; i < 10; i++) {
      c.propose(1, "c" + i);
    }
    c.process(1);
    assertThat(appendsInFlightTo(c, 2)).hasSize(2).allSatisfy(a -> assertThat(a.entries()).hasSize(1));
    assertThat(appendsInFlightTo(c, 3)).hasSize(2);

    // Each acknowledgement frees a slot for one more.
    c.deliverWhere(m -> m instanceof AppendEntries a && a.to() == 2);
    c.process(2);
    c.deliverWhere(m -> m instanceof AppendResponse && m.from() == 2);
    c.process(1);
    assertThat(appendsInFlightTo(c, 2)).hasSize(2);

    c.stabilize().run(c.config.heartbeatIntervalNanos());
    assertThat(c.node(2).appliedCommands()).hasSize(10);
  }

  @Test
  void anAppendCarriesAtMostTheConfiguredBytesButAlwaysOneEntry() {
    Config config = Config.defaults().withAppendBounds(64, 100, 64).withProposalBytesMax(150);
    TestCluster c = TestCluster.of(config, Membership.fullVoters(1, 2, 3)).electAndServe(1);
    c.propose(1, "a".repeat(60));
    c.propose(1, "b".repeat(60));
    c.propose(1, "c".repeat(150));
    c.process(1);
    List<AppendEntries> sent = appendsInFlightTo(c, 2);
    assertThat(sent).hasSize(3).allSatisfy(a -> assertThat(a.entries()).hasSize(1));
    c.stabilize();
    assertThat(c.node(1).acks).hasSize(3);
  }

  @Test
  void proposalsBeyondThePendingBoundAreRejectedAsOverloadedAndTooLargeOnesAreDropped() {
    Config config = Config.defaults().withPendingBounds(3, 16).withProposalBytesMax(10);
    TestCluster c = TestCluster.of(config, Membership.fullVoters(1, 2, 3)).electAndServe(1);
    c.dropWhere(m -> m instanceof AppendResponse); // nothing commits, the lease still holds for a while
    long p1 = c.propose(1, "a");
    long p2 = c.propose(1, "b");
    long p3 = c.propose(1, "c");
    long p4 = c.propose(1, "d");
    long big = c.propose(1, "x".repeat(11));
    c.process(1);
    assertThat(c.node(1).rejections).containsExactly(
        new Overloaded(RequestKind.PROPOSAL, p4), new ProposalDropped(big, DropReason.TOO_LARGE));

    c.heal().stabilize();
    assertThat(c.node(1).acks).extracting(Ready.Acknowledged::proposalId).containsExactly(p1, p2, p3);
    long p5 = c.propose(1, "e");
    c.stabilize();
    assertThat(c.node(1).acks).extracting(Ready.Acknowledged::proposalId).endsWith(p5);
  }

  @Test
  void aNewLeaderHoldsAtMostTheConfiguredNumberOfReadsUntilItServes() {
    Config config = Config.defaults().withPendingBounds(16, 2);
    TestCluster c = TestCluster.of(config, Membership.fullVoters(1, 2, 3)).afterBallot(3).elect(1);
    assertThat(c.replica(1).status().serving()).isFalse();
    c.read(1, 1).read(1, 2).read(1, 3);
    assertThat(c.node(1).rejections).containsExactly(new Overloaded(RequestKind.READ, 3));
    assertThat(c.node(1).reads).isEmpty();

    c.run(config.leaseDurationNanos() + config.clockDriftBoundNanos() + 100 * MS);
    assertThat(c.node(1).reads).extracting(Ready.ReadState::readId).containsExactly(1L, 2L);
  }
}
