package io.flywheel.base;

import java.util.zip.CRC32C;

/** CRC32C, the checksum on every log entry, message and archived file. */
public final class Checksums {
  private Checksums() {}

  public static int crc32c(byte[] data) {
    return crc32c(data, 0, data.length);
  }

  public static int crc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }
}
