package io.flywheel.simulator;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.Invariants;
import java.util.TreeMap;

/**
 * The workload's state machine: a register per key holding a long (0 until written). Commands are
 * applied in log order on every replica that keeps state, deterministically:
 *
 * <ul>
 *   <li>{@code WRITE(key, value)} sets the register;
 *   <li>{@code CAS(key, expected, value)} sets it if it holds {@code expected}.
 * </ul>
 *
 * Applying returns the register's value before the command, which is what a client learns (a
 * failed compare-and-set reports the value it found, as DynamoDB can return the item on a failed
 * condition).
 */
final class RegisterMachine {
  static final byte WRITE = 1;
  static final byte CAS = 2;

  /** A decoded command; {@code opId} makes every command's bytes unique. */
  record Command(byte kind, long key, long expected, long value, long opId) {
    byte[] encode() {
      ByteWriter w = new ByteWriter(40);
      w.writeByte(kind);
      w.writeVarint(key);
      w.writeVarint(expected);
      w.writeVarint(value);
      w.writeVarint(opId);
      return w.toByteArray();
    }

    static Command decode(byte[] bytes) {
      ByteReader r = new ByteReader(bytes);
      byte kind = (byte) r.readByte();
      Invariants.check(kind == WRITE || kind == CAS, "a register command");
      return new Command(kind, r.readVarint(), r.readVarint(), r.readVarint(), r.readVarint());
    }
  }

  private final TreeMap<Long, Long> registers;
  private long appliedIndex;

  RegisterMachine() {
    this(new TreeMap<>(), 0);
  }

  private RegisterMachine(TreeMap<Long, Long> registers, long appliedIndex) {
    this.registers = registers;
    this.appliedIndex = appliedIndex;
  }

  long appliedIndex() {
    return appliedIndex;
  }

  long get(long key) {
    return registers.getOrDefault(key, 0L);
  }

  /** Applies a command at {@code index}; returns the value the register held before it. */
  long apply(long index, Command c) {
    advance(index);
    long before = get(c.key());
    if (c.kind() == WRITE || before == c.expected()) {
      registers.put(c.key(), c.value());
    }
    return before;
  }

  /** An entry that changes no register (NOOP, CONFIG) still takes its index. */
  void advance(long index) {
    Invariants.check(index == appliedIndex + 1, "entries apply in order, once: " + index + " after " + appliedIndex);
    appliedIndex = index;
  }

  /** A copy of the state (a snapshot captured for a follower). */
  RegisterMachine copy() {
    return new RegisterMachine(new TreeMap<>(registers), appliedIndex);
  }

  /** A digest of the whole state, to compare replicas at the same applied index. */
  long digest() {
    long h = appliedIndex * 0x9E3779B97F4A7C15L;
    for (var e : registers.entrySet()) {
      h = (h ^ e.getKey()) * 0x100000001B3L + e.getValue();
    }
    return h;
  }
}
