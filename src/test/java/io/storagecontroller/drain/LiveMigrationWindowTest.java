package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.storagecontroller.drain.LiveMigrationWindow.Move;
import io.storagecontroller.drain.LiveMigrationWindow.Outcome;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.reconcile.LiveMigrationSteps;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * A window's moves in the live-migration order, with the workflow's rules at the point of no
 * return, and safe to run again over the same window.
 */
class LiveMigrationWindowTest {
  static final NodeId ORIGIN = new NodeId(1);
  static final NodeId DESTINATION = new NodeId(2);
  static final TenantShardId A = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0002");
  static final TenantShardId B = TenantShardId.parse("2f359dd625e519a1a4e8d7509690f6fc-0002");

  LiveMigrationSteps steps = mock(LiveMigrationSteps.class);
  ShardMigrations migrations = mock(ShardMigrations.class);
  ShardStore store = mock(ShardStore.class);
  LiveMigrationWindow window = new LiveMigrationWindow(steps, migrations, store);

  @AfterEach
  void stop() {
    window.stop();
  }

  static Move move(TenantShardId shard) {
    return new Move(
        shard, ORIGIN, DESTINATION, true, Duration.ofSeconds(30), Duration.ofSeconds(5), false);
  }

  /** The shard held by the window's operation with its intent at the destination. */
  void heldForTheWindow(TenantShardId shard) {
    when(migrations.held(shard)).thenReturn(true);
    when(store.shard(shard)).thenReturn(Optional.of(intendedAt(shard, DESTINATION)));
  }

  static ShardView intendedAt(TenantShardId shard, NodeId attached) {
    return new ShardView(
        shard,
        ShardStripeSize.DEFAULT,
        Generation.of(3),
        ORIGIN,
        new PlacementPolicy.Attached(1),
        ShardSchedulingPolicy.ACTIVE,
        PageserverJson.mapper().createObjectNode(),
        false,
        7L,
        attached,
        List.of(),
        null,
        Map.of(),
        "",
        0);
  }

  void warmAndCaughtUp() {
    when(steps.warmUp(any(), any(), any())).thenReturn(true);
    when(steps.stepDownOrigin(any(), any()))
        .thenReturn(Map.of(TimelineId.generate(), Lsn.parse("0/16B5A50")));
    when(steps.attachDestination(any(), any())).thenReturn(Generation.of(2));
    when(steps.caughtUp(any(), any(), any())).thenReturn(true);
    when(steps.notifyCompute(any(), any())).thenReturn(true);
  }

  /** The destination stays cold; the latch opens once a move is warming up. */
  CountDownLatch coldDestination() {
    CountDownLatch warming = new CountDownLatch(1);
    when(steps.warmUp(any(), any(), any()))
        .thenAnswer(
            call -> {
              warming.countDown();
              Thread.sleep(20);
              return false;
            });
    return warming;
  }

  @Test
  void movesRunSideBySideInTheLiveMigrationOrder() {
    heldForTheWindow(A);
    heldForTheWindow(B);
    warmAndCaughtUp();

    Map<Outcome, Integer> outcomes = window.run(List.of(move(A), move(B)), false, () -> false);

    assertThat(outcomes).isEqualTo(Map.of(Outcome.COMPLETED, 2));
    for (TenantShardId shard : List.of(A, B)) {
      InOrder order = inOrder(steps);
      order.verify(steps).prepareDestination(shard, DESTINATION);
      order.verify(steps).warmUp(eq(shard), eq(DESTINATION), any());
      order.verify(steps).stepDownOrigin(shard, ORIGIN);
      order.verify(steps).attachDestination(shard, DESTINATION);
      order.verify(steps).caughtUp(eq(shard), eq(DESTINATION), any());
      order.verify(steps).notifyCompute(shard, ORIGIN);
      order.verify(steps).demoteOrigin(shard, ORIGIN, true);
      order.verify(steps).finalizeDestination(shard, DESTINATION);
    }
    verify(migrations, never()).revert(any(), any(), any());
  }

  @Test
  void aWindowRunWoundBackRevertsWhatHasNotPassedThePointOfNoReturnAndFinishesTheRest() {
    heldForTheWindow(A);
    heldForTheWindow(B);
    warmAndCaughtUp();
    // B's destination got its generation in an earlier run of the window.
    when(steps.holdsGeneration(B, DESTINATION)).thenReturn(true);

    Map<Outcome, Integer> outcomes = window.run(List.of(move(A), move(B)), true, () -> false);

    assertThat(outcomes).isEqualTo(Map.of(Outcome.REVERTED, 1, Outcome.COMPLETED, 1));
    verify(migrations).revert(A, ORIGIN, DESTINATION);
    verify(steps).reattachOrigin(A, ORIGIN);
    verify(steps, never()).stepDownOrigin(any(), any());
    verify(steps, never()).attachDestination(any(), any());
    // Going forward without waiting: no catch-up poll, the compute hook tried once (an undelivered
    // notification stays pending for the sweep), then the cut-over.
    verify(steps, never()).caughtUp(any(), any(), any());
    verify(steps, times(1)).notifyCompute(B, ORIGIN);
    verify(steps).demoteOrigin(B, ORIGIN, true);
    verify(steps).finalizeDestination(B, DESTINATION);
  }

