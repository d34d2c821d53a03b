package io.flywheel.httpapi.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 signing keys, derived by four chained HMACs from the secret, the scope date, the region and
 * the service. A client's key changes once a day, so nearly every request reuses a cached one.
 *
 * <p>Bounded LRU: the set of (secret, date, region, service) seen is small in practice, but the
 * bound keeps a client that varies its region from growing the map. Thread-safe.
 */
final class SigningKeyCache {
  static final int DEFAULT_CAPACITY = 1024;
  private static final String TERMINATOR = "aws4_request";

  private record Key(String secret, String date, String region, String service) {}

  private final Map<Key, SecretKeySpec> keys;

  SigningKeyCache(int capacity) {
    // Access order makes LinkedHashMap an LRU; removeEldestEntry enforces the bound.
    this.keys =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, SecretKeySpec> eldest) {
            return size() > capacity;
          }
        };
  }

  SecretKeySpec get(String secret, String date, String region, String service) {
    Key key = new Key(secret, date, region, service);
    SecretKeySpec cached;
    synchronized (keys) {
      cached = keys.get(key);
    }
    if (cached != null) {
      return cached;
    }
    // Derived outside the lock: two threads may both derive the same key, which is harmless.
    SecretKeySpec derived = derive(secret, date, region, service);
    synchronized (keys) {
      keys.put(key, derived);
    }
    return derived;
  }

  int size() {
    synchronized (keys) {
      return keys.size();
    }
  }

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
  static SecretKeySpec derive(String secret, String date, String region, String service) {
    byte[] kSecret = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
    byte[] kDate = SigV4Crypto.hmac(kSecret, date);
    byte[] kRegion = SigV4Crypto.hmac(kDate, region);
    byte[] kService = SigV4Crypto.hmac(kRegion, service);
    byte[] kSigning = SigV4Crypto.hmac(kService, TERMINATOR);
    return new SecretKeySpec(kSigning, SigV4Crypto.HMAC_SHA256);
  }
}
