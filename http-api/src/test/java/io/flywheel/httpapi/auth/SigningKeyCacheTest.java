package io.flywheel.httpapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.base.Bytes;
import org.junit.jupiter.api.Test;

class SigningKeyCacheTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void derivesTheSuiteSigningKey() {
    // The signing key behind the AWS test suite's 2015 vectors.
    assertThat(
            Bytes.hex(
                SigningKeyCache.derive(SECRET, "20150830", "us-east-1", "service").getEncoded()))
        .isEqualTo("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
  }

  @Test
  void returnsTheCachedKeyAndStaysBounded() {
    SigningKeyCache cache = new SigningKeyCache(3);

    var first = cache.get(SECRET, "20150830", "us-east-1", "service");
    assertThat(cache.get(SECRET, "20150830", "us-east-1", "service")).isSameAs(first);
    for (int i = 0; i < 10; i++) {
      cache.get(SECRET, "20150830", "region-" + i, "service");
    }

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(SECRET, "20150830", "us-east-1", "service"))
        .isNotSameAs(first)
        .isEqualTo(first);
  }
}
