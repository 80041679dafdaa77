package io.storagecontroller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import io.storagecontroller.workflows.archfixture.ImpureWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Workflow code is replayed, so it must be deterministic: no I/O, no Spring, no clock, randomness,
 * threads or sleeping except through {@code Workflow.*}. Everything under {@code workflows/} lives
 * in {@code io.storagecontroller.workflows..}, which this rule covers.
 */
class WorkflowDeterminismArchTest {
  static final String WORKFLOWS = "io.storagecontroller.workflows..";

  static final ArchRule DETERMINISTIC =
      CompositeArchRule.of(
              noClasses()
                  .that()
                  .resideInAPackage(WORKFLOWS)
                  .should()
                  .dependOnClassesThat()
                  .resideInAnyPackage(
                      "java.io..",
                      "java.net..",
                      "java.nio..",
                      "java.sql..",
                      "javax.sql..",
                      "java.util.concurrent..",
                      "org.springframework..",
                      "jakarta..",
                      "io.storagecontroller.persistence..",
                      "io.storagecontroller.http.."))
          .and(
              noClasses()
                  .that()
                  .resideInAPackage(WORKFLOWS)
                  .should()
                  .callMethod(System.class, "currentTimeMillis")
                  .orShould()
                  .callMethod(System.class, "nanoTime")
                  .orShould()
                  .callMethod(Thread.class, "sleep", long.class)
                  .orShould()
                  .callMethod(UUID.class, "randomUUID")
                  .orShould()
                  .callMethod(Math.class, "random")
                  .orShould()
                  .callConstructor(Random.class)
                  .orShould()
                  .callConstructor(Thread.class, Runnable.class)
                  .orShould()
                  .callMethodWhere(
                      com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                          com.tngtech.archunit.core.domain.properties.HasName.Predicates.name(
                              "now")))
                  .orShould()
                  .dependOnClassesThat()
                  .haveFullyQualifiedName("java.lang.Thread"))
          .allowEmptyShould(true);

  @Test
  void workflowCodeIsDeterministic() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.storagecontroller");
    DETERMINISTIC.check(main);
  }

  @Test
  void theRuleCatchesAnImpureWorkflow() {
    JavaClasses fixture = new ClassFileImporter().importClasses(ImpureWorkflow.class);
    assertThat(DETERMINISTIC.evaluate(fixture).hasViolation()).isTrue();
    List<String> failures = DETERMINISTIC.evaluate(fixture).getFailureReport().getDetails();
    assertThat(String.join("\n", failures))
        .contains("currentTimeMillis", "java.net", "randomUUID", "Thread.sleep", "now");
  }

  @Test
  void everySourceUnderWorkflowsAndActivitiesIsInItsPackage() throws IOException {
    assertPackages(Path.of("workflows"), "package io.storagecontroller.workflows");
    assertPackages(Path.of("activities"), "package io.storagecontroller.activities");
  }

  private static void assertPackages(Path root, String packagePrefix) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).contains(packagePrefix);
      }
    }
  }
}
