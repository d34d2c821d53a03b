package io.flywheel.httpapi.auth;

import java.util.Optional;

/** Where the verifier looks up secrets. Implementations must be thread-safe. */
public interface CredentialStore {
  /** The credential with this access key id, if any. Called once per verified request. */
  Optional<Credential> lookup(String accessKeyId);

  /**
   * Whether the store holds no credential at all. A verifier built over an empty store runs in open
   * mode (see {@link SigV4Verifier}).
   */
  boolean isEmpty();
}
