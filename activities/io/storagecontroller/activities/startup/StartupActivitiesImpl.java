package io.storagecontroller.activities.startup;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.startup.StartupScan;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** Start-up's steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class StartupActivitiesImpl implements StartupActivities {
  /**
   * How long one batch of start-up notifications is waited for: inside the activity's 30 s
   * start-to-close timeout. What is still in flight then goes on in the background.
   */
  static final Duration NOTIFY_BATCH_WAIT = Duration.ofSeconds(25);

  private final StartupScan startup;

  public StartupActivitiesImpl(StartupScan startup) {
    this.startup = startup;
  }

  @Override
  public List<NodeId> nodesToScan(String bootId) {
    return startup.nodesToScan(bootId);
  }

  @Override
  public NodeScan scanNode(String bootId, NodeId node) {
    int locations = startup.scanNode(bootId, node);
    return new NodeScan(node, locations, startup.straysOf(node));
  }

  @Override
  public int reconcileDirty(String bootId) {
    return startup.reconcileDirty(bootId);
  }

  @Override
  public void markReady(String bootId) {
    startup.markReady(bootId);
  }

  @Override
  public List<TenantId> tenantsToNotify(String bootId) {
    return startup.tenantsToNotify(bootId);
  }

  @Override
  public void notifyComputes(String bootId, List<TenantId> tenants) {
    startup.notifyComputes(bootId, tenants, NOTIFY_BATCH_WAIT);
  }

  @Override
  public int detachStrays(String bootId, NodeId node) {
    return startup.detachStrays(bootId, node);
  }
}
