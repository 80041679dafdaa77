package io.storagecontroller.orchestration;

import io.storagecontroller.evacuation.Evacuations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.workflows.node.NodeEvacuationWorkflowImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The benchmark's yardstick for Temporal's overhead: the same evacuation plan and batches as {@code
 * node/<id>/evacuate}, with the same batch size and window, run by calling the activity code
 * directly on threads. Off unless switched on through {@code PUT /debug/v1/evacuation_mode}; never
 * durable, so never for production.
 */
@Component
public class DirectEvacuation {
  private static final Logger log = LoggerFactory.getLogger(DirectEvacuation.class);

  private final Evacuations evacuations;
  private final AtomicBoolean enabled = new AtomicBoolean();

  public DirectEvacuation(Evacuations evacuations) {
    this.evacuations = evacuations;
  }

  public boolean enabled() {
    return enabled.get();
  }

  public void setEnabled(boolean on) {
    enabled.set(on);
    log.warn("evacuations now run {}", on ? "directly, without Temporal" : "as workflows");
  }

  /** Evacuates on a background thread; returns at once, like starting the workflow. */
  public void start(NodeId nodeId) {
    Thread thread = new Thread(() -> evacuate(nodeId), "direct-evacuation-" + nodeId);
    thread.setDaemon(true);
    thread.start();
  }

  private void evacuate(NodeId nodeId) {
    Evacuations.Plan plan = evacuations.plan(nodeId, "direct/node/" + nodeId + "/evacuate");
    List<TenantId> tenants = plan.tenants();
    ExecutorService window = Executors.newFixedThreadPool(NodeEvacuationWorkflowImpl.WINDOW);
    try {
      List<Future<Integer>> batches = new ArrayList<>();
      for (int from = 0; from < tenants.size(); from += NodeEvacuationWorkflowImpl.BATCH) {
        List<TenantId> batch =
            List.copyOf(
                tenants.subList(
                    from, Math.min(tenants.size(), from + NodeEvacuationWorkflowImpl.BATCH)));
        batches.add(window.submit(() -> evacuations.reconcileBatch(plan.operationId(), batch)));
      }
      for (Future<Integer> batch : batches) {
        try {
          batch.get();
        } catch (Exception e) {
          log.warn("direct evacuation batch failed: {}", e.getMessage());
        }
      }
      evacuations.finish(plan.operationId());
    } finally {
      window.shutdown();
    }
  }
}
