package io.flywheel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the deviation registry, the scenarios and {@code docs/compatibility.md} in step: every
 * {@link Deviation} has a section in the document (and the document lists no other), and every
 * deviation is used by at least one scenario, so none outlives what it explained.
 */
class DocumentationTest {
  /** Sections are headed "### `NAME`". */
  static final Pattern SECTION = Pattern.compile("^### `([A-Z_]+)`", Pattern.MULTILINE);

  static List<Scenario> allCatalogues() {
    List<Scenario> all = new ArrayList<>();
    all.addAll(ItemScenariosTest.scenarioList());
    all.addAll(UpdateScenariosTest.scenarioList());
    all.addAll(ExpressionValidationScenariosTest.scenarioList());
    all.addAll(KeyScenariosTest.scenarioList());
    all.addAll(LimitScenariosTest.scenarioList());
    all.addAll(BatchScenariosTest.scenarioList());
    all.addAll(QueryScanScenariosTest.scenarioList());
    all.addAll(IndexScenariosTest.scenarioList());
    all.addAll(TableScenariosTest.scenarioList());
    all.addAll(LegacyScenariosTest.scenarioList());
    return all;
  }

  @Test
  void everyDeviationIsDocumentedOnceAndNothingElseIs() throws IOException {
    Path doc = Path.of(System.getProperty("docs.dir", "../docs"), "compatibility.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    List<String> sections = new ArrayList<>();
    Matcher m = SECTION.matcher(text);
    while (m.find()) {
      sections.add(m.group(1));
    }
    Set<String> constants = new TreeSet<>();
    for (Deviation d : Deviation.values()) {
      constants.add(d.name());
    }
    assertThat(sections).as("sections of %s", doc).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(sections)).as("sections of %s against enum Deviation", doc).isEqualTo(constants);
  }

  @Test
  void everyDeviationIsUsedByAScenario() {
    Set<Deviation> unused = EnumSet.allOf(Deviation.class);
    for (Scenario s : allCatalogues()) {
      for (Scenario.DeviationMark mark : s.deviations()) {
        unused.remove(mark.deviation());
      }
    }
    assertThat(unused).as("deviations no scenario marks").isEmpty();
  }
}
