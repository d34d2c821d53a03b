package io.flywheel.httpapi.auth;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;

/**
 * The two date forms SigV4 requests carry: ISO 8601 basic ({@code 20150830T123600Z}), which {@code
 * X-Amz-Date} must use, and the HTTP {@code Date} header's RFC 1123 form, which the original AWS
 * SigV4 test suite signs ({@code Mon, 09 Sep 2011 23:36:00 GMT}).
 */
final class AmzDates {
  private static final int ISO_BASIC_LENGTH = 16;

  /**
   * RFC 1123 / IMF-fixdate without the day of the week, which is skipped before parsing: the AWS
   * suite's own example, "Mon, 09 Sep 2011", names the wrong day (it was a Friday), so a strict
   * parser would reject the reference request.
   */
  private static final DateTimeFormatter HTTP_DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("d MMM yyyy HH:mm:ss")
          .appendLiteral(" GMT")
          .toFormatter(Locale.ROOT);

  private AmzDates() {}

  /** Parses {@code yyyyMMdd'T'HHmmss'Z'} exactly, or returns {@code null}. No regex: hot path. */
  static Instant parseIsoBasic(String value) {
    if (value.length() != ISO_BASIC_LENGTH || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
      return null;
    }
    int year = digits(value, 0, 4);
    int month = digits(value, 4, 6);
    int day = digits(value, 6, 8);
    int hour = digits(value, 9, 11);
    int minute = digits(value, 11, 13);
    int second = digits(value, 13, 15);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Parses a {@code Date} header: ISO basic, else RFC 1123. Returns {@code null} if neither fits.
   * AWS documents ISO basic for every date; RFC 1123 is accepted too because the original AWS test
   * suite signs it, and an over-strict server would reject working clients. Not verified against
   * the live service.
   */
  static Instant parseDateHeader(String value) {
    Instant iso = parseIsoBasic(value);
    if (iso != null) {
      return iso;
    }
    String trimmed = value.strip();
    int comma = trimmed.indexOf(", ");
    String withoutWeekday = comma < 0 ? trimmed : trimmed.substring(comma + 2);
    try {
      return LocalDateTime.parse(withoutWeekday, HTTP_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Formats to {@code yyyyMMdd'T'HHmmss'Z'}, dropping fractions of a second. */
  static String formatIsoBasic(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(ISO_BASIC_LENGTH);
    pad(out, t.getYear(), 4);
    pad(out, t.getMonthValue(), 2);
    pad(out, t.getDayOfMonth(), 2);
    out.append('T');
    pad(out, t.getHour(), 2);
    pad(out, t.getMinute(), 2);
    pad(out, t.getSecond(), 2);
    return out.append('Z').toString();
  }

  /**
   * The non-negative decimal number in {@code s[from, to)}, or -1 if a character is not a digit.
   */
  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static void pad(StringBuilder out, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      out.append('0');
    }
    out.append(s);
  }
}
