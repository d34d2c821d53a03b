package io.flywheel.replication;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Checksums;
import io.flywheel.base.CorruptDataException;
import io.flywheel.replication.Message.AppendEntries;
import io.flywheel.replication.Message.AppendResponse;
import io.flywheel.replication.Message.Heartbeat;
import io.flywheel.replication.Message.HeartbeatResponse;
import io.flywheel.replication.Message.InstallSnapshot;
import io.flywheel.replication.Message.TimeoutNow;
import io.flywheel.replication.Message.VoteRequest;
import io.flywheel.replication.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Message}s and their checksums.
 *
 * <p>Layout: {@code [type:1][groupId][from][to][ballot]} then the type's fields, then (on the wire
 * only) {@code [checksum:4]}. Counts and indexes are varints, clock readings 8-byte longs. An
 * entry is {@code [index][ballot][kind:1][checksum:4][length][payload]}.
 *
 * <p>The message checksum is a CRC32C of this encoding without the entries' payloads: each payload
 * is covered by its entry's own checksum, which the message checksum covers, so a message is
 * sealed without hashing its payloads a second time.
 */
public final class MessageCodec {
  private static final int VOTE_REQUEST = 1;
  private static final int VOTE_RESPONSE = 2;
  private static final int APPEND = 3;
  private static final int APPEND_RESPONSE = 4;
  private static final int HEARTBEAT = 5;
  private static final int HEARTBEAT_RESPONSE = 6;
  private static final int INSTALL_SNAPSHOT = 7;
  private static final int TIMEOUT_NOW = 8;

  private MessageCodec() {}

  /** The message with its checksum filled in. */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M seal(M message) {
    return (M) message.withChecksum(checksum(message));
  }

  /** The checksum {@code message} should carry (its own checksum field is not part of it). */
  public static int checksum(Message message) {
    ByteWriter w = new ByteWriter(64);
    writeBody(w, message, false);
    return Checksums.crc32c(w.toByteArray());
  }

  /** Whether the message's checksum matches its content, and every entry's checksum matches its. */
  public static boolean isIntact(Message message) {
    if (message.checksum() != checksum(message)) {
      return false;
    }
    if (message instanceof AppendEntries a) {
      for (Entry e : a.entries()) {
        if (!e.isIntact()) {
          return false;
        }
      }
    }
    return true;
  }

  public static byte[] encode(Message message) {
    ByteWriter w = new ByteWriter(64);
    writeBody(w, message, true);
    w.writeInt(message.checksum());
    return w.toByteArray();
  }

