package io.storagecontroller.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.storagecontroller.model.NodeId;
import org.junit.jupiter.api.Test;

/**
 * The refcount methods are public only because intents live in another package. Anything but
 * IntentState calling them could move a count without moving an intent, which is a leak.
 */
class RefCountAccessArchTest {
  static final ArchRule ONLY_INTENTS_COUNT =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("io.storagecontroller.shard.IntentState")
          .should()
          .callMethod(
              Scheduler.class, "updateRefCounts", NodeId.class, String.class, RefCountUpdate.class)
          .orShould()
          .callMethod(
              Scheduler.class, "changePreferredAz", NodeId.class, String.class, String.class);

  @Test
  void onlyIntentStateMovesRefCounts() {
    ONLY_INTENTS_COUNT.check(
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.storagecontroller"));
  }

  @Test
  void theRuleCatchesAnotherCaller() {
    assertThat(
            ONLY_INTENTS_COUNT
                .evaluate(new ClassFileImporter().importClasses(SchedulerTest.class))
                .hasViolation())
        .isTrue();
  }
}
