package io.flywheel.protocol.wire;

import io.flywheel.base.CorruptDataException;

/**
 * The format versions of protocol messages, and the rule that keeps mixed-version clusters working
 * during rolling upgrades and downgrades.
 *
 * <p>Every message travels with its format version (the envelope's {@code version}); the codecs
 * take it as a parameter and read exactly that format. The rule:
 *
 * <ol>
 *   <li><b>Read the previous format.</b> A release that introduces format {@code N+1} still reads
 *       (and can write) format {@code N}: {@link #MIN} is at most one behind {@link #MAX}. Dropping
 *       {@code N} happens one release later, once no node of the cluster runs a release without
 *       {@code N+1}.
 *   <li><b>Write what the peer reads.</b> A sender writes the highest version in both its own range
 *       and the peer's (the peer announces its range in the transport handshake), and while the
 *       peer's range is not known yet, its own {@link #MIN}. So an upgraded node keeps talking to
 *       old nodes in the old format, and a downgrade back to the previous release stays possible
 *       until the cluster stops announcing the old format.
 *   <li><b>Answer in the request's version.</b> A server answers every request in the version it
 *       was asked in, which the caller reads by construction.
 *   <li><b>Never guess.</b> A version outside [{@link #MIN}, {@link #MAX}], an unknown tag, a
 *       truncated or over-long body is a {@link CorruptDataException}, never a default. New fields
 *       and new tags come with a new version, never by reinterpreting an old one; a newer node
 *       maps what an old format cannot say (a new error code, say) to the nearest old meaning when
 *       it writes the old format.
 * </ol>
 */
public final class WireVersion {
  public static final int V1 = 1;
  /** The oldest format this release reads and writes. */
  public static final int MIN = V1;
  /** The newest format this release reads and writes. */
  public static final int MAX = V1;

  private WireVersion() {}

  public static boolean supported(int version) {
    return version >= MIN && version <= MAX;
  }

  /** Fails with {@link CorruptDataException} unless this release reads {@code version}. */
  public static void check(int version) {
    if (!supported(version)) {
      throw new CorruptDataException("unknown message format version " + version + " (this node reads " + MIN + ".." + MAX + ")");
    }
  }

  /**
   * The version to write to a peer that reads {@code [peerMin, peerMax]} (rule 2), or -1 when the
   * ranges do not overlap.
   */
  public static int choose(int peerMin, int peerMax) {
    int high = Math.min(MAX, peerMax);
    return high >= Math.max(MIN, peerMin) ? high : -1;
  }
}
