package io.flywheel.storagenode;

import io.flywheel.engine.KvBatch;
import io.flywheel.engine.KvEngine;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionSchema;
import io.flywheel.protocol.WriteRequest;
import io.flywheel.replicahost.StateMachine.Evaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one partition replica as its group's worker does, one loop at a time: evaluates the
 * loop's commands in order (an exception becomes a rejection), then applies the appended entries
 * in one item-engine batch and reports the loop applied.
 */
final class ReplicaDriver {
  final KvEngine kv;
  final PartitionDescriptor descriptor;
  PartitionReplica replica;
  /** The log index of the last appended entry. */
  long lastIndex;

  ReplicaDriver(KvEngine kv, PartitionDescriptor descriptor, PartitionSchema schema) {
    this.kv = kv;
    this.descriptor = descriptor;
    this.replica = new PartitionReplica(kv, descriptor, schema);
  }

  /** Replaces the replica by a new one over the same engine, as a restart does (the log needs no replay here). */
  PartitionReplica restart(PartitionSchema constructorSchema) {
    replica = new PartitionReplica(kv, descriptor, constructorSchema);
    replica.recover(kv);
    return replica;
  }

  List<Evaluation> loop(PartitionCommand... commands) {
    List<Evaluation> out = new ArrayList<>();
    List<byte[]> entries = new ArrayList<>();
    for (PartitionCommand c : commands) {
      Evaluation e;
      try {
        e = replica.evaluate(c, lastIndex + entries.size() + 1);
      } catch (RuntimeException ex) {
        e = new Evaluation.Reject(ex);
      }
      out.add(e);
      if (e instanceof Evaluation.Append a) {
        entries.add(a.entry());
      }
    }
    if (!entries.isEmpty()) {
      try (KvBatch batch = kv.newBatch()) {
        for (byte[] entry : entries) {
          replica.apply(++lastIndex, entry, batch);
        }
        kv.write(batch, false);
      }
    }
    replica.applied(lastIndex);
    return out;
  }

  Evaluation one(PartitionCommand command) {
    return loop(command).get(0);
  }

  /** A write command, prepared as the storage node prepares it. */
  static PartitionCommand write(WriteRequest request) {
    return StorageNode.prepare(request);
  }
}
