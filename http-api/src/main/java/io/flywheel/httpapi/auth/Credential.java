package io.flywheel.httpapi.auth;

import java.util.Objects;

/**
 * An access key pair and the account it belongs to.
 *
 * @param accessKeyId the public half, which requests name in their credential scope
 * @param secretAccessKey the shared secret; never logged (see {@link #toString()})
 * @param accountId the 12-digit AWS-style account id the key acts for
 */
public record Credential(String accessKeyId, String secretAccessKey, String accountId) {
  public Credential {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(accountId, "accountId");
  }

  /** Leaves the secret out, so that a credential can be logged safely. */
  @Override
  public String toString() {
    return "Credential[accessKeyId=" + accessKeyId + ", accountId=" + accountId + "]";
  }
}
