package io.storagecontroller.startup;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
import io.storagecontroller.workflows.startup.StartupReconcileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
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
  private final ServiceState state;
  private final TenantShardPersistence tenants;
  private final SerializableTransactions transactions;
  private final WorkflowClient workflows;
  private final BootId boot;
  private final Readiness readiness;

  public StartupSequence(
      NodeService nodes,
      ServiceState state,
      TenantShardPersistence tenants,
      SerializableTransactions transactions,
      WorkflowClient workflows,
      BootId boot,
      Readiness readiness) {
    this.nodes = nodes;
    this.state = state;
    this.tenants = tenants;
    this.transactions = transactions;
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
    List<TenantShardRow> rows = transactions.execute("list_tenant_shards", tenants::listAttachable);
    synchronized (state) {
      rows.forEach(state::load);
    }
    log.info(
        "loaded {} tenant shards; starting start-up reconcile (boot {})",
        rows.size(),
        boot.value());
    StartupReconcileWorkflow workflow =
        workflows.newWorkflowStub(
            StartupReconcileWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(StartupReconcileWorkflow.workflowId(boot.value()))
                .build());
    // Started, not awaited: the worker that runs it may start after this listener returns.
    WorkflowClient.start(workflow::run, boot.value());
  }
}
