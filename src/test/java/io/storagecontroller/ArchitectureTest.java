package io.storagecontroller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the structure the README's "Architecture" section describes: packages that
 * never import each other in a circle, layers that depend only downwards, tools apart from the
 * controller, one owner of shard state, and no HTTP or Temporal below the layers that speak them.
 * Workflow determinism has its own test ({@link WorkflowDeterminismArchTest}).
 */
class ArchitectureTest {
  static final String ROOT = "io.storagecontroller";

  /** The controller: every class but the tools (simulator, bench, chaos, storcon, demo). */
  static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("/io/storagecontroller/tools/"))
          // Spring's ahead-of-time processing (at package time) writes bean definitions beside the
          // classes; a build that packaged before testing has them, a clean one does not.
          .withImportOption(location -> !location.contains("__"))
          .importPackages(ROOT);

  static final String[] DOMAIN = {
    ROOT + ".tenant..",
    ROOT + ".split..",
    ROOT + ".migration..",
    ROOT + ".drain..",
    ROOT + ".evacuation..",
    ROOT + ".reconcile..",
    ROOT + ".startup..",
    ROOT + ".upcall..",
    ROOT + ".debug..",
    ROOT + ".compute..",
    ROOT + ".heartbeat..",
    ROOT + ".timeline..",
    ROOT + ".operation.."
  };

  static final String[] FOUNDATION = {
    ROOT + ".model..",
    ROOT + ".scheduler..",
    ROOT + ".node..",
    ROOT + ".pageserver..",
    ROOT + ".persistence..",
    ROOT + ".leadership..",
    ROOT + ".failpoint..",
    ROOT + ".config.."
  };

  @Test
  void noPackageOfTheControllerIsOnAnImportCycle() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CORE);
  }

  /**
   * The README states the counts this class keeps: 0 packages on a cycle, 1 service-lock holder.
   */
  @Test
  void theReadmeCountsThePackages() throws IOException {
    long packages =
        CORE.stream().map(c -> c.getPackageName()).filter(p -> !p.equals(ROOT)).distinct().count();
    assertThat(Files.readString(Path.of("README.md")).replaceAll("\\s+", " "))
        .contains(
            "**0** of the controller's " + packages + " packages on an import cycle",
            "**1** file takes the service lock");
  }

  @Test
  void theControllerNeverImportsTheTools() {
    // The command line is the composition root that wires the tools in as subcommands.
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".tools..", ROOT + ".cli..")
        .and()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".tools..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT));
  }

  /**
   * HTTP on top; then the orchestration that starts and signals workflows; the workflows; the
   * activities that adapt them to the domain; the domain services; the shard store; the foundation
   * (model, scheduler, node registry, pageserver client, persistence). Each layer depends only on
   * those below it.
   */
  @Test
  void layersDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("HTTP")
        .definedBy(ROOT + ".http..")
        .layer("Orchestration")
        .definedBy(ROOT + ".orchestration..")
        .layer("Workflows")
        .definedBy(ROOT + ".workflows..")
        .layer("Activities")
        .definedBy(ROOT + ".activities..")
        .layer("Domain")
        .definedBy(DOMAIN)
        .layer("Shard state")
        .definedBy(ROOT + ".shard..")
        .layer("Foundation")
        .definedBy(FOUNDATION)
        .whereLayer("HTTP")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Orchestration")
        .mayOnlyBeAccessedByLayers("HTTP")
        .whereLayer("Workflows")
        .mayOnlyBeAccessedByLayers("Orchestration")
        .whereLayer("Activities")
        .mayOnlyBeAccessedByLayers("Workflows", "Orchestration")
        .whereLayer("Domain")
        .mayOnlyBeAccessedByLayers("HTTP", "Orchestration", "Activities")
        .whereLayer("Shard state")
        .mayOnlyBeAccessedByLayers("HTTP", "Orchestration", "Activities", "Domain")
        .check(CORE);
  }

  @Test
  void onlyTheStoreTouchesTheShardRowsAndTheMutableShards() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".shard")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName(ROOT + ".shard.TenantShardPersistence")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(ROOT + ".shard.TenantShard")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(ROOT + ".shard.ObservedState")
        .check(CORE);
  }

  /** What ArchUnit cannot see in bytecode: SQL text and monitors. */
  @Test
  void onlyTheStoreWritesTheShardTablesAndTakesTheServiceLock() throws IOException {
    Pattern writesShards =
        Pattern.compile(
            "(UPDATE|INSERT INTO|DELETE FROM)\\s+(tenant_shards|metadata_health)\\b",
            Pattern.CASE_INSENSITIVE);
    Pattern locksTheStore = Pattern.compile("synchronized\\s*\\(\\s*(store|state|shards)\\b");
    for (Path file : sources()) {
      String text = Files.readString(file);
      boolean isStorePersistence = file.endsWith(Path.of("shard", "TenantShardPersistence.java"));
      assertThat(isStorePersistence || !writesShards.matcher(text).find())
          .as("%s writes a shard table; only the shard store may", file)
          .isTrue();
      assertThat(locksTheStore.matcher(text).find())
          .as("%s takes the shard store's monitor; only the store may", file)
          .isFalse();
    }
  }

  @Test
  void activitiesAndTheDomainNeverSpeakHttpOrTemporal() {
    String[] below =
        Stream.of(List.of(ROOT + ".activities.."), List.of(DOMAIN), List.of(FOUNDATION))
            .flatMap(List::stream)
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAnyPackage(below)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".http..", "org.springframework.web..", "jakarta.servlet..")
        .check(CORE);
    String[] domain =
        Stream.of(List.of(DOMAIN), List.of(ROOT + ".shard.."), List.of(FOUNDATION))
            .flatMap(List::stream)
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAnyPackage(domain)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.temporal..")
        .check(CORE);
  }

  /** Activities are adapters onto the domain: nothing calls one directly, not even another. */
  @Test
  void nothingCallsAnActivityImplementation() {
    List<String> implementations =
        CORE.stream()
            .filter(c -> c.getSimpleName().endsWith("ActivitiesImpl"))
            .map(c -> c.getName())
            .toList();
    assertThat(implementations).hasSizeGreaterThanOrEqualTo(6);
    for (String implementation : implementations) {
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(implementation)
          .and()
          .haveNameNotMatching(Pattern.quote(implementation) + "\\$.*")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName(implementation)
          .check(CORE);
    }
  }

  @Test
  void workflowsAreStartedAndSignalledInOnePlace() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".orchestration..", ROOT + ".temporal..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(WorkflowClient.class)
        .check(CORE);
  }

  private static List<Path> sources() throws IOException {
    Path root = Path.of("src/main/java/io/storagecontroller");
    List<Path> all;
    try (Stream<Path> files = Files.walk(root)) {
      // The tools are not the controller: the benchmark's own yardstick updates a table directly.
      all =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.startsWith(root.resolve("tools")))
              .toList();
    }
    try (Stream<Path> activities = Files.walk(Path.of("activities"));
        Stream<Path> workflows = Files.walk(Path.of("workflows"))) {
      return Stream.of(all.stream(), activities, workflows)
          .flatMap(s -> s)
          .filter(f -> f.toString().endsWith(".java"))
          .toList();
    }
  }
}
