package io.flywheel.transport;

import io.flywheel.base.Invariants;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelopes waiting for one destination node, bounded in count and in encoded bytes. Not
 * thread-safe: its owner guards it with the peer's lock.
 */
public final class EnvelopeQueue {
  private final int maxMessages;
  private final long maxBytes;
  private final ArrayDeque<Envelope> envelopes = new ArrayDeque<>();
  private long queuedBytes;

  public EnvelopeQueue(int maxMessages, long maxBytes) {
    Invariants.checkArgument(maxMessages >= 1, "maxMessages >= 1");
    Invariants.checkArgument(maxBytes >= 1, "maxBytes >= 1");
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** Appends unless either bound would be exceeded; never grows past them. */
  public boolean offer(Envelope envelope) {
    int bytes = envelope.encodedBytes();
    if (envelopes.size() >= maxMessages || queuedBytes + bytes > maxBytes) {
      return false;
    }
    envelopes.addLast(envelope);
    queuedBytes += bytes;
    return true;
  }

  /**
   * Removes, in order, the longest prefix whose batch frame stays within {@code maxFrameBytes},
   * and at least one envelope if any is queued (the caller checks that one fits).
   */
  public List<Envelope> pollBatch(int maxFrameBytes) {
    List<Envelope> batch = new ArrayList<>(Math.min(envelopes.size(), 1024));
    long frameBytes = FrameCodec.BATCH_OVERHEAD_BYTES;
    while (!envelopes.isEmpty()) {
      Envelope next = envelopes.peekFirst();
      if (!batch.isEmpty() && frameBytes + next.encodedBytes() > maxFrameBytes) {
        break;
      }
      envelopes.pollFirst();
      queuedBytes -= next.encodedBytes();
      frameBytes += next.encodedBytes();
      batch.add(next);
    }
    return batch;
  }

  /** Removes everything; returns how many envelopes that was. */
  public int clear() {
    int count = envelopes.size();
    envelopes.clear();
    queuedBytes = 0;
    return count;
  }

  public boolean isEmpty() {
    return envelopes.isEmpty();
  }

  public int size() {
    return envelopes.size();
  }

  public long queuedBytes() {
    return queuedBytes;
  }
}
