package io.storagecontroller.orchestration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.leadership.LeadershipStatus;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.startup.BootId;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.startup.StartupScan;
import io.storagecontroller.temporal.WorkflowWarmUp;
import io.storagecontroller.workflows.startup.StartupReconcileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Once the service is up: a candidate takes over from the leader first (until then it answers only
 * its probes); then nodes and shards are loaded from Postgres into memory, the Temporal workers
 * start polling, and the start-up reconcile workflow scans the pageservers (those the previous
 * leader's snapshot covers are taken from it) and turns {@code /ready} to 200 when done.
 */
@Component
public class StartupSequence {
  private static final Logger log = LoggerFactory.getLogger(StartupSequence.class);

  /** As long as a candidate waits for the leader lock while the database cannot be reached. */
  private static final Duration DATABASE_PATIENCE = Duration.ofSeconds(60);

  private final NodeService nodes;
  private final ShardStore store;
  private final WorkflowStubs stubs;
  private final BootId boot;
  private final Readiness readiness;
  private final Leadership leadership;
  private final ObjectProvider<WorkerFactory> workers;
  private final StartupScan scan;
  private final PageserverClients pageservers;
  private final WorkflowWarmUp warmUp;
  private final ReconcileSweep sweep;

  public StartupSequence(
      NodeService nodes,
      ShardStore store,
      WorkflowStubs stubs,
      BootId boot,
      Readiness readiness,
      Leadership leadership,
      ObjectProvider<WorkerFactory> workers,
      StartupScan scan,
      PageserverClients pageservers,
      WorkflowWarmUp warmUp,
      ReconcileSweep sweep) {
    this.sweep = sweep;
    this.pageservers = pageservers;
    this.warmUp = warmUp;
    this.leadership = leadership;
    this.workers = workers;
    this.scan = scan;
    this.nodes = nodes;
    this.store = store;
    this.stubs = stubs;
    this.boot = boot;
    this.readiness = readiness;
  }

  /** First among the ready listeners: the others (e.g. operation repair) need nodes loaded. */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  public void onReady() {
    Set<NodeId> readAhead = null;
    List<Node> aheadNodes = List.of();
    if (leadership.status() == LeadershipStatus.CANDIDATE) {
      long reading = System.nanoTime();
      try {
        aheadNodes = nodes.readAhead();
        readAhead = aheadNodes.stream().map(Node::id).collect(Collectors.toSet());
        int read = store.readAhead();
        log.info(
            "candidate: up; read {} nodes and {} tenant shards ahead in {} ms; taking over from"
                + " the leader",
            readAhead.size(),
            read,
            (System.nanoTime() - reading) / 1_000_000);
      } catch (RuntimeException e) {
        // Only a warm-up (the database may be down): the takeover loads everything anyway, and
        // waits for the database.
        log.warn("candidate: up; could not read ahead ({}); taking over", e.getMessage());
        store.discardReadAhead();
      }
      warmUp.run(TaskQueues.CONTROLLER);
      List<Node> warmNodes = aheadNodes;
      Set<NodeId> warmIds = readAhead == null ? Set.of() : readAhead;
      long asked = System.nanoTime();
      scan.useSnapshot(
          leadership.takeOver(
              observed -> {
                // Just before asking: memory as current as it can be, then the leader's view,
                // then the HTTP clients the start-up's first calls to the nodes will use.
                try {
                  store.catchUp();
                } catch (RuntimeException e) {
                  // Only a warm-up (the database may be restarting): the takeover's load finds it.
                  log.warn("candidate: could not catch up before asking ({})", e.getMessage());
                }
                scan.observeAhead(observed);
                log.info(
                    "candidate: {} shards differ from their intent in what was read ahead",
                    sweep.countDirty(warmIds));
                pageservers.warmUp(warmNodes);
              }));
      log.info("candidate: leading {} ms after asking", (System.nanoTime() - asked) / 1_000_000);
    }
    readiness.startupBegins();
    // A restart warms its workflow code while it loads (a candidate did while it waited).
    CompletableFuture<Integer> warm =
        readAhead != null
            ? CompletableFuture.completedFuture(0)
            : CompletableFuture.supplyAsync(
                () -> warmUp.run(TaskQueues.CONTROLLER),
                task -> new Thread(task, "workflow-warm-up").start());
    long loading = System.nanoTime();
    Set<NodeId> live = withDatabasePatience("nodes", nodes::load);
    if (readAhead != null && !live.containsAll(readAhead)) {
      // A node deleted meanwhile: its shards' intents still count on it; start from nothing.
      log.info("nodes deleted since the read ahead: loading every shard again");
      store.discardReadAhead();
      Set<NodeId> deleted = new HashSet<>(readAhead);
      deleted.removeAll(live);
      nodes.forgetDeleted(deleted);
    }
    if (readAhead == null) {
      // A restart: the nodes' listings come while the shards load (a new leader takes the
      // previous one's snapshot instead).
      scan.listAhead(live);
    }
    int loaded = withDatabasePatience("tenant shards", store::loadAll);
    log.info(
        "loaded {} tenant shards in {} ms; starting start-up reconcile (boot {})",
        loaded,
        (System.nanoTime() - loading) / 1_000_000,
        boot.value());
    // Only now: a workflow of the previous leader resumed here acts on memory, which must be the
    // database's (a candidate's memory read ahead may be older) before the first step runs.
    // The previous leader's snapshot goes into memory while the workers start and the start-up
    // workflow's first task is fetched.
    scan.applySnapshotInBackground();
    warm.join();
    long starting = System.nanoTime();
    workers.ifAvailable(WorkerFactory::start);
    log.info("workers polling in {} ms", (System.nanoTime() - starting) / 1_000_000);
    // Urgent: every API call waits for it, and a new leader's workers find the previous leader's
    // workflows' tasks queued ahead of it.
    StartupReconcileWorkflow workflow =
        stubs.urgent(
            StartupReconcileWorkflow.class,
            StartupReconcileWorkflow.workflowId(boot.value()),
            WorkflowTags.of("startup"));
    // Started, not awaited: readiness comes from the workflow when its scan is done.
    WorkflowClient.start(workflow::run, boot.value());
  }

  /**
   * A load the start cannot go on without, retried while the database is unreachable (a new leader
   * taking over as the database restarts) for up to {@link #DATABASE_PATIENCE}, then given up.
   */
  private static <T> T withDatabasePatience(String what, Supplier<T> load) {
    long deadline = System.nanoTime() + DATABASE_PATIENCE.toNanos();
    while (true) {
      try {
        return load.get();
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        log.warn("could not load the {} yet, retrying: {}", what, e.getMessage());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while loading the " + what, e);
      }
    }
  }
}
