package io.flywheel.httpapi.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code name=value} pair of a query string, percent-decoded to bytes. Bytes rather than
 * strings so that re-encoding for the canonical query reproduces exactly what the client encoded,
 * even for input that is not valid UTF-8.
 */
record QueryParameter(byte[] name, byte[] value) {

  /**
   * Splits a raw query string at {@code &}, then each part at its first {@code =}. A part without
   * {@code =} has an empty value ({@code ?a} signs as {@code a=}); empty parts are skipped.
   */
  static List<QueryParameter> parse(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return List.of();
    }
    List<QueryParameter> out = new ArrayList<>();
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String name = rawQuery.substring(start, hasValue ? eq : end);
        String value = hasValue ? rawQuery.substring(eq + 1, end) : "";
        out.add(new QueryParameter(UriEncoding.decode(name), UriEncoding.decode(value)));
      }
      start = end + 1;
    }
    return out;
  }

  /** The decoded value of the first parameter called {@code name}, or {@code null}. */
  static String first(List<QueryParameter> parameters, String name) {
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (QueryParameter p : parameters) {
      if (Arrays.equals(p.name, wanted)) {
        return new String(p.value, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  boolean isNamed(String candidate) {
    return Arrays.equals(name, candidate.getBytes(StandardCharsets.UTF_8));
  }
}
