package io.storagecontroller.orchestration;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.node.NodeCameBack;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.startup.Readiness;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The controller's background work, listed in one place. Each pass is level-triggered: it repairs
 * whatever it finds, whatever event was missed; events only make a pass come sooner.
 *
 * <ul>
 *   <li>every {@code --heartbeat-interval}: heartbeats decide node availability ({@code
 *       Heartbeater}, on its own pool so that a dead node's timeout delays nothing here);
 *   <li>every {@code --control-loop-interval} ({@link #PERIOD} by default) once start-up is done:
 *       generations re-read for tenants whose generation write failed in a way that may have
 *       committed (memory must not stay behind the database); the evacuation of every node offline
 *       (for {@code --max-offline-interval}) that still has attached shards, whatever event was
 *       missed; the reconcile sweep (intent against observed state, undelivered compute
 *       notifications; a tenant asked for within the period is left to that request); then the
 *       repair of long operations (a running row whose workflow is gone, shards still held by an
 *       operation that is over); then the optimiser's workflow is started if it is not running
 *       ({@code BackgroundOptimiser}; its passes, every {@code --optimiser-interval} while nothing
 *       moves, run in that workflow); then auto-split, which starts at most one split of a tenant
 *       that has outgrown its shards ({@code AutoSplit});
 *   <li>at once when a node becomes active (back from Offline, or warmed up after a re-attach): a
 *       scan of what it holds ({@code NodeActivation}: observed state, strays detached) and a
 *       sweep, so its stale locations are cleaned up now;
 *   <li>every {@link #LOCK_CHECK}, from the start: that this controller still holds the database's
 *       leader lock ({@code Leadership}; it stops the process if another controller took it).
 * </ul>
 *
 * Beside the loop, on their own threads because they are not about shards: the in-process Temporal
 * service's retention ({@code FinishedWorkflowRetention}, embedded defaults only) and the watch on
 * reconciles running past {@code --long-reconcile-threshold} ({@code ReconcileSlots}).
 *
 * <p>Nothing runs before the start-up scan has learnt what every node holds: until then a shard's
 * observed state is empty, not unknown, and a reconcile would attach beside locations nobody has
 * asked about yet (the start-up workflow sweeps once its scan is done).
 */
@Component
public class ControlLoop implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

  /** Neon's BACKGROUND_RECONCILE_PERIOD: the default of {@code --control-loop-interval}. */
  static final Duration PERIOD = Duration.ofSeconds(20);

  static final Duration LOCK_CHECK = Duration.ofSeconds(5);

  private final ReconcileSweep sweep;
  private final OperationRepair operations;
  private final Readiness readiness;
  private final Leadership leadership;
  private final EvacuationTrigger evacuations;
  private final NodeActivation activation;
  private final ShardStore store;
  private final BackgroundOptimiser optimiser;
  private final AutoSplit autoSplit;
  private final Duration period;
  private ScheduledExecutorService ticker;

  public ControlLoop(
      ReconcileSweep sweep,
      OperationRepair operations,
      Readiness readiness,
      Leadership leadership,
      EvacuationTrigger evacuations,
      NodeActivation activation,
      ShardStore store,
      BackgroundOptimiser optimiser,
      AutoSplit autoSplit,
      ControllerProperties properties) {
    this.autoSplit = autoSplit;
    this.period = properties.controlLoopInterval();
    this.sweep = sweep;
    this.optimiser = optimiser;
    this.store = store;
    this.operations = operations;
    this.readiness = readiness;
    this.leadership = leadership;
    this.evacuations = evacuations;
    this.activation = activation;
  }

  /** One pass; skipped until start-up is done. */
  void pass() {
    if (!readiness.isReady()) {
      return;
    }
    run("re-read of ambiguous generation writes", store::resolveAmbiguousCommits);
    run("evacuation of offline nodes", evacuations::evacuateOfflineNodes);
    run("reconcile sweep", () -> sweep.sweep(period));
    run("operation repair", operations::repair);
    run("optimiser start", optimiser::ensureRunning);
    run("auto-split", autoSplit::pass);
  }

  @EventListener
  public synchronized void onNodeCameBack(NodeCameBack event) {
    if (ticker != null && readiness.isReady()) {
      log.info("node {} is active: scanning it and sweeping now", event.nodeId());
      ticker.execute(
          () -> {
            run("scan of node " + event.nodeId(), () -> activation.activate(event.nodeId()));
            run("reconcile sweep", sweep::sweep);
          });
    }
  }

  private static void run(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.error("{} failed; the next pass tries again", what, e);
    }
  }

  @Override
  public synchronized void start() {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "control-loop");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::pass, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    ticker.scheduleWithFixedDelay(
        () -> run("leader lock check", leadership::verifyLock),
        LOCK_CHECK.toMillis(),
        LOCK_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return ticker != null;
  }
}
