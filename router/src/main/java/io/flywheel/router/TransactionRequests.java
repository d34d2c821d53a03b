package io.flywheel.router;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.Binary;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.DynamoException;
import io.flywheel.model.DynamoNumber;
import io.flywheel.model.ItemSize;
import io.flywheel.model.KeyEncoding;
import io.flywheel.model.PrimaryKey;
import io.flywheel.model.TransactionCanceledException;
import io.flywheel.model.TransactionErrors;
import io.flywheel.model.expr.Projection;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TxAction;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.router.RequestExpressions.Compiled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validation of TransactWriteItems and TransactGetItems, in DynamoDB's order, into plans the
 * coordinator executes:
 *
 * <ol>
 *   <li>every table exists and is active (else ResourceNotFoundException for the request);
 *   <li>every action's expressions compile (else ValidationException for the request: DynamoDB
 *       reports expression errors, unused names and values for the whole request);
 *   <li>every action's key (or Put item) fits its table's schema and size limits; the first
 *       that does not cancels the transaction with a {@code ValidationError} reason for it and
 *       {@code None} for all others (DynamoDB stops at the first);
 *   <li>no two actions on one item (ValidationException);
 *   <li>the payload (Put items, keys, expression values) is at most 4 MB (ValidationException).
 * </ol>
 */
final class TransactionRequests {
  static final long PAYLOAD_BYTES_MAX = 4L * 1024 * 1024;

  private TransactionRequests() {}

  /** A validated write action. */
  record WriteAction(int index, TableDescriptor table, PrimaryKey key, TxAction action) {}

  record WritePlan(List<WriteAction> actions, byte[] fingerprint) {}

  /** A validated read. */
  record GetAction(int index, TableDescriptor table, PrimaryKey key, Projection projection) {}

  static WritePlan planWrite(TransactWriteItemsRequest request, Routing routing) {
    List<TransactWriteAction> actions = request.actions();
    List<TableDescriptor> tables = new ArrayList<>(actions.size());
    for (TransactWriteAction a : actions) {
      tables.add(routing.activeTable(a.tableName()));
    }
    List<Compiled> compiled = new ArrayList<>(actions.size());
    for (int i = 0; i < actions.size(); i++) {
      TransactWriteAction a = actions.get(i);
      Compiled c = RequestExpressions.compile(a.expressions(), operation(a.kind()), tables.get(i).keySchema());
      if (c.update() != null) {
        for (String attribute : c.update().topLevelAttributesTouched()) {
          if (tables.get(i).keySchema().isKeyAttribute(attribute)) {
            throw DynamoException.invalidParameter("Cannot update attribute " + attribute + ". This attribute is part of the key");
          }
        }
      }
      compiled.add(c);
    }
    List<WriteAction> planned = new ArrayList<>(actions.size());
    long payload = 0;
    for (int i = 0; i < actions.size(); i++) {
      TransactWriteAction a = actions.get(i);
      TableDescriptor table = tables.get(i);
      PrimaryKey key;
      try {
        if (a.kind() == TransactWriteAction.Kind.PUT) {
          key = table.keySchema().keyOfItem(a.item());
          if (ItemSize.of(a.item()) > ItemSize.MAX_ITEM_SIZE_BYTES) {
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
          }
        } else {
          key = table.keySchema().validateKey(a.key());
        }
      } catch (DynamoException e) {
        throw TransactionCanceledException.single(actions.size(), i, CancellationReason.validationError(e.getMessage()));
      }
      payload += ItemSize.of(a.kind() == TransactWriteAction.Kind.PUT ? a.item() : a.key());
      if (a.expressions() != null && a.expressions().values() != null) {
        payload += ItemSize.of(a.expressions().values());
      }
      planned.add(new WriteAction(i, table, key, new TxAction(i, key, writeOp(a, table, key, compiled.get(i)),
          compiled.get(i).condition(), a.returnOldOnConditionFailure())));
    }
    checkDistinct(planned.stream().map(w -> new ItemId(w.table().tableId(), w.key())).toList());
    if (payload > PAYLOAD_BYTES_MAX) {
      throw DynamoException.validation(TransactionErrors.PAYLOAD_TOO_LARGE);
    }
    return new WritePlan(planned, fingerprint(request));
  }

  static List<GetAction> planGet(TransactGetItemsRequest request, Routing routing) {
    List<TransactGetItemsRequest.Get> gets = request.gets();
    List<TableDescriptor> tables = new ArrayList<>(gets.size());
    for (TransactGetItemsRequest.Get g : gets) {
      tables.add(routing.activeTable(g.tableName()));
    }
    List<Compiled> compiled = new ArrayList<>(gets.size());
    for (int i = 0; i < gets.size(); i++) {
      compiled.add(RequestExpressions.compile(gets.get(i).expressions(), RequestExpressions.Operation.GET, tables.get(i).keySchema()));
    }
    List<GetAction> planned = new ArrayList<>(gets.size());
    for (int i = 0; i < gets.size(); i++) {
      PrimaryKey key;
      try {
        key = tables.get(i).keySchema().validateKey(gets.get(i).key());
      } catch (DynamoException e) {
        throw TransactionCanceledException.single(gets.size(), i, CancellationReason.validationError(e.getMessage()));
      }
      planned.add(new GetAction(i, tables.get(i), key, compiled.get(i).projection()));
    }
    checkDistinct(planned.stream().map(g -> new ItemId(g.table().tableId(), g.key())).toList());
    return planned;
  }

