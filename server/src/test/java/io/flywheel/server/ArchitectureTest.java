package io.flywheel.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md section 2, enforced: third-party libraries stay in their one module, and logic modules
 * take time, randomness and threads from their callers instead of reaching for the JDK's.
 */
class ArchitectureTest {
  /** Every module but the composition root: none may read the clock or make entropy or threads itself. */
  static final String[] LOGIC = {
    "io.flywheel.base..", "io.flywheel.model..", "io.flywheel.engine..", "io.flywheel.replicahost..",
    "io.flywheel.protocol..", "io.flywheel.storagenode..", "io.flywheel.metadata..", "io.flywheel.router..",
    "io.flywheel.httpapi..", "io.flywheel.transport..", "io.flywheel.rpc.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.flywheel");
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }

  @Test
  void onlyTheRocksDbEngineImportsRocksDb() {
    check(noClasses().that().resideOutsideOfPackage("io.flywheel.engine.rocksdb..")
        .should().dependOnClassesThat().resideInAPackage("org.rocksdb.."));
  }

  @Test
  void onlyTheHttpEndpointAndTheTcpTransportUseNetty() {
    check(noClasses().that().resideOutsideOfPackages("io.flywheel.httpapi..", "io.flywheel.transport.tcp..", "io.flywheel.server..")
        .should().dependOnClassesThat().resideInAPackage("io.netty.."));
  }

  @Test
  void theTransportSpiUsesOnlyTheJdkAndBase() {
    check(classes().that().resideInAPackage("io.flywheel.transport")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.flywheel.base..", "io.flywheel.transport"));
  }

  @Test
  void rolesReachTheTcpTransportOnlyThroughTheMessageBusSpi() {
    check(noClasses().that().resideOutsideOfPackages("io.flywheel.transport.tcp..", "io.flywheel.server..")
        .should().dependOnClassesThat().resideInAPackage("io.flywheel.transport.tcp.."));
  }

  @Test
  void roleServicesReachOtherProcessesOnlyThroughTheRpcLayer() {
    check(noClasses().that().resideInAnyPackage("io.flywheel.router..", "io.flywheel.storagenode..", "io.flywheel.metadata..",
            "io.flywheel.httpapi..")
        .should().dependOnClassesThat().resideInAPackage("io.flywheel.transport.."));
  }

  @Test
  void logicModulesDoNotReadTheSystemClock() {
    check(noClasses().that().resideInAnyPackage(LOGIC)
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.time.LocalDateTime.class, "now")
        .orShould().callMethod(java.time.ZonedDateTime.class, "now")
        .orShould().callMethod(java.time.Clock.class, "systemUTC"));
  }

  @Test
  void logicModulesDoNotMakeTheirOwnRandomness() {
    check(noClasses().that().resideInAnyPackage(LOGIC)
        .should().callConstructor(java.util.Random.class)
        .orShould().callConstructor(java.util.Random.class, long.class)
        .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
        .orShould().callMethod(java.util.UUID.class, "randomUUID")
        .orShould().callConstructor(java.security.SecureRandom.class)
        .orShould().callMethod(Math.class, "random"));
  }

  @Test
  void logicModulesDoNotSleepOrMakeThreadsOrExecutors() {
    check(noClasses().that().resideInAnyPackage(LOGIC)
        .should().callMethod(Thread.class, "sleep", long.class)
        .orShould().callConstructor(Thread.class, Runnable.class)
        .orShould().callConstructor(Thread.class, Runnable.class, String.class)
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
        .orShould().callMethod(java.util.concurrent.CompletableFuture.class, "supplyAsync", java.util.function.Supplier.class)
        .orShould().callMethod(java.util.concurrent.CompletableFuture.class, "runAsync", Runnable.class));
  }
}
