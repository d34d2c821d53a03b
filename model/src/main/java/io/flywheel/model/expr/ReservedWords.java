package io.flywheel.model.expr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * DynamoDB's reserved words (developer guide, "Reserved words in DynamoDB"; 573 words), which may
 * not appear as attribute names in expressions; a name placeholder must be used instead. The list
 * is case-insensitive. Stored in {@code reserved-words.txt} beside this class.
 */
public final class ReservedWords {
  private static final Set<String> WORDS = load();

  private ReservedWords() {}

  /** Whether {@code name} (any case) is reserved. */
  public static boolean isReserved(String name) {
    return WORDS.contains(name.toUpperCase(Locale.ROOT));
  }

  /** How many words are reserved. */
  public static int count() {
    return WORDS.size();
  }

  private static Set<String> load() {
    try (InputStream in = ReservedWords.class.getResourceAsStream("reserved-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("reserved-words.txt missing from the classpath");
      }
      Set<String> words = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String word = line.strip();
        if (!word.isEmpty()) {
          words.add(word.toUpperCase(Locale.ROOT));
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
