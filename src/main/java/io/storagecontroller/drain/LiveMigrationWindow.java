package io.storagecontroller.drain;

import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.reconcile.LiveMigrationSteps;
import io.storagecontroller.shard.ShardStore;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * A drain's or fill's window of live migrations, run side by side in this process: each shard in
 * Neon's live-migration order ({@link LiveMigrationSteps}) with the migration workflow's waits
 * between the steps (warm-up, catch-up, compute notification). A child workflow per shard, with its
 * eight local activities, was two fifths of the controller's CPU while it drained 10,000 shards at
 * 100,000; the window is one activity of the drain's workflow instead.
 *
 * <p>The point of no return is the destination's new generation, as in the workflow: a cancel or
 * failure before it gives the attachment back to the origin, after it the move goes forward (a
 * cancel skips the remaining waits). Running a window again (its activity retried after its
 * controller died, or wound back after a cancel) is safe: a shard no longer held with its intent at
 * the destination is left alone, one whose destination holds the newest generation already goes
 * forward from there, and any other begins again.
 */
@Component
public class LiveMigrationWindow {
  private static final Logger log = LoggerFactory.getLogger(LiveMigrationWindow.class);

  /** Threads for migrations in flight: a window's size (Neon's MAX_RECONCILES_PER_OPERATION). */
  static final int THREADS = 64;

  /** As the workflow: Neon polls the destination's LSNs every 500 ms, for at most 60 s. */
  static final Duration LSN_POLL = Duration.ofMillis(500);

  static final Duration LSN_TIMEOUT = Duration.ofSeconds(60);

