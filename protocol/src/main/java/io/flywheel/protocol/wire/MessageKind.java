package io.flywheel.protocol.wire;

import io.flywheel.base.CorruptDataException;
import java.util.HashMap;
import java.util.Map;

/**
 * Every kind of message the roles exchange over a {@code MessageBus}: the {@code kind} (unsigned
 * 16-bit) of the envelope that carries it. This is the one registry of kinds: a kind is added here
 * with a new code and never renumbered or reused, so a node can tell a kind it does not know (from
 * a newer release) from one it does.
 *
 * <p>Ranges: {@code 0x0001–0x00FF} the RPC layer itself; {@code 0x0100–0x01FF} requests to storage
 * nodes ({@link io.flywheel.protocol.StorageNodeService}); {@code 0x0200–0x02FF} reserved for
 * requests to the metadata service and MemDS; {@code 0x0300–0x03FF} reserved for replication
 * between replicas of a group.
 */
public enum MessageKind {
  /** The answer to any request: it names the call it answers (see the RPC layer). */
  RPC_RESPONSE(0x0001),

  STORAGE_WRITE(0x0101),
  STORAGE_READ(0x0102),
  STORAGE_READ_RANGE(0x0103),
  STORAGE_CREATE_REPLICA(0x0104),
  STORAGE_UPDATE_SCHEMA(0x0105),
  STORAGE_APPLY_INDEX_MUTATIONS(0x0106),
  STORAGE_BACKFILL_INDEX(0x0107),
  STORAGE_DROP_REPLICA(0x0108),
  STORAGE_STATS(0x0109),
  STORAGE_TX_PREPARE(0x010A),
  STORAGE_TX_FINISH(0x010B),
  STORAGE_TX_READ(0x010C),

  METADATA_CREATE_TABLE(0x0201),
  METADATA_DELETE_TABLE(0x0202),
  METADATA_UPDATE_BILLING(0x0203),
  METADATA_CREATE_GLOBAL_INDEX(0x0204),
  METADATA_DELETE_GLOBAL_INDEX(0x0205),
  METADATA_UPDATE_GLOBAL_INDEX_THROUGHPUT(0x0206),
  METADATA_CATALOG(0x0207),

  /**
   * One message between replicas of a group, in the replication core's own checksummed encoding
   * ({@code io.flywheel.replication.MessageCodec}); not a call, nothing answers it as such.
   */
  REPLICATION(0x0301);

  private static final Map<Integer, MessageKind> BY_CODE = new HashMap<>();

  static {
    for (MessageKind k : values()) {
      if (BY_CODE.put(k.code, k) != null) {
        throw new ExceptionInInitializerError("message kind code " + k.code + " used twice");
      }
    }
  }

  private final int code;

  MessageKind(int code) {
    this.code = code;
  }

  /** The envelope kind. */
  public int code() {
    return code;
  }

  /** The kind with this code; an unknown code is a {@link CorruptDataException}. */
  public static MessageKind of(int code) {
    MessageKind kind = BY_CODE.get(code);
    if (kind == null) {
      throw new CorruptDataException("unknown message kind " + code);
    }
    return kind;
  }

  /** The kind with this code, or null when this release does not know it. */
  public static MessageKind find(int code) {
    return BY_CODE.get(code);
  }
}
