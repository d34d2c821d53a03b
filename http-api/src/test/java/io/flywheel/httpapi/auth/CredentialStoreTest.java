package io.flywheel.httpapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialStoreTest {
  private final Credential alice = new Credential("AKIDALICE", "alice-secret", "111111111111");

  @Test
  void looksUpByAccessKeyId() {
    StaticCredentialStore store = StaticCredentialStore.of(alice);

    assertThat(store.lookup("AKIDALICE")).contains(alice);
    assertThat(store.lookup("akidalice")).isEmpty();
    assertThat(store.isEmpty()).isFalse();
    assertThat(StaticCredentialStore.empty().isEmpty()).isTrue();
  }

  @Test
  void buildsFromASecretsMap() {
    StaticCredentialStore store =
        StaticCredentialStore.fromSecrets(Map.of("AKIDBOB", "bob-secret"), "222222222222");

    assertThat(store.lookup("AKIDBOB"))
        .contains(new Credential("AKIDBOB", "bob-secret", "222222222222"));
  }

  @Test
  void rejectsDuplicateAccessKeyIds() {
    Credential twin = new Credential("AKIDALICE", "other", "111111111111");

    assertThatThrownBy(() -> new StaticCredentialStore(List.of(alice, twin)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AKIDALICE");
  }

  @Test
  void credentialToStringHidesTheSecret() {
    assertThat(alice.toString()).contains("AKIDALICE").doesNotContain("alice-secret");
  }
}
