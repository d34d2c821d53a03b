package io.flywheel.replication;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core is pure: it depends on the JDK and {@code base} only, and never reads a clock, makes
 * randomness or threads, or touches I/O (DESIGN.md section 2).
 */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.flywheel.replication");

  @Test
  void theCoreDependsOnTheJdkAndBaseOnly() {
    classes().should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.flywheel.replication..", "io.flywheel.base..", "java.lang..", "java.util..")
        .check(CORE);
  }

  @Test
  void theCoreNeverReadsAClockNorMakesRandomnessNorThreads() {
    noClasses().should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.time..", "java.util.concurrent..", "java.io..",
            "java.nio..", "java.net..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
        .check(CORE);
  }

  @Test
  void noMainCodeSwitchesOnAPlantedBug() {
    // Only tests and the simulator may name one: the core reads them, it never sets them.
    noClasses().should().callMethod(Config.class, "withPlantedBugs", java.util.Set.class)
        .because("planted bugs are for simulators and tests only")
        .check(CORE);
    org.assertj.core.api.Assertions.assertThat(Config.defaults().plantedBugs()).isEmpty();
  }
}
