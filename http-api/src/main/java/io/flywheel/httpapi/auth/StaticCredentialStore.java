package io.flywheel.httpapi.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed set of credentials, given at construction. Immutable, hence thread-safe. */
public final class StaticCredentialStore implements CredentialStore {
  private final Map<String, Credential> byAccessKeyId;

  /**
   * @throws IllegalArgumentException if two credentials share an access key id: which secret wins
   *     would otherwise depend on order
   */
  public StaticCredentialStore(Collection<Credential> credentials) {
    Map<String, Credential> map = new HashMap<>();
    for (Credential credential : credentials) {
      if (map.putIfAbsent(credential.accessKeyId(), credential) != null) {
        throw new IllegalArgumentException("duplicate access key id: " + credential.accessKeyId());
      }
    }
    this.byAccessKeyId = Map.copyOf(map);
  }

  public static StaticCredentialStore of(Credential... credentials) {
    return new StaticCredentialStore(List.of(credentials));
  }

  /** A store with no credential: the verifier then runs in open mode. */
  public static StaticCredentialStore empty() {
    return new StaticCredentialStore(List.of());
  }

  /**
   * From access key id to secret, all acting for one account: the shape of a simple config file.
   */
  public static StaticCredentialStore fromSecrets(Map<String, String> secrets, String accountId) {
    return new StaticCredentialStore(
        secrets.entrySet().stream()
            .map(e -> new Credential(e.getKey(), e.getValue(), accountId))
            .toList());
  }

  @Override
  public Optional<Credential> lookup(String accessKeyId) {
    return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
  }

  @Override
  public boolean isEmpty() {
    return byAccessKeyId.isEmpty();
  }
}
