package io.flywheel.replication;

import java.util.List;

/**
 * What replicas of one group say to each other. Every message names its group, sender, receiver
 * and the sender's ballot, and carries a CRC32C over its content ({@link MessageCodec#checksum});
 * {@link Replica#receive} verifies it, and the checksum of every entry inside, and drops (and
 * counts) a message that fails. Build messages with {@link MessageCodec#seal}, which fills the
 * checksum in.
 *
 * <p>Protocol phases: {@link VoteRequest}/{@link VoteResponse} (pre-vote and vote, Paxos phase 1),
 * {@link AppendEntries}/{@link AppendResponse} (accept, phase 2, and the commit index),
 * {@link Heartbeat}/{@link HeartbeatResponse} (leader liveness and lease renewal), {@link
 * InstallSnapshot} (a follower behind the leader's log floor), {@link TimeoutNow} (leadership
 * transfer, carrying the lease hand-off).
 */
public sealed interface Message {
  long groupId();

  long from();

  long to();

  long ballot();

  int checksum();

  /** The same message with another checksum (what {@link MessageCodec#seal} and corruption tests use). */
  Message withChecksum(int checksum);

  /**
   * A (pre-)candidate asks for a vote. A pre-vote changes no state on either side; its {@code
   * ballot} is the one the candidate would campaign at.
   *
   * @param transfer the candidate campaigns because the leader handed it leadership ({@link
   *     TimeoutNow}): voters grant it even while they still promise the old leader not to, because
   *     that leader stopped serving before it handed over
   */
  record VoteRequest(long groupId, long from, long to, long ballot, long lastIndex, long lastBallot,
      boolean preVote, boolean transfer, int checksum) implements Message {
    @Override
    public VoteRequest withChecksum(int c) {
      return new VoteRequest(groupId, from, to, ballot, lastIndex, lastBallot, preVote, transfer, c);
    }
  }

  /** The answer to a {@link VoteRequest}; {@code ballot} is the request's when granted, else the voter's. */
  record VoteResponse(long groupId, long from, long to, long ballot, boolean granted, boolean preVote,
      int checksum) implements Message {
    @Override
    public VoteResponse withChecksum(int c) {
      return new VoteResponse(groupId, from, to, ballot, granted, preVote, c);
    }
  }

  /**
   * The leader's entries after {@code (prevIndex, prevBallot)}; possibly none (a probe).
   *
   * @param commitIndex the leader's commit index; the follower commits up to the last entry it
   *     knows matches the leader
   * @param sentNanos the leader's clock when it sent this; echoed back, it dates the lease
   */
  record AppendEntries(long groupId, long from, long to, long ballot, long prevIndex, long prevBallot,
      List<Entry> entries, long commitIndex, long sentNanos, int checksum) implements Message {
    public AppendEntries {
      entries = List.copyOf(entries);
    }

    @Override
    public AppendEntries withChecksum(int c) {
      return new AppendEntries(groupId, from, to, ballot, prevIndex, prevBallot, entries, commitIndex, sentNanos, c);
    }
  }

  /**
   * The answer to an {@link AppendEntries} or {@link InstallSnapshot}, sent only after what it
   * acknowledges is durable.
   *
   * @param index when {@code success}: the follower's log matches the leader's up to here; else
   *     the {@code prevIndex} that did not match
   * @param hintIndex when rejecting: the follower's last index whose ballot is at most the
   *     rejected {@code prevBallot} (fast backtracking)
   * @param hintBallot the ballot of the follower's entry at {@code hintIndex}
   * @param echoSentNanos the {@code sentNanos} of the message answered
   */
  record AppendResponse(long groupId, long from, long to, long ballot, boolean success, long index,
      long hintIndex, long hintBallot, long echoSentNanos, int checksum) implements Message {
    @Override
    public AppendResponse withChecksum(int c) {
      return new AppendResponse(groupId, from, to, ballot, success, index, hintIndex, hintBallot, echoSentNanos, c);
    }
  }

  /** Leader liveness; {@code commitIndex} is capped at what the receiver is known to match. */
  record Heartbeat(long groupId, long from, long to, long ballot, long commitIndex, long sentNanos,
      int checksum) implements Message {
    @Override
    public Heartbeat withChecksum(int c) {
      return new Heartbeat(groupId, from, to, ballot, commitIndex, sentNanos, c);
    }
  }

  /** The answer to a {@link Heartbeat}: an acknowledgement of the leader, dated by the leader's clock. */
  record HeartbeatResponse(long groupId, long from, long to, long ballot, long echoSentNanos, int checksum)
      implements Message {
    @Override
    public HeartbeatResponse withChecksum(int c) {
      return new HeartbeatResponse(groupId, from, to, ballot, echoSentNanos, c);
    }
  }

  /**
   * Install the leader's state as of {@code snapshotIndex}: the follower is behind the leader's
   * log floor. The core names the snapshot; the bytes move outside it (the receiving host fetches
   * them from the sender's host, which must provide its state machine exactly as of {@code
   * snapshotIndex}, see {@link Ready}).
   */
  record InstallSnapshot(long groupId, long from, long to, long ballot, long snapshotIndex, long snapshotBallot,
      Membership membership, long sentNanos, int checksum) implements Message {
    @Override
    public InstallSnapshot withChecksum(int c) {
      return new InstallSnapshot(groupId, from, to, ballot, snapshotIndex, snapshotBallot, membership, sentNanos, c);
    }
  }

  /**
   * Leadership transfer: "campaign now". It carries the lease hand-off: the sender stopped serving
   * reads and writes before sending it and never serves again in its ballot, so the receiver's
   * transfer campaign may be granted by voters still bound by the sender's lease, and the new leader
   * need not wait the old lease out.
   *
   * @param waitNanos how long the sender itself still had to wait before it could first serve (0
   *     if it already served): a leader that never served, such as a log replica elected only to
   *     pass its log on, hands over its remaining wait and the receiver waits it out (plus the
   *     drift bound) on its own clock
   */
  record TimeoutNow(long groupId, long from, long to, long ballot, long waitNanos, int checksum) implements Message {
    @Override
    public TimeoutNow withChecksum(int c) {
      return new TimeoutNow(groupId, from, to, ballot, waitNanos, c);
    }
  }
}
