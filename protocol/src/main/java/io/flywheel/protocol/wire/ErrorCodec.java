package io.flywheel.protocol.wire;

import static io.flywheel.protocol.wire.Fields.readNullableItem;
import static io.flywheel.protocol.wire.Fields.readNullableString;
import static io.flywheel.protocol.wire.Fields.readRef;
import static io.flywheel.protocol.wire.Fields.writeCount;
import static io.flywheel.protocol.wire.Fields.writeNullableItem;
import static io.flywheel.protocol.wire.Fields.writeNullableString;
import static io.flywheel.protocol.wire.Fields.writeRef;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.protocol.DescriptorCodec;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.RoutingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Failures on the wire, typed so that the caller gets the same exception the service threw locally:
 *
 * <ul>
 *   <li>{@link DynamoException}: its {@link ErrorCode} (by name) and message;
 *   <li>{@link ConditionalCheckFailedException}: with the item it carries (ALL_OLD), if any;
 *   <li>{@link TransactionCanceledException}: with its reasons (code, message, item);
 *   <li>{@link RoutingException.WrongPartition}: the partition as requested and the node's current
 *       descriptor, if it still hosts the group;
 *   <li>{@link RoutingException.NotLeader}: the group and the leader hint;
 *   <li>anything else: class name and message, read back as a {@link RemoteFailureException}.
 * </ul>
 *
 * Format V1: a tag byte, then the fields above in that order. Codes travel by name, so renumbering
 * an enum cannot change their meaning; an unknown name is corrupt data (rule 4 of {@link
 * WireVersion}).
 */
public final class ErrorCodec {
  private static final int DYNAMO = 1;
  private static final int CONDITIONAL_CHECK_FAILED = 2;
  private static final int TRANSACTION_CANCELED = 3;
  private static final int WRONG_PARTITION = 4;
  private static final int NOT_LEADER = 5;
  private static final int OTHER = 6;

  private ErrorCodec() {}

  public static void write(ByteWriter w, Throwable error, int version) {
    WireVersion.check(version);
    switch (error) {
      case ConditionalCheckFailedException c -> {
        w.writeByte(CONDITIONAL_CHECK_FAILED);
        writeNullableItem(w, c.item());
      }
      case TransactionCanceledException t -> {
        w.writeByte(TRANSACTION_CANCELED);
        writeCount(w, t.reasons().size());
        for (CancellationReason reason : t.reasons()) {
          StorageNodeMessages.writeReason(w, reason);
        }
      }
      case DynamoException d -> {
        w.writeByte(DYNAMO);
        w.writeString(d.code().name());
        writeNullableString(w, d.getMessage());
      }
      case RoutingException.WrongPartition wp -> {
        w.writeByte(WRONG_PARTITION);
        writeRef(w, wp.requested());
        if (Fields.writePresence(w, wp.current())) {
          DescriptorCodec.writePartition(w, wp.current());
        }
      }
      case RoutingException.NotLeader nl -> {
        w.writeByte(NOT_LEADER);
        w.writeLong(nl.groupId());
        w.writeLong(nl.leaderHint());
      }
      case RemoteFailureException remote -> {
        w.writeByte(OTHER);
        w.writeString(remote.remoteType());
        writeNullableString(w, remote.remoteMessage());
      }
      default -> {
        w.writeByte(OTHER);
        w.writeString(error.getClass().getName());
        writeNullableString(w, error.getMessage());
      }
    }
  }

  public static RuntimeException read(ByteReader r, int version) {
    WireVersion.check(version);
    try {
      return readError(r);
    } catch (CorruptDataException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptDataException("malformed error: " + e);
    }
  }

  private static RuntimeException readError(ByteReader r) {
    int tag = r.readByte();
    return switch (tag) {
      case DYNAMO -> {
        ErrorCode code = StorageNodeMessages.enumNamed(ErrorCode.class, r.readString());
        yield new DynamoException(code, readNullableString(r));
      }
      case CONDITIONAL_CHECK_FAILED -> new ConditionalCheckFailedException(readNullableItem(r));
      case TRANSACTION_CANCELED -> {
        int n = r.readLength();
        List<CancellationReason> reasons = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          reasons.add(StorageNodeMessages.readReason(r));
        }
        yield new TransactionCanceledException(reasons);
      }
      case WRONG_PARTITION -> {
        PartitionRef requested = readRef(r);
        PartitionDescriptor current = Fields.readPresence(r) ? DescriptorCodec.readPartition(r) : null;
        yield new RoutingException.WrongPartition(requested, current);
      }
      case NOT_LEADER -> {
        long groupId = r.readLong();
        yield new RoutingException.NotLeader(groupId, r.readLong());
      }
      case OTHER -> {
        String type = r.readString();
        String message = readNullableString(r);
        yield new RemoteFailureException(type, message);
      }
      default -> throw new CorruptDataException("unknown error tag " + tag);
    };
  }
}
