package io.storagecontroller.workflows.startup;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.startup.NodeScan;
import io.storagecontroller.activities.startup.StartupActivities;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.workflows.PageserverSteps;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * See {@link StartupReconcileWorkflow}. A node that does not answer in time does not hold up
 * readiness.
 */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class StartupReconcileWorkflowImpl implements StartupReconcileWorkflow {
  /** Neon bounds the whole node scan at start-up. */
  static final Duration SCAN_DEADLINE = Duration.ofSeconds(15);

  /**
   * Compute notifications go out in bounded batches so they never starve the API (Neon's #7495).
   */
  static final int NOTIFY_BATCH = 64;

  private static final Logger log = Workflow.getLogger(StartupReconcileWorkflowImpl.class);

  private static final ActivityOptions STEP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
          .build();

  /** Neon: 5 s per list call, 5 attempts. */
  private static final RetryOptions SCAN_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setMaximumAttempts(5)
          .build();

  private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(5);

  /** The steps after readiness, which may take long (compute notifications): activity tasks. */
  private final StartupActivities afterReady =
      Workflow.newActivityStub(StartupActivities.class, STEP);

  private StartupActivities untilReady;
  private StartupActivities scan;

  @Override
  public StartupSummary run(String bootId) {
    chooseStubsUntilReady();
    List<NodeId> nodes = untilReady.nodesToScan(bootId);
    List<Promise<NodeScan>> scans = new ArrayList<>(nodes.size());
    for (NodeId node : nodes) {
      scans.add(Async.function(scan::scanNode, bootId, node));
    }
    // Not Promise.allOf: it completes at the first failure, and the other nodes still deserve a
    // chance.
    Workflow.await(SCAN_DEADLINE, () -> scans.stream().allMatch(Promise::isCompleted));
    int scanned = 0;
    int locations = 0;
    int strays = 0;
    List<NodeId> withStrays = new ArrayList<>();
    for (int i = 0; i < scans.size(); i++) {
      Promise<NodeScan> p = scans.get(i);
      if (!p.isCompleted() || p.getFailure() != null) {
        log.warn("start-up scan of node {} did not complete", nodes.get(i));
        continue;
      }
      NodeScan result = p.get();
      scanned++;
      locations += result.locations();
      strays += result.strays();
      if (result.strays() > 0) {
        withStrays.add(result.nodeId());
      }
    }
    int reconciles = untilReady.reconcileDirty(bootId);
    untilReady.markReady(bootId);

    int notified = 0;
    List<TenantId> tenants = afterReady.tenantsToNotify(bootId);
    for (int from = 0; from < tenants.size(); from += NOTIFY_BATCH) {
      List<TenantId> batch = tenants.subList(from, Math.min(tenants.size(), from + NOTIFY_BATCH));
      try {
        afterReady.notifyComputes(bootId, new ArrayList<>(batch));
        notified += batch.size();
      } catch (ActivityFailure e) {
        log.warn(
            "compute notifications for {} tenants failed; the sweep retries: {}",
            batch.size(),
            e.getMessage());
      }
    }
    for (NodeId node : withStrays) {
      try {
        afterReady.detachStrays(bootId, node);
      } catch (ActivityFailure e) {
        log.warn("stray locations on node {} not cleaned up: {}", node, e.getMessage());
      }
    }
    return new StartupSummary(nodes.size(), scanned, locations, strays, reconciles, notified);
  }

  /**
   * The steps until readiness gate every API call after a restart and take milliseconds, so they
   * run as local activities: no round trip through the service for each. Runs begun before that
   * change ({@link PageserverSteps#LOCAL_ACTIVITIES}) keep calling them as activity tasks.
   */
  private void chooseStubsUntilReady() {
    if (Workflow.getVersion(PageserverSteps.LOCAL_ACTIVITIES, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      untilReady = afterReady;
      scan =
          Workflow.newActivityStub(
              StartupActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(SCAN_TIMEOUT)
                  .setRetryOptions(SCAN_RETRY)
                  .build());
      return;
    }
    untilReady =
        Workflow.newLocalActivityStub(
            StartupActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(STEP.getStartToCloseTimeout())
                .setRetryOptions(STEP.getRetryOptions())
                .build());
    // A workflow task waiting on local activities sends its commands (the deadline's timer among
    // them) only when it heartbeats, 8 s in; bounding the scan itself keeps the deadline at 15 s.
    // Each attempt may take the whole deadline: the list call has its own 5 s timeout, and what
    // follows it (reading and applying tens of thousands of locations, ten nodes at once on a
    // small machine) must not be cut off and started again. (Local activities' timeouts are not
    // in the history: runs under way replay the same.)
    scan =
        Workflow.newLocalActivityStub(
            StartupActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(SCAN_DEADLINE)
                .setScheduleToCloseTimeout(SCAN_DEADLINE)
                .setRetryOptions(SCAN_RETRY)
                .build());
  }
}