  /** As the workflow: notifying computes is bounded; an undelivered one stays for the sweep. */
  static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);

  /** How often the caller is asked whether the window was cancelled. */
  static final Duration CANCEL_CHECK = Duration.ofMillis(250);

  /** Each step is tried three times, 1 s then 2 s apart, as the workflow's local activities. */
  static final int ATTEMPTS = 3;

  /** One shard's move, with its warm-up bounds (Neon's 30 s / 5 s for drain and fill). */
  public record Move(
      TenantShardId shard,
      NodeId origin,
      NodeId destination,
      boolean prewarm,
      Duration warmup,
      Duration warmupRequest,
      boolean requireWarm) {}

  /**
   * How a move ended; {@link #LEFT_ALONE} when the shard was no longer this window's to move,
   * {@link #ABANDONED} when this controller stopped acting before it ended (the window's next run
   * carries it on).
   */
  public enum Outcome {
    COMPLETED,
    REVERTED,
    FAILED,
    LEFT_ALONE,
    ABANDONED
  }

  private final LiveMigrationSteps steps;
  private final ShardMigrations migrations;
  private final ShardStore store;
  private final ExecutorService sideBySide;

  /** The runs in flight, which {@link #windDownAll} cancels. */
  private final Set<Run> running = ConcurrentHashMap.newKeySet();

  public LiveMigrationWindow(
      LiveMigrationSteps steps, ShardMigrations migrations, ShardStore store) {
    this.steps = steps;
    this.migrations = migrations;
    this.store = store;
    CustomizableThreadFactory threads = new CustomizableThreadFactory("migration-window-");
    threads.setDaemon(true);
    this.sideBySide = Executors.newFixedThreadPool(THREADS, threads);
  }

  /**
   * Runs the moves side by side and returns how each ended, once all have. {@code cancelled} winds
   * the window back from the start; {@code cancelRequested} is asked every {@link #CANCEL_CHECK}
   * meanwhile (the activity's heartbeat, which hears of a cancel).
   */
  public Map<Outcome, Integer> run(
      List<Move> window, boolean cancelled, BooleanSupplier cancelRequested) {
    Run run = new Run(cancelled);
    running.add(run);
    try {
      return run(window, run, cancelRequested);
    } finally {
      running.remove(run);
    }
  }

  private Map<Outcome, Integer> run(List<Move> window, Run run, BooleanSupplier cancelRequested) {
    List<CompletableFuture<Outcome>> moving = new ArrayList<>(window.size());
    for (Move move : window) {
      moving.add(CompletableFuture.supplyAsync(() -> run.move(move), sideBySide));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(moving.toArray(CompletableFuture[]::new));
    while (!all.isDone()) {
      try {
        all.get(CANCEL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillMoving) {
        if (!run.cancelled() && cancelRequested.getAsBoolean()) {
          log.info("migration window of {} shards cancelled", window.size());
          run.cancel();
        }
      } catch (ExecutionException | InterruptedException e) {
        // A move's own failures are its outcome; anything else is left for the join below.
        if (e instanceof InterruptedException) {
          run.cancel();
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    moving.forEach(m -> outcomes.merge(m.join(), 1, Integer::sum));
    log.info("migration window of {} shards ended: {}", window.size(), outcomes);
    if (outcomes.containsKey(Outcome.ABANDONED)) {
      // Retried by the next leader's workers: its run resumes each move where this one stopped.
      throw StepFailure.retryLater(
          "WindowAbandoned",
          "this controller stopped acting with "
              + outcomes.get(Outcome.ABANDONED)
              + " moves of the window under way; the next leader resumes them");
    }
    return outcomes;
  }

  /**
   * This controller stops acting (it steps down, or was deposed): each move of the windows in
   * flight stops before its next step, neither reverted nor carried forward, and the windows fail
   * retryably, so that the drain's workflow runs them again on the next leader, which resumes every
   * move where it stopped. Without this a window would go on for up to minutes in a process that no
   * longer leads, its pageserver calls unfenced.
   */
  public void abandonAll() {
    if (!running.isEmpty()) {
      log.warn("this controller stops acting: abandoning {} migration windows", running.size());
    }
    running.forEach(Run::abandon);
  }

  @PreDestroy
  void stop() {
    sideBySide.shutdownNow();
  }

  /** One run of a window: its moves share its cancel. */
  private final class Run {
    private final CountDownLatch cancel = new CountDownLatch(1);
    private volatile boolean abandoned;

    Run(boolean cancelled) {
      if (cancelled) {
        cancel.countDown();
      }
    }

    void cancel() {
      cancel.countDown();
    }

    /** Stops every move before its next step; waits end at once. */
    void abandon() {
      abandoned = true;
      cancel.countDown();
    }

    boolean cancelled() {
      return cancel.getCount() == 0;
    }

    /** Waits up to {@code wait}; true when the window was cancelled meanwhile. */
    boolean cancelledWithin(Duration wait) {
      try {
        return cancel.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }

    Outcome move(Move move) {
      TenantShardId id = move.shard();
      MDC.put("tenant_shard_id", id.toString());
      try {
        if (!stillThisWindows(move)) {
          log.warn(
              "{}: no longer held with its intent at node {}: left alone", id, move.destination());
          return Outcome.LEFT_ALONE;
        }
        if (steps.holdsGeneration(id, move.destination())) {
          // Past the point of no return in an earlier run of this window.
          return forward(move, Map.of());
        }
        return fromTheStart(move);
      } catch (Abandoned e) {
        log.info("{}: move to node {} abandoned before its next step", id, move.destination());
        return Outcome.ABANDONED;
      } catch (RuntimeException e) {
        return recover(move, e);
      } finally {
        MDC.remove("tenant_shard_id");
      }
    }

    private Outcome fromTheStart(Move move) {
      TenantShardId id = move.shard();
      if (move.prewarm() && !cancelled()) {
        step(() -> steps.prepareDestination(id, move.destination()));
        if (!warmUp(move) && move.requireWarm() && !cancelled()) {
          log.info("{}: destination still cold after {}", id, move.warmup());
          return revert(move);
        }
      }
      if (cancelled()) {
        return revert(move);
      }
      Map<TimelineId, Lsn> baseline = step(() -> steps.stepDownOrigin(id, move.origin()));
      if (cancelled()) {
        return revert(move);
      }
      step(() -> steps.attachDestination(id, move.destination()));
      return forward(move, baseline);
    }

    /** After the point of no return: catch-up, computes, then the destination alone. */
    private Outcome forward(Move move, Map<TimelineId, Lsn> baseline) {
      TenantShardId id = move.shard();
      awaitCatchUp(move, baseline);
      notifyCompute(move);
      step(() -> steps.demoteOrigin(id, move.origin(), true));
      step(() -> steps.finalizeDestination(id, move.destination()));
      return Outcome.COMPLETED;
    }

    private boolean warmUp(Move move) {
      long deadline = System.nanoTime() + move.warmup().toNanos();
      while (!cancelled() && System.nanoTime() < deadline) {
        if (step(() -> steps.warmUp(move.shard(), move.destination(), move.warmupRequest()))) {
          return true;
        }
      }
      return false;
    }

    private void awaitCatchUp(Move move, Map<TimelineId, Lsn> baseline) {
      if (baseline.isEmpty()) {
        return;
      }
      long deadline = System.nanoTime() + LSN_TIMEOUT.toNanos();
      while (!cancelled()
          && !step(() -> steps.caughtUp(move.shard(), move.destination(), baseline))) {
        if (System.nanoTime() >= deadline) {
          log.warn("{}: destination did not catch up in {}", move.shard(), LSN_TIMEOUT);
          return;
        }
        if (cancelledWithin(LSN_POLL)) {
          return;
        }
      }
    }

    /**
     * Neon retries with backoff min(2^n, 10) s; bounded here, the sweep resends what is pending.
     * Tried once even in a cancelled window: an undelivered notification is then marked pending,
     * where skipping it would leave the computes pointed at the origin with nothing to resend it.
     */
    private void notifyCompute(Move move) {
      long deadline = System.nanoTime() + NOTIFY_TIMEOUT.toNanos();
      for (int attempt = 0; ; attempt++) {
        if (step(() -> steps.notifyCompute(move.shard(), move.origin()))) {
          return;
        }
        if (cancelled()
            || System.nanoTime() >= deadline
            || cancelledWithin(Duration.ofSeconds(Math.min(1L << Math.min(attempt, 4), 10)))) {
          return;
        }
      }
    }

    /**
     * After a failed step: if the destination never got its generation the origin takes the
     * attachment back; otherwise the reconcile after the window finishes the move.
     */
    private Outcome recover(Move move, RuntimeException failure) {
      log.warn("migration of {} failed: {}", move.shard(), failure.getMessage());
      try {
        if (!steps.holdsGeneration(move.shard(), move.destination())) {
          revert(move);
        }
      } catch (Abandoned e) {
        throw e;
      } catch (RuntimeException e) {
        log.warn("migration of {} could not be rolled back: {}", move.shard(), e.getMessage());
      }
      return Outcome.FAILED;
    }

    private Outcome revert(Move move) {
      try {
        step(
            () -> {
              migrations.revert(move.shard(), move.origin(), move.destination());
              steps.reattachOrigin(move.shard(), move.origin());
            });
      } catch (Abandoned e) {
        throw e;
      } catch (RuntimeException e) {
        log.warn("revert of {} failed: {}", move.shard(), e.getMessage());
      }
      return Outcome.REVERTED;
    }

    private void step(Runnable step) {
      step(
          () -> {
            step.run();
            return null;
          });
    }

    /**
     * A step, unless this controller stopped acting; tried again after a failure that may pass (as
     * the workflow's activity retries).
     */
    private <T> T step(Supplier<T> step) {
      for (int attempt = 1; ; attempt++) {
        if (abandoned) {
          throw new Abandoned();
        }
        try {
          return step.get();
        } catch (RuntimeException e) {
          if (attempt >= ATTEMPTS || !retryable(e)) {
            throw e;
          }
          sleep(Duration.ofSeconds(1L << (attempt - 1)));
        }
      }
    }
  }

  /** A move stopped because this controller stopped acting. */
  private static final class Abandoned extends RuntimeException {
    Abandoned() {
      super("this controller stopped acting", null, false, false);
    }
  }

  /** Held (by this window's operation) with its intent still at the destination. */
  private boolean stillThisWindows(Move move) {
    return migrations.held(move.shard())
        && store
            .shard(move.shard())
            .map(s -> move.destination().equals(s.attached()))
            .orElse(false);
  }

  private static boolean retryable(RuntimeException e) {
    if (e instanceof StepFailure f) {
      return f.retryable();
    }
    if (e instanceof PageserverException p) {
      return p.retryable();
    }
    return !(e instanceof FailpointTriggered);
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between attempts", e);
    }
  }
}
