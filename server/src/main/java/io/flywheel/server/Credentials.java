package io.flywheel.server;

import io.flywheel.httpapi.auth.Credential;
import io.flywheel.httpapi.auth.CredentialStore;
import io.flywheel.httpapi.auth.StaticCredentialStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a credentials file: one {@code accessKeyId:secretAccessKey[:accountId]} per line; blank
 * lines and lines starting with {@code #} are ignored. No file: accept any credentials.
 */
final class Credentials {
  static final String DEFAULT_ACCOUNT = "000000000000";

  private Credentials() {}

  static CredentialStore load(Path file) throws IOException {
    if (file == null) {
      return StaticCredentialStore.empty();
    }
    List<Credential> credentials = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split(":");
      if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new IllegalArgumentException(file + ":" + lineNumber + ": expected accessKeyId:secretAccessKey[:accountId]");
      }
      credentials.add(new Credential(parts[0], parts[1], parts.length == 3 ? parts[2] : DEFAULT_ACCOUNT));
    }
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no credentials");
    }
    return new StaticCredentialStore(credentials);
  }
}
