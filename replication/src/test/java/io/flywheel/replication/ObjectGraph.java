package io.flywheel.replication;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Deep copies and 128-bit fingerprints of the core's object graphs, by reflection, for the
 * exhaustive explorer ({@link ExhaustiveExplorer}): it must fork a {@link Replica} at every branch
 * of the search and recognise a state it has seen, without the core offering a copy method or an
 * encoding of its volatile state (timers, per-peer progress, tallies, pending output).
 *
 * <p>Rules: records, enums, strings, boxed numbers, immutable JDK collections and the classes named
 * as {@code shared} are immutable and shared by copies (messages, entries, memberships, Readies are
 * records); {@code ArrayList}s and arrays are copied; every other class is copied field by field
 * without running its constructor. Any other JDK class fails loudly, so a change in the core that
 * this does not understand shows up as an error, not as a silently shared mutable object. Cycles
 * (a {@link Leader}'s back reference to its replica) are preserved through an identity memo.
 *
 * <p>A fingerprint walks the same graph and mixes every primitive field, in field declaration order,
 * into two 64-bit accumulators; classes named as {@code skipped} (the shared {@link Config}, the
 * host's log, which the explorer hashes itself) contribute only a tag.
 */
final class ObjectGraph {
  private final Set<Class<?>> shared;
  private final Set<Class<?>> skipped;
  private final ClassValue<ClassInfo> infos = new ClassValue<>() {
    @Override
    protected ClassInfo computeValue(Class<?> type) {
      return new ClassInfo(type);
    }
  };

  ObjectGraph(Set<Class<?>> shared, Set<Class<?>> skipped) {
    this.shared = Set.copyOf(shared);
    this.skipped = Set.copyOf(skipped);
  }

  // ------------------------------------------------------------------------------------------
  // Copies

  /** A deep copy of {@code root}; objects already in {@code memo} map to their given copies. */
  @SuppressWarnings("unchecked")
  <T> T copy(T root, IdentityHashMap<Object, Object> memo) {
    return (T) copyAny(root, memo);
  }

  private Object copyAny(Object o, IdentityHashMap<Object, Object> memo) {
    if (o == null) {
      return null;
    }
    Object done = memo.get(o);
    if (done != null) {
      return done;
    }
    if (isImmutable(o.getClass())) {
      return o;
    }
    Class<?> type = o.getClass();
    if (type == ArrayList.class) {
      ArrayList<?> list = (ArrayList<?>) o;
      ArrayList<Object> c = new ArrayList<>(list.size());
      memo.put(o, c);
      for (Object e : list) {
        c.add(copyAny(e, memo));
      }
      return c;
    }
    if (type == long[].class) {
      Object c = ((long[]) o).clone();
      memo.put(o, c);
      return c;
    }
    if (type == int[].class) {
      Object c = ((int[]) o).clone();
      memo.put(o, c);
      return c;
    }
    if (type.isArray() && !type.getComponentType().isPrimitive()) {
      Object[] a = (Object[]) o;
      Object[] c = a.clone();
      memo.put(o, c);
      for (int i = 0; i < a.length; i++) {
        c[i] = copyAny(a[i], memo);
      }
      return c;
    }
    ClassInfo info = infos.get(type);
    Object c = info.instantiate();
    memo.put(o, c);
    try {
      for (Field f : info.fields) {
        Class<?> ft = f.getType();
        if (ft == long.class) {
          f.setLong(c, f.getLong(o));
        } else if (ft == int.class) {
          f.setInt(c, f.getInt(o));
        } else if (ft == boolean.class) {
          f.setBoolean(c, f.getBoolean(o));
        } else if (ft.isPrimitive()) {
          f.set(c, f.get(o));
        } else {
          f.set(c, copyAny(f.get(o), memo));
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot copy " + type.getName(), e);
    }
    return c;
  }

  private boolean isImmutable(Class<?> type) {
    return type.isRecord() || type.isEnum() || type == String.class || Number.class.isAssignableFrom(type)
        || type == Boolean.class || type == Character.class || type == java.util.OptionalLong.class
        || shared.contains(type) || skipped.contains(type)
        || type.getName().startsWith("java.util.ImmutableCollections")
        || (type.getSuperclass() != null && type.getSuperclass().isEnum());
  }

  // ------------------------------------------------------------------------------------------
  // Fingerprints

  /** Two 64-bit accumulators; {@link #mix} is order-sensitive. */
  static final class Fingerprint {
    long h1 = 0x9E3779B97F4A7C15L;
    long h2 = 0xC2B2AE3D27D4EB4FL;

    void mix(long v) {
      h1 = Long.rotateLeft((h1 ^ v) * 0xBF58476D1CE4E5B9L, 29) + 0x94D049BB133111EBL;
      h2 = Long.rotateLeft((h2 + v) * 0x94D049BB133111EBL, 31) ^ 0xBF58476D1CE4E5B9L;
    }

    long first() {
      return finish(h1 ^ (h2 >>> 17));
    }

    long second() {
      return finish(h2 + (h1 << 7));
    }

    static long finish(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /** Mixes the graph under {@code o} into {@code fp}; {@code seen} numbers mutable objects for back references. */
  void fingerprint(Object o, Fingerprint fp, IdentityHashMap<Object, Integer> seen) {
    if (o == null) {
      fp.mix(0x6E756C6CL);
      return;
    }
    Class<?> type = o.getClass();
    if (skipped.contains(type)) {
      fp.mix(type.getName().hashCode());
      return;
    }
    switch (o) {
      case Long l -> fp.mix(l);
      case Integer i -> fp.mix(i);
      case Boolean b -> fp.mix(b ? 1 : 2);
      case String s -> fp.mix(s.hashCode());
      case Enum<?> e -> fp.mix(e.ordinal() * 7919L + e.getDeclaringClass().getName().hashCode());
      case Entry e -> {
        // The checksum covers kind and payload.
        fp.mix(e.index());
        fp.mix(e.ballot());
        fp.mix(e.checksum());
      }
      case java.util.OptionalLong v -> fp.mix(v.isPresent() ? v.getAsLong() * 31 + 1 : 0);
      case byte[] a -> {
        fp.mix(a.length);
        fp.mix(java.util.Arrays.hashCode(a));
      }
      case long[] a -> {
        fp.mix(a.length);
        for (long v : a) {
          fp.mix(v);
        }
      }
      case int[] a -> {
        fp.mix(a.length);
        for (int v : a) {
          fp.mix(v);
        }
      }
      case List<?> list -> {
        fp.mix(0x4C495354L + list.size());
        for (Object e : list) {
          fingerprint(e, fp, seen);
        }
      }
      case LongQueue q -> {
        // Only the elements count: slots past them hold stale values.
        fp.mix(0x51554555L + q.size());
        for (int i = 0; i < q.size(); i++) {
          fp.mix(q.get(i));
        }
      }
      case Object[] a -> {
        fp.mix(0x41525259L + a.length);
        for (Object e : a) {
          fingerprint(e, fp, seen);
        }
      }
      default -> fingerprintFields(o, type, fp, seen);
    }
  }

  private void fingerprintFields(Object o, Class<?> type, Fingerprint fp, IdentityHashMap<Object, Integer> seen) {
    if (!isImmutable(type)) {
      Integer ref = seen.get(o);
      if (ref != null) {
        fp.mix(0x52454600L + ref);
        return;
      }
      seen.put(o, seen.size());
    }
    ClassInfo info = infos.get(type);
    fp.mix(info.nameHash);
    try {
      for (Field f : info.fields) {
        Class<?> ft = f.getType();
        if (ft == long.class) {
          fp.mix(f.getLong(o));
        } else if (ft == int.class) {
          fp.mix(f.getInt(o));
        } else if (ft == boolean.class) {
          fp.mix(f.getBoolean(o) ? 1 : 2);
        } else if (ft.isPrimitive()) {
          fp.mix(f.get(o).hashCode());
        } else {
          fingerprint(f.get(o), fp, seen);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + type.getName(), e);
    }
  }

  // ------------------------------------------------------------------------------------------

  private static final class ClassInfo {
    final Field[] fields;
    final long nameHash;
    private final String name;
    private final Constructor<?> instantiator;

    ClassInfo(Class<?> type) {
      if (type.getName().startsWith("java.")) {
        throw new IllegalStateException("no rule for copying or fingerprinting " + type.getName()
            + ": teach ObjectGraph about it");
      }
      List<Field> list = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            list.add(f);
          }
        }
      }
      this.fields = list.toArray(new Field[0]);
      this.nameHash = type.getName().hashCode();
      this.name = type.getName();
      this.instantiator = type.isRecord() ? null : serializationConstructor(type);
    }

    Object instantiate() {
      try {
        return instantiator.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate " + name, e);
      }
    }

    /** A constructor that allocates {@code type} running only Object's constructor (what deserialization does). */
    private static Constructor<?> serializationConstructor(Class<?> type) {
      try {
        Class<?> factoryClass = Class.forName("sun.reflect.ReflectionFactory");
        Object factory = factoryClass.getMethod("getReflectionFactory").invoke(null);
        Method m = factoryClass.getMethod("newConstructorForSerialization", Class.class, Constructor.class);
        Constructor<?> c = (Constructor<?>) m.invoke(factory, type, Object.class.getDeclaredConstructor());
        c.setAccessible(true);
        return c;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot make an instantiator for " + type.getName(), e);
      }
    }
  }
}
