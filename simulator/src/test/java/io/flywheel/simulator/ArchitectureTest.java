package io.flywheel.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The simulator is deterministic by construction: its logic reads no clock, makes no randomness of
 * its own, starts no thread, and depends on no real-I/O module (DESIGN.md §2 and §9).
 */
class ArchitectureTest {
  private static final JavaClasses SIMULATOR = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.flywheel.simulator");

  @Test
  void simulatorLogicHasNoRealTimeRandomnessOrThreads() {
    noClasses().should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.time..", "java.util.concurrent..", "java.io..",
            "java.nio..", "java.net..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.UUID")
        .check(SIMULATOR);
  }

  @Test
  void simulatorDependsOnlyOnLogicModules() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.rocksdb..", "io.netty..",
            "software.amazon..", "io.flywheel.server..", "io.flywheel.httpapi..", "io.flywheel.replicahost..")
        .check(SIMULATOR);
  }
}
