package io.flywheel.replication;

import io.flywheel.base.ByteReader;
import io.flywheel.base.ByteWriter;
import io.flywheel.base.CorruptDataException;
import io.flywheel.base.Invariants;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's configuration. Outside a change it is one list of members; during a change by joint
 * consensus it is C_old,new: {@code members} is the configuration being moved to and {@code
 * outgoing} the one being left, and every quorum needs a majority of the voters of each.
 *
 * <p>Iteration order is the list order, never a hash order, so everything derived from a membership
 * is deterministic.
 *
 * @param members the configuration in force (C_new during a change)
 * @param outgoing the configuration being left during a joint change (C_old); empty otherwise
 */
public record Membership(List<Member> members, List<Member> outgoing) {
  /** No members: what a replica that joins an existing group knows before the leader reaches it. */
  public static final Membership EMPTY = new Membership(List.of(), List.of());

  public Membership {
    members = List.copyOf(members);
    outgoing = List.copyOf(outgoing);
    checkDistinct(members);
    checkDistinct(outgoing);
  }

  private static void checkDistinct(List<Member> list) {
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        Invariants.checkArgument(list.get(i).nodeId() != list.get(j).nodeId(),
            "node " + list.get(i).nodeId() + " appears twice in a configuration");
      }
    }
  }

  public static Membership of(Member... members) {
    return new Membership(List.of(members), List.of());
  }

  /** Three full voters on the given nodes: the paper's usual replication group. */
  public static Membership fullVoters(long... nodeIds) {
    List<Member> list = new ArrayList<>(nodeIds.length);
    for (long id : nodeIds) {
      list.add(Member.fullVoter(id));
    }
    return new Membership(list, List.of());
  }

  public boolean isJoint() {
    return !outgoing.isEmpty();
  }

  /** C_old,new for a change from this (non-joint) configuration to {@code target}. */
  public Membership enterJoint(List<Member> target) {
    Invariants.check(!isJoint(), "one membership change at a time");
    return new Membership(target, members);
  }

  /** C_new: the end of a joint change. */
  public Membership leaveJoint() {
    Invariants.check(isJoint(), "not in a joint change");
    return new Membership(members, List.of());
  }

  /** The member entry of {@code nodeId} in {@code members}, else in {@code outgoing}, else null. */
  public Member member(long nodeId) {
    for (Member m : members) {
      if (m.nodeId() == nodeId) {
        return m;
      }
    }
    for (Member m : outgoing) {
      if (m.nodeId() == nodeId) {
        return m;
      }
    }
    return null;
  }

  /** The kind of {@code nodeId} in the configuration in force ({@code members}), or null. */
  public MemberKind kindInMembers(long nodeId) {
    for (Member m : members) {
      if (m.nodeId() == nodeId) {
        return m.kind();
      }
    }
    return null;
  }

  /** Votes in at least one of the configurations. */
  public boolean isVoter(long nodeId) {
    return isVoterIn(members, nodeId) || isVoterIn(outgoing, nodeId);
  }

  static boolean isVoterIn(List<Member> config, long nodeId) {
    for (Member m : config) {
      if (m.nodeId() == nodeId) {
        return m.kind().votes();
      }
    }
    return false;
  }

  /** Every node of both configurations, members first, each once, in list order. */
  public List<Long> nodes() {
    List<Long> out = new ArrayList<>(members.size() + outgoing.size());
    for (Member m : members) {
      out.add(m.nodeId());
    }
    for (Member m : outgoing) {
      if (!out.contains(m.nodeId())) {
        out.add(m.nodeId());
      }
    }
    return out;
  }

  static int voterCount(List<Member> config) {
    int n = 0;
    for (Member m : config) {
      if (m.kind().votes()) {
        n++;
      }
    }
    return n;
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(8 + 10 * (members.size() + outgoing.size()));
    writeTo(w);
    return w.toByteArray();
  }

  void writeTo(ByteWriter w) {
    writeList(w, members);
    writeList(w, outgoing);
  }

  private static void writeList(ByteWriter w, List<Member> list) {
    w.writeVarint(list.size());
    for (Member m : list) {
      w.writeVarint(m.nodeId());
      w.writeByte(m.kind().code);
    }
  }

  public static Membership decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    Membership m = readFrom(r);
    if (r.remaining() != 0) {
      throw new CorruptDataException("trailing bytes after a membership");
    }
    return m;
  }

  static Membership readFrom(ByteReader r) {
    List<Member> members = readList(r);
    List<Member> outgoing = readList(r);
    try {
      return new Membership(members, outgoing);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("invalid membership: " + e.getMessage());
    }
  }

  private static List<Member> readList(ByteReader r) {
    int n = r.readLength();
    List<Member> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long node = r.readVarint();
      int kind = r.readByte();
      if (node <= 0) {
        throw new CorruptDataException("node id " + node + " in a membership");
      }
      list.add(new Member(node, MemberKind.ofCode(kind)));
    }
    return list;
  }
}