  /**
   * Decodes what {@link #encode} wrote. Malformed bytes raise {@link CorruptDataException}; the
   * checksums are carried, not verified ({@link Replica#receive} verifies them).
   */
  public static Message decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    try {
      Message m = read(r);
      if (r.remaining() != 0) {
        throw new CorruptDataException("trailing bytes after a message");
      }
      return m;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CorruptDataException("malformed message: " + e.getMessage());
    }
  }

  private static void writeBody(ByteWriter w, Message message, boolean payloads) {
    int type = switch (message) {
      case VoteRequest m -> VOTE_REQUEST;
      case VoteResponse m -> VOTE_RESPONSE;
      case AppendEntries m -> APPEND;
      case AppendResponse m -> APPEND_RESPONSE;
      case Heartbeat m -> HEARTBEAT;
      case HeartbeatResponse m -> HEARTBEAT_RESPONSE;
      case InstallSnapshot m -> INSTALL_SNAPSHOT;
      case TimeoutNow m -> TIMEOUT_NOW;
    };
    w.writeByte(type);
    w.writeVarint(message.groupId());
    w.writeVarint(message.from());
    w.writeVarint(message.to());
    w.writeVarint(message.ballot());
    switch (message) {
      case VoteRequest m -> {
        w.writeVarint(m.lastIndex());
        w.writeVarint(m.lastBallot());
        w.writeByte((m.preVote() ? 1 : 0) | (m.transfer() ? 2 : 0));
      }
      case VoteResponse m -> w.writeByte((m.granted() ? 1 : 0) | (m.preVote() ? 2 : 0));
      case AppendEntries m -> {
        w.writeVarint(m.prevIndex());
        w.writeVarint(m.prevBallot());
        w.writeVarint(m.commitIndex());
        w.writeLong(m.sentNanos());
        w.writeVarint(m.entries().size());
        for (Entry e : m.entries()) {
          w.writeVarint(e.index());
          w.writeVarint(e.ballot());
          w.writeByte(e.kind().code);
          w.writeInt(e.checksum());
          w.writeVarint(e.payload().length);
          if (payloads) {
            w.writeBytes(e.payload());
          }
        }
      }
      case AppendResponse m -> {
        w.writeByte(m.success() ? 1 : 0);
        w.writeVarint(m.index());
        w.writeVarint(m.hintIndex());
        w.writeVarint(m.hintBallot());
        w.writeLong(m.echoSentNanos());
      }
      case Heartbeat m -> {
        w.writeVarint(m.commitIndex());
        w.writeLong(m.sentNanos());
      }
      case HeartbeatResponse m -> w.writeLong(m.echoSentNanos());
      case InstallSnapshot m -> {
        w.writeVarint(m.snapshotIndex());
        w.writeVarint(m.snapshotBallot());
        m.membership().writeTo(w);
        w.writeLong(m.sentNanos());
      }
      case TimeoutNow m -> w.writeVarint(m.waitNanos());
    }
  }

  private static Message read(ByteReader r) {
    int type = r.readByte();
    long group = r.readVarint();
    long from = r.readVarint();
    long to = r.readVarint();
    long ballot = r.readVarint();
    Message m = switch (type) {
      case VOTE_REQUEST -> {
        long lastIndex = r.readVarint();
        long lastBallot = r.readVarint();
        int flags = flags(r, 3);
        yield new VoteRequest(group, from, to, ballot, lastIndex, lastBallot, (flags & 1) != 0, (flags & 2) != 0, 0);
      }
      case VOTE_RESPONSE -> {
        int flags = flags(r, 3);
        yield new VoteResponse(group, from, to, ballot, (flags & 1) != 0, (flags & 2) != 0, 0);
      }
      case APPEND -> {
        long prevIndex = r.readVarint();
        long prevBallot = r.readVarint();
        long commit = r.readVarint();
        long sent = r.readLong();
        int n = r.readLength();
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long index = r.readVarint();
          long entryBallot = r.readVarint();
          EntryKind kind = EntryKind.ofCode(r.readByte());
          int checksum = r.readInt();
          byte[] payload = r.readBytes(r.readLength());
          entries.add(new Entry(index, entryBallot, kind, payload, checksum));
        }
        yield new AppendEntries(group, from, to, ballot, prevIndex, prevBallot, entries, commit, sent, 0);
      }
      case APPEND_RESPONSE -> {
        boolean success = flags(r, 1) != 0;
        long index = r.readVarint();
        long hintIndex = r.readVarint();
        long hintBallot = r.readVarint();
        long echo = r.readLong();
        yield new AppendResponse(group, from, to, ballot, success, index, hintIndex, hintBallot, echo, 0);
      }
      case HEARTBEAT -> {
        long commit = r.readVarint();
        long sent = r.readLong();
        yield new Heartbeat(group, from, to, ballot, commit, sent, 0);
      }
      case HEARTBEAT_RESPONSE -> new HeartbeatResponse(group, from, to, ballot, r.readLong(), 0);
      case INSTALL_SNAPSHOT -> {
        long index = r.readVarint();
        long snapshotBallot = r.readVarint();
        Membership membership = Membership.readFrom(r);
        long sent = r.readLong();
        yield new InstallSnapshot(group, from, to, ballot, index, snapshotBallot, membership, sent, 0);
      }
      case TIMEOUT_NOW -> new TimeoutNow(group, from, to, ballot, r.readVarint(), 0);
      default -> throw new CorruptDataException("unknown message type " + type);
    };
    return m.withChecksum(r.readInt());
  }

  /** A flags byte with only the bits of {@code mask} allowed (decoding is strict: one meaning per encoding). */
  private static int flags(ByteReader r, int mask) {
    int flags = r.readByte();
    if ((flags & ~mask) != 0) {
      throw new CorruptDataException("unknown flag bits " + Integer.toHexString(flags));
    }
    return flags;
  }
}
