package io.flywheel.httpapi.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Percent-encoding as SigV4 defines it: RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - _ .
 * ~}) stay as they are, every other byte becomes {@code %XX} with upper-case hex. Unlike {@code
 * java.net.URLEncoder}, a space is {@code %20}, never {@code +}.
 */
final class UriEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {}

  static boolean isUnreserved(int b) {
    return (b >= 'A' && b <= 'Z')
        || (b >= 'a' && b <= 'z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '_'
        || b == '.'
        || b == '~';
  }

  static void encode(byte[] bytes, StringBuilder out) {
    for (byte b : bytes) {
      int u = b & 0xFF;
      if (isUnreserved(u)) {
        out.append((char) u);
      } else {
        out.append('%').append(HEX[u >>> 4]).append(HEX[u & 0xF]);
      }
    }
  }

  static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 8);
    encode(bytes, out);
    return out.toString();
  }

  /**
   * Decodes {@code %XX} escapes into bytes; other characters become their UTF-8 bytes. A {@code %}
   * not followed by two hex digits is kept as a literal {@code %}: lenient, so that a malformed
   * query fails as a signature mismatch rather than as an error of its own. {@code +} stays {@code
   * +}: in a URI it is not a space.
   */
  static byte[] decode(String raw) {
    byte[] in = raw.getBytes(StandardCharsets.UTF_8);
    if (raw.indexOf('%') < 0) {
      return in;
    }
    byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      int hi = i + 2 < in.length && in[i] == '%' ? hexValue(in[i + 1]) : -1;
      int lo = hi >= 0 ? hexValue(in[i + 2]) : -1;
      if (lo >= 0) {
        out[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else {
        out[n++] = in[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return -1;
  }
}
