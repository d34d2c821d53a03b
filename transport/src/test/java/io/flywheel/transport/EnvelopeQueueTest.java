package io.flywheel.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvelopeQueueTest {
  private static Envelope ofPayload(int bytes) {
    return new Envelope(1, 1, 1, 2, new byte[bytes]);
  }

  @Test
  void refusesAtTheMessageBoundAndAtTheByteBound() {
    EnvelopeQueue byCount = new EnvelopeQueue(2, 1 << 20);
    assertThat(byCount.offer(ofPayload(1))).isTrue();
    assertThat(byCount.offer(ofPayload(1))).isTrue();
    assertThat(byCount.offer(ofPayload(1))).isFalse();
    EnvelopeQueue byBytes = new EnvelopeQueue(100, 2L * (Envelope.HEADER_BYTES + 10));
    assertThat(byBytes.offer(ofPayload(10))).isTrue();
    assertThat(byBytes.offer(ofPayload(11))).isFalse();
    assertThat(byBytes.offer(ofPayload(10))).isTrue();
    assertThat(byBytes.queuedBytes()).isEqualTo(2L * (Envelope.HEADER_BYTES + 10));
  }

  @Test
  void pollBatchTakesTheLongestPrefixThatFitsAFrame() {
    EnvelopeQueue queue = new EnvelopeQueue(100, 1 << 20);
    for (int i = 0; i < 5; i++) {
      queue.offer(ofPayload(100));
    }
    int twoFit = FrameCodec.BATCH_OVERHEAD_BYTES + 2 * (Envelope.HEADER_BYTES + 100);
    assertThat(queue.pollBatch(twoFit)).hasSize(2);
    assertThat(queue.pollBatch(twoFit + 10)).hasSize(2);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.pollBatch(10)).as("one envelope always goes, the caller checked it fits").hasSize(1);
    assertThat(queue.pollBatch(twoFit)).isEmpty();
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void clearReportsWhatItDropped() {
    EnvelopeQueue queue = new EnvelopeQueue(10, 1 << 20);
    queue.offer(ofPayload(1));
    queue.offer(ofPayload(2));
    assertThat(queue.clear()).isEqualTo(2);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.offer(ofPayload(1))).isTrue();
    assertThat(queue.pollBatch(1 << 20)).hasSize(1);
  }
}
