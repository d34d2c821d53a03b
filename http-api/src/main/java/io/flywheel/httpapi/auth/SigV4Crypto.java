package io.flywheel.httpapi.auth;

import io.flywheel.base.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256, the only primitives SigV4 uses. Instances are per thread: creating a
 * {@link Mac} or {@link MessageDigest} looks up a provider, which is too slow to do on every
 * request, and neither is thread-safe.
 */
final class SigV4Crypto {
  static final String HMAC_SHA256 = "HmacSHA256";

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(() -> newInstance(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance(HMAC_SHA256)));

  private SigV4Crypto() {}

  /** Lower-case hex SHA-256, as the canonical request and string to sign need it. */
  static String sha256Hex(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return Bytes.hex(digest.digest(data));
  }

  static String sha256Hex(String data) {
    return sha256Hex(data.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(SecretKeySpec key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected a raw key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, String data) {
    return hmac(new SecretKeySpec(key, HMAC_SHA256), data);
  }

  private interface Factory<T> {
    T create() throws NoSuchAlgorithmException;
  }

  private static <T> T newInstance(Factory<T> factory) {
    try {
      return factory.create();
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation must provide both algorithms.
      throw new IllegalStateException(e);
    }
  }
}
