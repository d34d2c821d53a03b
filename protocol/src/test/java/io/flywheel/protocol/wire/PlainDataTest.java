package io.flywheel.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.protocol.PartitionStats;
import io.flywheel.protocol.RangeReadRequest;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.TxFinishRequest;
import io.flywheel.protocol.TxPrepareRequest;
import io.flywheel.protocol.TxPrepareResult;
import io.flywheel.protocol.TxReadRequest;
import io.flywheel.protocol.TxReadResult;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.protocol.WriteResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Storage-node messages are plain data, all the way down: records, enums, sealed hierarchies of
 * those, strings, numbers, byte arrays, lists and maps of them, and the model's immutable value
 * classes. No functional interface (a lambda cannot cross a process boundary) and no open
 * interface anywhere in the graph of types.
 */
class PlainDataTest {
  static final List<Class<?>> MESSAGES = List.of(WriteRequest.class, WriteResult.class, ReadRequest.class, ReadResult.class,
      RangeReadRequest.class, RangeReadResult.class, StorageNodeMessages.CreateReplica.class,
      StorageNodeMessages.UpdateSchema.class, StorageNodeMessages.ApplyIndexMutations.class,
      StorageNodeMessages.BackfillIndex.class, StorageNodeMessages.DropReplica.class, StorageNodeMessages.Stats.class,
      PartitionStats.class, TxPrepareRequest.class, TxPrepareResult.class, TxFinishRequest.class, TxReadRequest.class,
      TxReadResult.class);

  static final Set<Class<?>> LEAVES = Set.of(String.class, byte[].class, Long.class, Integer.class, Boolean.class,
      java.math.BigDecimal.class);

  @Test
  void everyMessageIsPlainDataAllTheWayDown() {
    List<String> problems = new ArrayList<>();
    Set<Type> seen = new HashSet<>();
    for (Class<?> message : MESSAGES) {
      check(message, message.getSimpleName(), seen, problems);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckCatchesALambdaField() {
    record WithLambda(java.util.function.Predicate<String> test) {}
    List<String> problems = new ArrayList<>();
    check(WithLambda.class, "WithLambda", new HashSet<>(), problems);
    assertThat(problems).singleElement().asString().contains("Predicate");
  }

  private static void check(Type type, String where, Set<Type> seen, List<String> problems) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (raw != List.class && raw != Map.class && raw != Set.class) {
        problems.add(where + ": generic " + p);
        return;
      }
      for (Type arg : p.getActualTypeArguments()) {
        check(arg, where + "<" + arg.getTypeName() + ">", seen, problems);
      }
      return;
    }
    if (!(type instanceof Class<?> c)) {
      problems.add(where + ": type " + type);
      return;
    }
    if (c.isPrimitive() || LEAVES.contains(c) || c.isEnum()) {
      return;
    }
    if (c.isInterface()) {
      if (!c.isSealed()) {
        problems.add(where + ": open interface " + c.getName());
        return;
      }
      for (Class<?> sub : c.getPermittedSubclasses()) {
        check(sub, where + "/" + sub.getSimpleName(), seen, problems);
      }
      return;
    }
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        check(component.getGenericType(), where + "." + component.getName(), seen, problems);
      }
      return;
    }
    if (Modifier.isFinal(c.getModifiers()) && c.getName().startsWith("io.flywheel.")) {
      // an immutable value class of the model (DocumentPath, UpdateExpression, Projection, Binary, DynamoNumber)
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          check(f.getGenericType(), where + "." + f.getName(), seen, problems);
        }
      }
      return;
    }
    problems.add(where + ": " + c.getName());
  }
}
