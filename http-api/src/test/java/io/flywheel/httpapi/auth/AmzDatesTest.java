package io.flywheel.httpapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AmzDatesTest {
  @Test
  void parsesIsoBasicStrictly() {
    assertThat(AmzDates.parseIsoBasic("20150830T123600Z"))
        .isEqualTo(Instant.parse("2015-08-30T12:36:00Z"));
    assertThat(AmzDates.parseIsoBasic("2015-08-30T12:36:00Z")).isNull();
    assertThat(AmzDates.parseIsoBasic("20150830T123600")).isNull();
    assertThat(AmzDates.parseIsoBasic("20151330T123600Z")).isNull();
    assertThat(AmzDates.parseIsoBasic("2015083OT123600Z")).isNull();
    assertThat(AmzDates.parseIsoBasic("")).isNull();
  }

  @Test
  void dateHeaderAlsoAcceptsRfc1123() {
    assertThat(AmzDates.parseDateHeader("Mon, 09 Sep 2011 23:36:00 GMT"))
        .isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    assertThat(AmzDates.parseDateHeader("20110909T233600Z"))
        .isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    assertThat(AmzDates.parseDateHeader("Fri, 09 Sep 2011 23:36:00 GMT"))
        .isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    assertThat(AmzDates.parseDateHeader("09 Sep 2011 23:36:00 GMT"))
        .isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    assertThat(AmzDates.parseDateHeader("Fri, 09 Sep 2011 23:36:00 PST")).isNull();
    assertThat(AmzDates.parseDateHeader("yesterday")).isNull();
  }

  @Test
  void formatsIsoBasicDroppingMillis() {
    assertThat(AmzDates.formatIsoBasic(Instant.parse("2024-03-05T01:02:03.999Z")))
        .isEqualTo("20240305T010203Z");
  }
}
