package io.flywheel.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import io.flywheel.replication.Rejection.DropReason;
import io.flywheel.replication.Rejection.ProposalDropped;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogReplicationTest {
  @Test
  void aCommittedProposalIsAcknowledgedOnTheLeaderAndAppliedEverywhereInOrder() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    long a = c.propose(1, "put a 1");
    long b = c.propose(1, "put b 2");
    c.stabilize().run(c.config.heartbeatIntervalNanos());

    assertThat(c.node(1).acks).extracting(Ready.Acknowledged::proposalId).containsExactly(a, b);
    for (long id = 1; id <= 3; id++) {
      assertThat(c.node(id).appliedCommands()).as("node %d", id).containsExactly("put a 1", "put b 2");
    }
  }

  @Test
  void aNewLeaderTruncatesAFollowersDivergentUncommittedSuffixAndNeverTouchesCommittedEntries() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize();
    long committedBefore = c.replica(1).status().commitIndex();

    // The leader is cut off but still holds its lease: it appends two entries no one else sees.
    c.isolate(1);
    long x1 = c.propose(1, "x1");
    long x2 = c.propose(1, "x2");
    c.processAll();
    assertThat(c.replica(1).status().lastIndex()).isEqualTo(committedBefore + 2);

    // The others elect node 2, which commits its own entry at the same indexes.
    c.elect(2);
    c.run(c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos() + 100 * TestCluster.MS);
    assertThat(c.replica(2).status().serving()).isTrue();
    c.propose(2, "y");
    c.stabilize();

    // The old leader has stepped down (CheckQuorum) and, on rejoining, its suffix is replaced.
    assertThat(c.replica(1).status().role()).isNotEqualTo(Role.LEADER);
    assertThat(c.node(1).rejections).contains(
        new ProposalDropped(x1, DropReason.LEADERSHIP_LOST), new ProposalDropped(x2, DropReason.LEADERSHIP_LOST));
    c.heal().run(2 * c.config.heartbeatIntervalNanos());

    assertThat(c.node(1).log.entries()).isEqualTo(c.node(2).log.entries());
    assertThat(c.node(1).appliedCommands()).containsExactly("a", "y");
    assertThat(c.node(1).applied.subList(0, (int) committedBefore))
        .isEqualTo(c.node(2).applied.subList(0, (int) committedBefore));
  }

  /**
   * Figure 8 of the Raft paper, with Flywheel's NOOP entries: an entry of an earlier ballot stored
   * on a majority is not committed by counting replicas, because a candidate with a later-ballot
   * entry at that index can still be elected and overwrite it.
   */
  @Test
  void aLeaderNeverCommitsAnEarlierBallotsEntryByCountingReplicas() {
    Config oneEntryPerAppend = Config.defaults().withAppendBounds(1, 1 << 20, 8);
    TestCluster c = TestCluster.of(oneEntryPerAppend, Membership.fullVoters(1, 2, 3, 4, 5));
    c.electAndServe(1);

    // Ballot 1: "x" at index 2 reaches only node 2.
    c.dropWhere(m -> m.from() == 1 && m.to() >= 3);
    c.propose(1, "x");
    c.stabilize();
    assertThat(c.node(2).log.lastIndex()).isEqualTo(2);
    assertThat(c.replica(1).status().commitIndex()).isEqualTo(1);

    // Ballot 2: node 5 is elected by 3, 4, 5 and appends its NOOP at index 2, then is cut off.
    c.heal().isolate(1);
    c.campaign(5);
    assertThat(c.replica(5).status().role()).isEqualTo(Role.LEADER);
    assertThat(c.replica(5).status().ballot()).isEqualTo(2);
    c.processAll();
    c.heal().isolate(5);
    c.take(m -> true);

    // Ballot 3: node 1 comes back and is elected by 2, 3, 4 (node 5's log is not more up to date
    // than theirs as far as they know). It copies "x" to node 3 one entry at a time.
    c.dropWhere(m -> m.from() == 1 && m.to() == 4);
    for (int attempt = 0; attempt < 5 && c.replica(1).status().role() != Role.LEADER; attempt++) {
      c.campaign(1); // the first attempt only learns that ballot 2 exists
    }
    c.take(m -> m instanceof VoteRequest || m instanceof VoteResponse);
    assertThat(c.replica(1).status().role()).isEqualTo(Role.LEADER);
    long ballot3 = c.replica(1).status().ballot();
    assertThat(ballot3).isGreaterThan(2);
    // Anything may reach node 3 except, once it holds "x", an append that would give it index 3.
    c.stepUntil(() -> c.node(3).log.lastIndex() >= 2 && c.node(3).log.ballotAt(2) == 1,
        m -> !(m instanceof AppendEntries a && a.to() == 3 && a.prevIndex() >= 2 && c.node(3).log.lastIndex() >= 2));
    c.deliverWhere(m -> m.to() == 1); // node 1 hears every acknowledgement there is
    c.processAll();

    // "x" (ballot 1) is now on nodes 1, 2 and 3 -- a majority of five -- and still not committed.
    for (long id : List.of(1L, 2L, 3L)) {
      assertThat(c.node(id).log.ballotAt(2)).as("node %d holds x", id).isEqualTo(1);
    }
    assertThat(c.replica(1).status().commitIndex()).isEqualTo(1);

    // Node 1 fails; node 5 (whose last entry has ballot 2) wins with 3 and 4 and overwrites "x".
    c.heal().isolate(1);
    c.take(m -> true);
    for (int attempt = 0; attempt < 5 && c.replica(5).status().role() != Role.LEADER; attempt++) {
      c.campaign(5);
    }
    c.take(m -> m instanceof VoteRequest || m instanceof VoteResponse);
    assertThat(c.replica(5).status().role()).isEqualTo(Role.LEADER);
    c.run(2 * c.config.electionTimeoutNanos());

    for (long id : List.of(2L, 3L, 4L, 5L)) {
      assertThat(c.node(id).log.ballotAt(2)).as("node %d replaced x", id).isEqualTo(2);
      assertThat(c.node(id).appliedCommands()).as("node %d never applied x", id).doesNotContain("x");
    }
    assertThat(c.node(1).appliedCommands()).doesNotContain("x");
  }

  @Test
  void aFollowerThatMissedEntriesIsRepairedByBacktrackingFromItsHint() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.cut(1, 3);
    for (int i = 0; i < 20; i++) {
      c.propose(1, "c" + i);
      c.stabilize();
    }
    assertThat(c.node(3).appliedCommands()).isEmpty();
    c.heal().run(4 * c.config.heartbeatIntervalNanos());
    assertThat(c.node(3).appliedCommands()).hasSize(20).isEqualTo(c.node(1).appliedCommands());
  }
}