  private record ItemId(long tableId, PrimaryKey key) {}

  private static void checkDistinct(List<ItemId> items) {
    Set<ItemId> seen = new HashSet<>();
    for (ItemId id : items) {
      if (!seen.add(id)) {
        throw DynamoException.validation(TransactionErrors.MULTIPLE_OPERATIONS_ON_ONE_ITEM);
      }
    }
  }

  private static RequestExpressions.Operation operation(TransactWriteAction.Kind kind) {
    return switch (kind) {
      case CONDITION_CHECK -> RequestExpressions.Operation.CONDITION_CHECK;
      case PUT -> RequestExpressions.Operation.PUT;
      case DELETE -> RequestExpressions.Operation.DELETE;
      case UPDATE -> RequestExpressions.Operation.UPDATE;
    };
  }

  private static WriteRequest.WriteOp writeOp(TransactWriteAction a, TableDescriptor table, PrimaryKey key, Compiled compiled) {
    return switch (a.kind()) {
      case CONDITION_CHECK -> null;
      case PUT -> new WriteRequest.WriteOp.Put(a.item());
      case DELETE -> new WriteRequest.WriteOp.Delete();
      // A missing item starts as just its key, as UpdateItem creates it.
      case UPDATE -> new WriteRequest.WriteOp.Update(table.keySchema().keyMap(key), compiled.update());
    };
  }

  /** Hashes the partition key of an action (the key the coordinator routes by). */
  static long hash(PrimaryKey key) {
    return KeyEncoding.partitionHash(key.partition());
  }

  // ---- the request's fingerprint, for ClientRequestToken idempotency ----

  /**
   * SHA-256 over a canonical form of every parameter but the token: map entries in name order, so
   * the same request sent again (by any SDK) has the same fingerprint, and any change of an
   * action, value, expression or option changes it.
   */
  static byte[] fingerprint(TransactWriteItemsRequest request) {
    MessageDigest d = sha256();
    update(d, "rcc:" + request.returnConsumedCapacity() + ";ricm:" + request.returnItemCollectionMetrics() + ";");
    for (TransactWriteAction a : request.actions()) {
      update(d, "action:" + a.kind() + ";table:" + a.tableName() + ";rvoccf:" + a.returnOldOnConditionFailure() + ";");
      if (a.item() != null) {
        update(d, "item:");
        digestMap(d, a.item());
      }
      if (a.key() != null) {
        update(d, "key:");
        digestMap(d, a.key());
      }
      ExpressionInput in = a.expressions() == null ? ExpressionInput.NONE : a.expressions();
      update(d, "cond:" + quoted(in.conditionExpression()) + "update:" + quoted(in.updateExpression()));
      if (in.names() != null) {
        update(d, "names:");
        for (Map.Entry<String, String> e : new TreeMap<>(in.names()).entrySet()) {
          update(d, quoted(e.getKey()) + quoted(e.getValue()));
        }
      }
      if (in.values() != null) {
        update(d, "values:");
        digestMap(d, in.values());
      }
    }
    return d.digest();
  }

  private static String quoted(String s) {
    return s == null ? "-;" : s.length() + ":" + s + ";";
  }

  private static void digestMap(MessageDigest d, Map<String, AttributeValue> map) {
    update(d, "{" + map.size() + ":");
    for (Map.Entry<String, AttributeValue> e : new TreeMap<>(map).entrySet()) {
      update(d, quoted(e.getKey()));
      digestValue(d, e.getValue());
    }
    update(d, "}");
  }

  private static void digestValue(MessageDigest d, AttributeValue v) {
    switch (v) {
      case AttributeValue.S s -> update(d, "S" + quoted(s.value()));
      case AttributeValue.N n -> update(d, "N" + quoted(n.value().toString()));
      case AttributeValue.B b -> digestBinary(d, "B", b.value());
      case AttributeValue.Bool b -> update(d, b.value() ? "T;" : "F;");
      case AttributeValue.Null ignored -> update(d, "0;");
      case AttributeValue.L l -> {
        update(d, "L" + l.values().size() + "[");
        for (AttributeValue e : l.values()) {
          digestValue(d, e);
        }
        update(d, "]");
      }
      case AttributeValue.M m -> {
        update(d, "M");
        digestMap(d, m.values());
      }
      case AttributeValue.SS ss -> {
        update(d, "SS" + ss.values().size());
        for (String s : ss.values()) {
          update(d, quoted(s));
        }
      }
      case AttributeValue.NS ns -> {
        update(d, "NS" + ns.values().size());
        for (DynamoNumber n : ns.values()) {
          update(d, quoted(n.toString()));
        }
      }
      case AttributeValue.BS bs -> {
        update(d, "BS" + bs.values().size());
        for (Binary b : bs.values()) {
          digestBinary(d, "", b);
        }
      }
    }
  }

  private static void digestBinary(MessageDigest d, String tag, Binary b) {
    update(d, tag + b.length() + ":");
    d.update(b.unsafeBytes());
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
