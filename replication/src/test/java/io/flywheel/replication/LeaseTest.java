package io.flywheel.replication;

import static io.flywheel.replication.TestCluster.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Ready.ReadState;
import io.flywheel.replication.Rejection.NoLease;
import io.flywheel.replication.Rejection.NotLeader;
import io.flywheel.replication.Rejection.RequestKind;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final long STEP = 10 * MS;

  @Test
  void aLeaderKeepsItsLeaseAsLongAsAQuorumAcknowledgesItsHeartbeats() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.isolate(3); // one follower down does not matter
    for (int i = 0; i < 500; i++) {
      c.run(STEP);
      assertThat(c.replica(1).status().serving()).as("serving after %d ms", i * 10).isTrue();
    }
  }

  @Test
  void aLeaderStopsServingReadsWhenItsLeaseExpiresWithoutAcknowledgements() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    long lease = c.replica(1).status().leaseExpiryNanos();
    long cutAt = c.node(1).clock;
    assertThat(lease).isGreaterThan(cutAt)
        .isLessThanOrEqualTo(cutAt + c.config.leaseDurationNanos() - c.config.clockDriftBoundNanos());

    c.dropWhere(m -> m.to() == 1); // the leader still talks; no acknowledgement comes back
    long readId = 0;
    while (c.node(1).clock < cutAt + c.config.leaseDurationNanos()) {
      c.read(1, ++readId).run(STEP);
    }

    for (int i = 0; i < c.node(1).reads.size(); i++) {
      assertThat(c.node(1).readTimes.get(i)).as("read %s", c.node(1).reads.get(i)).isLessThan(lease);
    }
    assertThat(c.node(1).reads).hasSizeGreaterThan(10); // it did serve until then
    assertThat(c.node(1).rejections).isNotEmpty().allSatisfy(r -> assertThat(r).isInstanceOf(NoLease.class));
    assertThat(c.node(1).reads.size() + c.node(1).rejections.size()).isEqualTo((int) readId);
    assertThat(c.node(1).leases).last().extracting(Ready.LeaseChange::serving).isEqualTo(false);
  }

  @Test
  void aNewLeaderServesNothingUntilTheOldLeaseHasExpired() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    long oldLease = c.replica(1).status().leaseExpiryNanos();
    c.isolate(1);

    // Clients keep reading from every replica every 10 ms for three seconds while the group fails over.
    long readId = 0;
    long newLeader = 0;
    for (int i = 0; i < 300; i++) {
      for (long id = 1; id <= 3; id++) {
        c.read(id, ++readId);
      }
      c.run(STEP);
      for (long id = 2; id <= 3; id++) {
        if (c.replica(id).status().role() == Role.LEADER) {
          newLeader = id;
        }
      }
    }
    assertThat(newLeader).isNotZero();
    TestCluster.Node old = c.node(1);
    TestCluster.Node fresh = c.node(newLeader);
    long electedAt = fresh.roleTimes.get(fresh.roles.size() - 1);
    assertThat(fresh.roles).last().extracting(Ready.RoleChange::role).isEqualTo(Role.LEADER);

    // The old leader served nothing after its lease; the new one nothing before D + ε after winning.
    assertThat(old.readTimes).isNotEmpty().allSatisfy(t -> assertThat(t).isLessThan(oldLease));
    assertThat(fresh.readTimes).isNotEmpty().allSatisfy(t -> assertThat(t)
        .isGreaterThanOrEqualTo(electedAt + c.config.leaseDurationNanos() + c.config.clockDriftBoundNanos()));
    assertThat(fresh.readTimes.get(0)).isGreaterThan(oldLease);
    // Reads that reached the new leader while it waited were held, then all served at once.
    assertThat(fresh.rejections).noneMatch(r -> r instanceof NoLease);
    assertThat(fresh.reads.size()).isGreaterThan(1);
  }

  @Test
  void leadershipTransferHandsTheLeaseToTheTargetWhichServesAtOnce() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.propose(1, "a");
    c.stabilize();

    assertThat(c.replica(1).transferLeadership(2)).isEqualTo(ControlOutcome.ACCEPTED);
    // The old leader stops serving before it sends anything.
    assertThat(c.replica(1).status().serving()).isFalse();
    c.read(1, 7);
    long rejected = c.propose(1, "b");
    c.process(1);
    assertThat(c.node(1).rejections).containsExactly(
        new NotLeader(RequestKind.READ, 7, 2), new NotLeader(RequestKind.PROPOSAL, rejected, 2));
    Ready handOff = c.node(1).readies.stream()
        .filter(rd -> rd.messages().stream().anyMatch(m -> m instanceof TimeoutNow)).findFirst().orElseThrow();
    assertThat(handOff.leaseChange()).isNotNull().extracting(Ready.LeaseChange::serving).isEqualTo(false);

    long now = c.node(2).clock;
    c.stabilize(); // no time passes
    assertThat(c.node(2).clock).isEqualTo(now);
    assertThat(c.leaders()).containsExactly(2L);
    assertThat(c.replica(2).status().serving()).isTrue();
    c.read(2, 8).process(2);
    assertThat(c.node(2).reads).containsExactly(new ReadState(8, c.replica(2).status().commitIndex()));
    assertThat(c.servingNodes()).containsExactly(2L);
  }

  @Test
  void aLeaderThatHandedItsLeaseOverNeverServesAgainInItsBallot() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.dropWhere(m -> m instanceof TimeoutNow); // the target never hears it
    assertThat(c.replica(1).transferLeadership(3)).isEqualTo(ControlOutcome.ACCEPTED);
    c.stabilize();
    long ballot = c.replica(1).status().ballot();
    for (long t = 0; t < 2 * c.config.electionTimeoutNanos(); t += STEP) {
      c.run(STEP);
      assertThat(c.replica(1).status().serving() && c.replica(1).status().ballot() == ballot)
          .as("serving in ballot %d after %d ms", ballot, t / MS).isFalse();
    }
    assertThat(c.node(1).roles).extracting(Ready.RoleChange::role).contains(Role.FOLLOWER);
  }

  @Test
  void aTransferToATargetThatCannotCatchUpIsAbandonedAndTheLeaderServesAgain() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    c.cut(1, 2);
    c.propose(1, "a");
    c.stabilize();
    assertThat(c.replica(1).transferLeadership(2)).isEqualTo(ControlOutcome.ACCEPTED);
    assertThat(c.replica(1).transferLeadership(3)).isEqualTo(ControlOutcome.BUSY);
    c.run(c.config.electionTimeoutNanos() + STEP);

    assertThat(c.node(1).readies).noneMatch(rd -> rd.messages().stream().anyMatch(m -> m instanceof TimeoutNow));
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.replica(1).status().serving()).isTrue();
  }

  @Test
  void theOnlyMemberAGroupEverHadLeadsAndServesAtItsFirstTick() {
    TestCluster c = TestCluster.of(Membership.fullVoters(1));
    c.advance(1, MS).process(1);
    assertThat(c.replica(1).status().serving()).isTrue();
    assertThat(c.replica(1).takesProposals()).isTrue();
    long before = c.replica(1).lastIndex();
    c.replica(1).propose(new byte[] {1});
    assertThat(c.replica(1).lastIndex()).as("the proposal was appended at once").isEqualTo(before + 1);
  }

  @Test
  void aGroupReconfiguredDownToOneMemberStillWaitsForAnElectionAndTheLease() {
    Config config = Config.defaults();
    MemoryLog log = new MemoryLog();
    Membership solo = Membership.fullVoters(1);
    log.write(java.util.List.of(Entry.create(1, 1, EntryKind.CONFIG, solo.encode())));
    Replica r = Replica.start(config, 7, 1, new HardState(1, 1, 1, solo, 1), 1, log,
        io.flywheel.base.RandomSource.seeded(1), 0);
    long now = 0;
    long servedAt = -1;
    while (now < 5 * config.electionTimeoutNanos() && servedAt < 0) {
      now += MS;
      r.tick(now);
      while (r.hasReady()) {
        Ready rd = r.ready();
        log.write(rd.entries());
        if (rd.lastEntry() != null) {
          r.logPersisted(rd.lastEntry().index(), rd.lastEntry().ballot());
        }
        r.advance(rd);
      }
      if (r.status().serving()) {
        servedAt = now;
      }
    }
    assertThat(servedAt).as("serves in the end").isPositive()
        .isGreaterThanOrEqualTo(config.electionTimeoutNanos() + config.leaseDurationNanos() + config.clockDriftBoundNanos());
  }

  @Test
  void anIdleLeaderHeartbeatsLessOftenKeepsItsLeaseAndSpeedsUpWhenWorkArrives() {
    TestCluster c = TestCluster.threeFullVoters().electAndServe(1);
    long idle = c.config.idleHeartbeatIntervalNanos();
    assertThat(idle).isGreaterThan(c.config.heartbeatIntervalNanos())
        .isLessThanOrEqualTo((c.config.leaseDurationNanos() - c.config.clockDriftBoundNanos()) / 2);
    c.run(2 * idle); // settle into idleness
    int before = heartbeatsSentBy(c, 1);
    c.run(10 * idle);
    int idleRounds = (heartbeatsSentBy(c, 1) - before) / 2;
    assertThat(idleRounds).as("one round per idle interval").isBetween(9, 11);
    assertThat(c.replica(1).status().serving()).as("the lease never lapsed").isTrue();
    assertThat(c.node(1).leases).extracting(Ready.LeaseChange::serving).containsOnly(true);

    c.propose(1, "work");
    c.stabilize();
    before = heartbeatsSentBy(c, 1);
    c.run(c.config.heartbeatIntervalNanos());
    assertThat(heartbeatsSentBy(c, 1) - before).as("busy again: heartbeats within one busy interval").isPositive();
    assertThat(c.node(2).appliedCommands()).endsWith("work");
  }

  static int heartbeatsSentBy(TestCluster c, long node) {
    int n = 0;
    for (Ready rd : c.node(node).readies) {
      for (Message m : rd.messages()) {
        if (m instanceof Message.Heartbeat) {
          n++;
        }
      }
    }
    return n;
  }
}
