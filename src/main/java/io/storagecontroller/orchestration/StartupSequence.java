package io.storagecontroller.orchestration;

import io.storagecontroller.node.NodeService;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.startup.BootId;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.workflows.startup.StartupReconcileWorkflow;
import io.temporal.client.WorkflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Once the service is up: load nodes and shards from Postgres into memory, then start the start-up
 * reconcile workflow, which scans the pageservers and turns {@code /ready} to 200 when done.
 */
@Component
public class StartupSequence {
  private static final Logger log = LoggerFactory.getLogger(StartupSequence.class);

  private final NodeService nodes;
  private final ShardStore store;
  private final WorkflowClient workflows;
  private final BootId boot;
  private final Readiness readiness;

  public StartupSequence(
      NodeService nodes,
      ShardStore store,
      WorkflowClient workflows,
      BootId boot,
      Readiness readiness) {
    this.nodes = nodes;
    this.store = store;
    this.workflows = workflows;
    this.boot = boot;
    this.readiness = readiness;
  }

  /** First among the ready listeners: the others (e.g. operation repair) need nodes loaded. */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  public void onReady() {
    readiness.startupBegins();
    nodes.load();
    int loaded = store.loadAll();
    log.info(
        "loaded {} tenant shards; starting start-up reconcile (boot {})", loaded, boot.value());
    StartupReconcileWorkflow workflow =
        WorkflowStubs.of(
            workflows,
            StartupReconcileWorkflow.class,
            StartupReconcileWorkflow.workflowId(boot.value()));
    // Started, not awaited: the worker that runs it may start after this listener returns.
    WorkflowClient.start(workflow::run, boot.value());
  }
}
