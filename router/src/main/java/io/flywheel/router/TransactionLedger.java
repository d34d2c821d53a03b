package io.flywheel.router;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.ItemCodec;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.KeySchema;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.ScalarType;
import io.flywheel.model.expr.Condition;
import io.flywheel.model.expr.DocumentPath;
import io.flywheel.model.expr.Operand;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.MetadataService;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import io.flywheel.protocol.WriteRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The transaction ledger: one record per transaction in flight or recently committed, in an
 * internal table ({@value #TABLE_NAME}) that lives in ordinary partitions, so a record is as
 * durable and replicated as any item and is written through the same conditional single-item
 * writes. Its name is not a valid DynamoDB table name, so no client can address it.
 *
 * <p>A record is keyed by the transaction id (derived from the ClientRequestToken when there is
 * one, which makes the idempotency check one conditional put) and holds the state, the timestamp,
 * the request's fingerprint and the participants (table and key of every action), which is what
 * another coordinator needs to finish or abort the transaction. Every state change is conditional
 * on the record's timestamp and current state, so two coordinators (a live one and a recovering
 * one) can never decide differently.
 */
final class TransactionLedger {
  static final String TABLE_NAME = "#flywheel.transactions";
  static final KeySchema SCHEMA = new KeySchema(new KeyAttribute("id", ScalarType.S), null);
  private static final int PARTICIPANTS_V1 = 1;

  /**
   * A transaction's state. PENDING: claimed, participants may be prepared; it commits only by
   * moving to COMMITTED, and anyone may abort it by moving it to ABORTING. COMMITTED: the decision
   * is durable, commits may still be under way. ABORTING: cancels may still be under way; the
   * record is deleted once they are done. DONE: every participant committed; kept for the
   * idempotency window.
   */
  enum State {
    PENDING,
    COMMITTED,
    ABORTING,
    DONE
  }

  /** What a transaction touches: enough to find the item's partition again. */
  record Participant(String tableName, long tableId, Map<String, AttributeValue> key) {}

  /**
   * @param startedMillis wall time the transaction was claimed (for inline and periodic recovery)
   * @param doneMillis wall time it became DONE, else 0 (the idempotency window starts here)
   */
  record Record(String id, State state, long timestamp, long startedMillis, long doneMillis, byte[] fingerprint,
      List<Participant> participants) {
    Record {
      Objects.requireNonNull(id);
      Objects.requireNonNull(state);
      participants = List.copyOf(participants);
    }

    Record withState(State next, long doneAt) {
      return new Record(id, next, timestamp, startedMillis, doneAt, fingerprint, participants);
    }
  }

  /** The outcome of a conditional state change: whether it applied, and the record as it is now (null: gone). */
  record Transition(boolean applied, Record current) {}

  private final MetadataService metadata;
  private final Routing routing;

  TransactionLedger(MetadataService metadata, Routing routing) {
    this.metadata = metadata;
    this.routing = routing;
  }

  static boolean isInternalTable(String name) {
    return name.startsWith("#");
  }

  /** Creates the ledger table unless it exists (idempotent; a concurrent creation is fine). */
  CompletableFuture<Void> ensureTable() {
    TableDescriptor t = metadata.table(TABLE_NAME);
    if (t != null && t.status() == TableStatus.ACTIVE) {
      return CompletableFuture.completedFuture(null);
    }
    if (t != null) {
      return CompletableFuture.failedFuture(new IllegalStateException("transaction ledger table is " + t.status()));
    }
    CreateTableSpec spec = new CreateTableSpec(TABLE_NAME, SCHEMA, List.of(new AttributeDefinition("id", ScalarType.S)),
        BillingMode.PAY_PER_REQUEST, 0, 0, List.of());
    return metadata.createTable(spec).handle((created, error) -> {
      Throwable cause = unwrap(error);
      if (cause != null && !(cause instanceof DynamoException d && d.code() == ErrorCode.RESOURCE_IN_USE)) {
        throw new CompletionException(cause);
      }
      return null;
    });
  }

  private TableDescriptor table() {
    TableDescriptor t = metadata.table(TABLE_NAME);
    if (t == null || t.status() != TableStatus.ACTIVE) {
      throw new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
    }
    return t;
  }

  /**
   * Writes {@code record} unless one with its id exists. Completes with null when it was written,
   * else with the existing record.
   */
  CompletableFuture<Record> claim(Record record) {
    return write(record.id(), new WriteRequest.WriteOp.Put(toItem(record)), ABSENT)
        .thenApply(t -> t.applied() ? null : t.current());
  }

  /** Replaces {@code existing} (an expired record) with {@code record}; false when it changed meanwhile. */
  CompletableFuture<Boolean> replace(Record existing, Record record) {
    return write(record.id(), new WriteRequest.WriteOp.Put(toItem(record)), same(existing.timestamp(), Set.of(existing.state())))
        .thenApply(Transition::applied);
  }

  /** Moves the record to {@code to} if it is still this transaction's and in one of {@code from}. */
  CompletableFuture<Transition> transition(Record record, Set<State> from, State to, long doneMillis) {
    Record next = record.withState(to, doneMillis);
    return write(record.id(), new WriteRequest.WriteOp.Put(toItem(next)), same(record.timestamp(), from))
        .thenApply(t -> t.applied() ? new Transition(true, next) : t);
  }

  /** Deletes the record if it is still this transaction's and in one of {@code from}. */
  CompletableFuture<Boolean> delete(Record record, Set<State> from) {
    return write(record.id(), new WriteRequest.WriteOp.Delete(), same(record.timestamp(), from)).thenApply(Transition::applied);
  }

  /** attribute_not_exists(id): no record with this id. */
  private static final Condition ABSENT = new Condition.AttributeNotExists(DocumentPath.attribute("id"));

  /** attribute_exists(id) AND ts = :timestamp AND st IN (:states...): the record is still this one, in one of {@code states}. */
  private static Condition same(long timestamp, Set<State> states) {
    Invariants.checkArgument(!states.isEmpty(), "at least one state");
    List<Operand> names = new ArrayList<>(states.size());
    for (State s : states) {
      names.add(new Operand.Value(new AttributeValue.S(s.name())));
    }
    Condition stamped = new Condition.Compare(Condition.Comparator.EQ, new Operand.Path(DocumentPath.attribute("ts")),
        new Operand.Value(number(timestamp)));
    Condition inState = new Condition.In(new Operand.Path(DocumentPath.attribute("st")), names);
    return new Condition.And(new Condition.AttributeExists(DocumentPath.attribute("id")), new Condition.And(stamped, inState));
  }

  private CompletableFuture<Transition> write(String id, WriteRequest.WriteOp op, Condition condition) {
    TableDescriptor table;
    try {
      table = table();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    PrimaryKey key = new PrimaryKey(new AttributeValue.S(id), null);
    return routing.routed(table, KeyEncoding.partitionHash(key.partition()), p -> routing.node(p).write(
            new WriteRequest(p.ref(), table.tableId(), key, op, condition, false, false, true)))
        .handle((result, error) -> {
          Throwable cause = unwrap(error);
          if (cause == null) {
            return new Transition(true, null);
          }
          if (cause instanceof ConditionalCheckFailedException failed) {
            return new Transition(false, failed.item() == null ? null : fromItem(failed.item()));
          }
          throw new CompletionException(cause);
        });
  }

  /**
   * Reads the ledger in key order, a page at a time, handing each page of records to {@code
   * eachPage} and reading the next page only when the previous one was handled.
   */
  CompletableFuture<Void> scan(int pageItemsMax, Function<List<Record>, CompletableFuture<Void>> eachPage) {
    TableDescriptor table;
    try {
      table = table();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return scanFrom(table, KeyEncoding.hashPrefix(table.tableId(), 0), pageItemsMax, eachPage);
  }

  private CompletableFuture<Void> scanFrom(TableDescriptor table, byte[] from, int pageItemsMax,
      Function<List<Record>, CompletableFuture<Void>> eachPage) {
    byte[] end = KeyEncoding.hashRangeEnd(table.tableId(), -1L);
    record Page(List<Record> records, byte[] next) {}
    return routing.routed(table, KeyEncoding.hashOf(from), p -> {
          byte[] partitionEnd = KeyEncoding.hashRangeEnd(table.tableId(), p.hashEnd());
          return routing.node(p).readRange(new RangeReadRequest(p.ref(), table.tableId(), from, partitionEnd, false,
                  pageItemsMax, Long.MAX_VALUE, null, true))
              .thenApply(result -> {
                List<Record> records = new ArrayList<>(result.images().size());
                for (byte[] image : result.images()) {
                  records.add(fromItem(ItemCodec.decode(image)));
                }
                byte[] next;
                if (result.lastEvaluated() != null) {
                  Map<String, AttributeValue> last = ItemCodec.decode(result.lastEvaluated());
                  next = KeyEncoding.successor(KeyEncoding.itemKey(table.tableId(), SCHEMA.keyOfItem(last)));
                } else {
                  next = p.hashEnd() == -1L ? null : partitionEnd;
                }
                return new Page(records, next);
              });
        })
        .thenCompose(page -> eachPage.apply(page.records()).thenCompose(ignored ->
            page.next() == null || java.util.Arrays.compareUnsigned(page.next(), end) >= 0
                ? CompletableFuture.<Void>completedFuture(null)
                : scanFrom(table, page.next(), pageItemsMax, eachPage)));
  }

  // ---- encoding ----

  static Map<String, AttributeValue> toItem(Record r) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("id", new AttributeValue.S(r.id()));
    item.put("st", new AttributeValue.S(r.state().name()));
    item.put("ts", number(r.timestamp()));
    item.put("at", number(r.startedMillis()));
    if (r.doneMillis() != 0) {
      item.put("done", number(r.doneMillis()));
    }
    item.put("fp", new AttributeValue.B(Binary.copyOf(r.fingerprint())));
    item.put("p", new AttributeValue.B(Binary.wrap(encodeParticipants(r.participants()))));
    return item;
  }

  static Record fromItem(Map<String, AttributeValue> item) {
    AttributeValue done = item.get("done");
    return new Record(string(item, "id"), State.valueOf(string(item, "st")), number(item, "ts"), number(item, "at"),
        done == null ? 0 : ((AttributeValue.N) done).value().toBigDecimal().longValueExact(),
        ((AttributeValue.B) item.get("fp")).value().unsafeBytes(),
        decodeParticipants(((AttributeValue.B) item.get("p")).value().unsafeBytes()));
  }

  private static AttributeValue number(long v) {
    return new AttributeValue.N(DynamoNumber.parse(Long.toString(v)));
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    return ((AttributeValue.N) item.get(name)).value().toBigDecimal().longValueExact();
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    return ((AttributeValue.S) item.get(name)).value();
  }

  static byte[] encodeParticipants(List<Participant> participants) {
    ByteWriter w = new ByteWriter(64 * participants.size() + 8);
    w.writeByte(PARTICIPANTS_V1).writeVarint(participants.size());
    for (Participant p : participants) {
      w.writeString(p.tableName()).writeLong(p.tableId()).writeLengthPrefixed(ItemCodec.encode(p.key()));
    }
    return w.toByteArray();
  }

  static List<Participant> decodeParticipants(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.readByte();
    if (format != PARTICIPANTS_V1) {
      throw new CorruptDataException("unknown ledger participants format " + format);
    }
    int n = r.readLength();
    List<Participant> participants = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      participants.add(new Participant(r.readString(), r.readLong(), ItemCodec.decode(r.readLengthPrefixed())));
    }
    return participants;
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
