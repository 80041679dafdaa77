package io.storagecontroller.tools.simulator;

import static io.storagecontroller.tools.simulator.PageserverApiTest.attached;
import static io.storagecontroller.tools.simulator.PageserverApiTest.detached;
import static io.storagecontroller.tools.simulator.PageserverApiTest.secondary;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ManualClock;
import io.storagecontroller.tools.simulator.Violation.Invariant;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The safety checker finds planted violations and passes clean histories. */
class SafetyCheckerTest {
  static final NodeId ONE = NodeId.of(1);
  static final NodeId TWO = NodeId.of(2);
  final TenantShardId shard = TenantShardId.unsharded(TenantId.generate());

  @Test
  void aReturningNodeCountsOnceTheControllerHasHadItsNotice() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-29T00:00:00Z"));
    SafetyRecorder recorder = new SafetyRecorder(clock);
    recorder.location(ONE, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(1), "test");
    recorder.availability(ONE, false);
    recorder.availability(ONE, true);
    clock.advance(Duration.ofMillis(300));
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(2), "test");
    // Strictly, 300 ms after the heartbeat answered is already an overlap; with a second's notice
    // it is the decision that was in flight.
    assertThat(recorder.violations()).hasSize(1);
    assertThat(recorder.violations(Duration.ofSeconds(1))).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(3), "test");
    assertThat(recorder.violations(Duration.ofSeconds(1)))
        .singleElement()
        .satisfies(v -> assertThat(v.invariant()).isEqualTo(Invariant.SINGLE_ATTACHED));
  }

  @Test
  void oneGenerationOnTwoNodesIsAViolation() {
    SafetyRecorder recorder = new SafetyRecorder();
    recorder.location(ONE, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(1), "test");
    recorder.location(ONE, shard, LocationConfigMode.DETACHED, null, "test");
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_MULTI, Generation.of(1), "test");
    assertThat(recorder.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.invariant()).isEqualTo(Invariant.UNIQUE_GENERATION);
              assertThat(v.shard()).isEqualTo(shard);
              assertThat(v.sequence()).isEqualTo(2);
            });
  }

  @Test
  void twoAttachedSingleOnReachableNodesIsAViolation() {
    SafetyRecorder recorder = new SafetyRecorder();
    recorder.location(ONE, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(1), "test");
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(2), "test");
    assertThat(recorder.violations())
        .extracting(Violation::invariant)
        .containsExactly(Invariant.SINGLE_ATTACHED);
  }

  @Test
  void supersedingAnUnreachableNodeIsNotAViolation() {
    SafetyRecorder recorder = new SafetyRecorder();
    recorder.location(ONE, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(1), "test");
    recorder.availability(ONE, false);
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_SINGLE, Generation.of(2), "test");
    recorder.availability(ONE, true);
    recorder.location(ONE, shard, LocationConfigMode.SECONDARY, null, "test");
    assertThat(recorder.violations()).isEmpty();
  }

  @Test
  void aDeletionFromAnOldGenerationIsAViolationOnlyIfItRuns() {
    SafetyRecorder recorder = new SafetyRecorder();
    recorder.location(ONE, shard, LocationConfigMode.ATTACHED_STALE, Generation.of(1), "test");
    recorder.location(TWO, shard, LocationConfigMode.ATTACHED_MULTI, Generation.of(2), "test");
    recorder.deletion(ONE, shard, Generation.of(1), "timeline x", false, DeletionQueue.STALE);
    assertThat(recorder.violations()).isEmpty();
    recorder.deletion(ONE, shard, Generation.of(1), "timeline x", true, "no controller");
    assertThat(recorder.violations())
        .extracting(Violation::invariant)
        .containsExactly(Invariant.VALIDATED_DELETION);
  }

  @Test
  void aLiveMigrationOverHttpIsSafe() {
    try (PageserverFleet fleet = PageserverFleet.start(2)) {
      HttpCalls origin = new HttpCalls(fleet.pageserver(1).baseUrl());
      HttpCalls destination = new HttpCalls(fleet.pageserver(2).baseUrl());
      String location = "/v1/tenant/" + shard + "/location_config";
      assertThat(origin.put(location, attached("AttachedSingle", 1)).status()).isEqualTo(200);
      TimelineId timeline = TimelineId.generate();
      origin.post(
          "/v1/tenant/" + shard + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}");
      assertThat(destination.put(location, secondary()).status()).isEqualTo(200);

      assertThat(origin.put(location + "?flush_ms=10000", attached("AttachedStale", 1)).status())
          .isEqualTo(200);
      assertThat(
              destination
                  .post("/v1/tenant/" + shard + "/secondary/download?wait_ms=5000", null)
                  .status())
          .isEqualTo(200);
      assertThat(destination.put(location, attached("AttachedMulti", 2)).status()).isEqualTo(200);
      String lsn =
          origin
              .get("/v1/tenant/" + shard + "/timeline/" + timeline)
              .body()
              .get("last_record_lsn")
              .asString();
      assertThat(
              destination
                  .post(
                      "/v1/tenant/" + shard + "/wait_lsn",
                      "{\""
                          + timeline
                          + "\":\""
                          + lsn
                          + "\",\"timeout\":{\"secs\":10,\"nanos\":0}}")
                  .status())
          .isEqualTo(200);
      assertThat(origin.put(location, secondary()).status()).isEqualTo(200);
      assertThat(destination.put(location, attached("AttachedSingle", 2)).status()).isEqualTo(200);
      assertThat(origin.put(location, detached()).status()).isEqualTo(200);

      // The old generation is refused from now on.
      assertThat(origin.put(location, attached("AttachedSingle", 1)).status()).isEqualTo(409);
      assertThat(fleet.safety().violations()).isEmpty();
      assertThat(fleet.safety().locationChanges()).hasSizeGreaterThanOrEqualTo(7);
    }
  }

  @Test
  void anUnvalidatedStaleDeletionOverHttpIsCaught() {
    try (PageserverFleet fleet = PageserverFleet.start(2)) {
      HttpCalls stale = new HttpCalls(fleet.pageserver(1).baseUrl());
      HttpCalls current = new HttpCalls(fleet.pageserver(2).baseUrl());
      String location = "/v1/tenant/" + shard + "/location_config";
      stale.put(location, attached("AttachedSingle", 1));
      TimelineId timeline = TimelineId.generate();
      stale.post("/v1/tenant/" + shard + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}");
      current.put(location, attached("AttachedSingle", 2));
      // Without a controller the stale node's deletion is not validated, and runs.
      assertThat(stale.delete("/v1/tenant/" + shard + "/timeline/" + timeline).status())
          .isEqualTo(202);
      Eventually.await(
          Duration.ofSeconds(5),
          () -> fleet.safety().violations(),
          violations ->
              violations.stream().anyMatch(v -> v.invariant() == Invariant.VALIDATED_DELETION));
      assertThat(fleet.safety().violations())
          .extracting(Violation::invariant)
          .contains(Invariant.SINGLE_ATTACHED, Invariant.VALIDATED_DELETION);
    }
  }
}
