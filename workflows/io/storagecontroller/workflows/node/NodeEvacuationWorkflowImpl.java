package io.storagecontroller.workflows.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.node.EvacuationActivities;
import io.storagecontroller.activities.node.EvacuationPlan;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.workflows.OperationSteps;
import io.temporal.failure.ActivityFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;

/** See {@link NodeEvacuationWorkflow}; returns how many tenants were reconciled. */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class NodeEvacuationWorkflowImpl implements NodeEvacuationWorkflow {
  /**
   * Tenants per batch activity. The controller reconciles a batch's tenants side by side, at most
   * 64 at once for all the batches in flight (Neon's bound of reconciles per operation), so four
   * batches of 64 keep that many busy with a quarter of the activity tasks (and workflow tasks) of
   * batches of 16: at 10,000 tenants, 157 activities rather than 625.
   */
  public static final int BATCH = 64;

  /** Tenants per batch activity in runs before {@link #BATCHES_OF_64}. */
  static final int FIRST_BATCH = 16;

  /** Batches in flight. */
  public static final int WINDOW = 4;

  /** Change id: batches of {@link #BATCH} tenants, not {@link #FIRST_BATCH}. */
  static final String BATCHES_OF_64 = "batches-of-64";

  /** Change id: the window takes the next batch when any batch is done, not the oldest. */
  static final String REFILL_ON_ANY = "refill-on-any";

  /** Change id: a plan that fails closes the operation it started (releasing its holds). */
  static final String ABANDON_FAILED_PLAN = "abandon-failed-plan";

  private static final Logger log = Workflow.getLogger(NodeEvacuationWorkflowImpl.class);

  private final EvacuationActivities activities =
      OperationSteps.stub(EvacuationActivities.class, Duration.ofMinutes(5));

  @Override
  public long evacuate(NodeId nodeId) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    EvacuationPlan plan;
    try {
      plan = activities.plan(nodeId, workflowId);
    } catch (ActivityFailure e) {
      // The plan holds the shards it moved: a failed one lets them go to the sweep now, not when
      // the operation repair finds the operation's workflow over.
      if (Workflow.getVersion(ABANDON_FAILED_PLAN, Workflow.DEFAULT_VERSION, 1)
          != Workflow.DEFAULT_VERSION) {
        activities.abandon(nodeId, workflowId, OperationSteps.reason(e));
      }
      throw e;
    }
    List<TenantId> tenants = plan.tenantIds();
    int size =
        Workflow.getVersion(BATCHES_OF_64, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
            ? FIRST_BATCH
            : BATCH;
    long done = 0;
    List<Promise<Integer>> window = new ArrayList<>();
    for (int from = 0; from < tenants.size(); from += size) {
      List<TenantId> batch =
          new ArrayList<>(tenants.subList(from, Math.min(tenants.size(), from + size)));
      window.add(Async.function(activities::reconcileBatch, plan.operationId(), batch));
      if (window.size() >= WINDOW) {
        done += makeRoom(window);
      }
    }
    for (Promise<Integer> p : window) {
      done += settle(p);
    }
    activities.finish(plan.operationId(), done);
    return done;
  }

  /**
   * Waits until a batch in the window is done and takes every finished one out. Runs before this
   * change waited for the oldest batch, leaving the others' slots empty behind a slow one (a tenant
   * of eight shards): the window was seldom full.
   */
  private int makeRoom(List<Promise<Integer>> window) {
    if (Workflow.getVersion(REFILL_ON_ANY, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return settle(window.remove(0));
    }
    Workflow.await(() -> window.stream().anyMatch(Promise::isCompleted));
    int done = 0;
    for (Iterator<Promise<Integer>> it = window.iterator(); it.hasNext(); ) {
      Promise<Integer> batch = it.next();
      if (batch.isCompleted()) {
        done += settle(batch);
        it.remove();
      }
    }
    return done;
  }

  private static int settle(Promise<Integer> batch) {
    try {
      return batch.get();
    } catch (ActivityFailure e) {
      // Shards left dirty are retried by the sweep.
      log.warn("evacuation batch failed: {}", e.getMessage());
      return 0;
    }
  }
}