  @Test
  void aCancelHeardWhileWarmingUpRevertsTheMove() throws Exception {
    heldForTheWindow(A);
    CountDownLatch warming = coldDestination();

    Map<Outcome, Integer> outcomes =
        window.run(
            List.of(move(A)),
            false,
            () -> {
              try {
                return warming.await(0, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(outcomes).isEqualTo(Map.of(Outcome.REVERTED, 1));
    verify(migrations).revert(A, ORIGIN, DESTINATION);
    verify(steps, never()).stepDownOrigin(any(), any());
  }

  @Test
  void aControllerThatStopsActingAbandonsItsWindowsForTheNextLeaderToResume() throws Exception {
    heldForTheWindow(A);
    CountDownLatch warming = coldDestination();
    CompletableFuture<Map<Outcome, Integer>> outcomes =
        CompletableFuture.supplyAsync(() -> window.run(List.of(move(A)), false, () -> false));
    assertThat(warming.await(10, TimeUnit.SECONDS)).isTrue();

    window.abandonAll();

    // Failed for a retry (the next leader's run), the move neither reverted nor carried on.
    assertThatThrownBy(() -> outcomes.join())
        .hasCauseInstanceOf(StepFailure.class)
        .hasMessageContaining("the next leader resumes them");
    assertThat(((StepFailure) outcomes.handle((r, e) -> e.getCause()).get()).retryable()).isTrue();
    verify(migrations, never()).revert(any(), any(), any());
    verify(steps, never()).stepDownOrigin(any(), any());
  }

  @Test
  void aShardNoLongerHeldForTheWindowIsLeftAlone() {
    heldForTheWindow(A);
    when(migrations.held(A)).thenReturn(false);
    // B is held, but its intent went back to the origin (reverted by an earlier run).
    heldForTheWindow(B);
    when(store.shard(B)).thenReturn(Optional.of(intendedAt(B, ORIGIN)));

    Map<Outcome, Integer> outcomes = window.run(List.of(move(A), move(B)), false, () -> false);

    assertThat(outcomes).isEqualTo(Map.of(Outcome.LEFT_ALONE, 2));
    verify(steps, never()).prepareDestination(any(), any());
    verify(migrations, never()).revert(any(), any(), any());
  }

  @Test
  void aFailureBeforeTheNewGenerationRevertsAndOneAfterItLeavesTheMoveToTheReconciler() {
    heldForTheWindow(A);
    heldForTheWindow(B);
    warmAndCaughtUp();
    when(steps.stepDownOrigin(eq(A), any()))
        .thenThrow(PageserverException.status(ORIGIN, "location_config", 400, "refused"));
    when(steps.holdsGeneration(B, DESTINATION)).thenReturn(false).thenReturn(true);
    doThrow(StepFailure.fatal("GenerationMovedOn", "moved on"))
        .when(steps)
        .finalizeDestination(B, DESTINATION);

    Map<Outcome, Integer> outcomes = window.run(List.of(move(A), move(B)), false, () -> false);

    assertThat(outcomes).isEqualTo(Map.of(Outcome.FAILED, 2));
    // A refused step is not tried again; A never got its generation, so it goes back.
    verify(steps, times(1)).stepDownOrigin(A, ORIGIN);
    verify(migrations).revert(A, ORIGIN, DESTINATION);
    verify(migrations, never()).revert(eq(B), any(), any());
  }

  @Test
  void aStepThatMayPassIsTriedAgain() {
    heldForTheWindow(A);
    warmAndCaughtUp();
    when(steps.attachDestination(A, DESTINATION))
        .thenThrow(PageserverException.status(DESTINATION, "location_config", 503, "busy"))
        .thenReturn(Generation.of(2));

    Map<Outcome, Integer> outcomes = window.run(List.of(move(A)), false, () -> false);

    assertThat(outcomes).isEqualTo(Map.of(Outcome.COMPLETED, 1));
    verify(steps, times(2)).attachDestination(A, DESTINATION);
    verify(steps).demoteOrigin(eq(A), eq(ORIGIN), anyBoolean());
  }
}
