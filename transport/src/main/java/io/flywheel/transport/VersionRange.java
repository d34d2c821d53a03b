package io.flywheel.transport;

import io.flywheel.base.Invariants;

/**
 * The envelope versions a node can read and write, both ends inclusive. Versions are unsigned
 * 16-bit numbers on the wire.
 */
public record VersionRange(int minVersion, int maxVersion) {
  public static final int MAX_WIRE_VERSION = 0xFFFF;

  public VersionRange {
    Invariants.checkArgument(minVersion >= 0 && minVersion <= MAX_WIRE_VERSION, "minVersion in [0, 65535]");
    Invariants.checkArgument(maxVersion >= 0 && maxVersion <= MAX_WIRE_VERSION, "maxVersion in [0, 65535]");
    Invariants.checkArgument(minVersion <= maxVersion, "minVersion <= maxVersion");
  }

  public static VersionRange only(int version) {
    return new VersionRange(version, version);
  }

  public boolean contains(int version) {
    return version >= minVersion && version <= maxVersion;
  }

  public boolean overlaps(VersionRange other) {
    return minVersion <= other.maxVersion && other.minVersion <= maxVersion;
  }

  @Override
  public String toString() {
    return "[" + minVersion + ", " + maxVersion + "]";
  }
}
