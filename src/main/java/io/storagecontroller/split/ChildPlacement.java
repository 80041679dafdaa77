package io.storagecontroller.split;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.scheduler.ScheduleRequest;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where a split's children go once committed. They start where their parent was split (that is
 * where their data is); one by one, in shard order, a child moves when the scheduler finds a node
 * holding fewer of the tenant's shards (or its node may no longer take shards). A child that moves
 * keeps its origin as a secondary when the policy wants secondaries, since that copy is warm. Then
 * the secondaries the policy asks for are scheduled with the same tenant-wide context.
 */
@Component
public class ChildPlacement {
  private static final Logger log = LoggerFactory.getLogger(ChildPlacement.class);

  private final ShardStore store;

  public ChildPlacement(ShardStore store) {
    this.store = store;
  }

  /** Spreads the tenant's shards of the new count and persists their intents. */
  public void spread(TenantId tenant, ShardCount newCount) {
    store.change(
        tenant,
        "update_tenant_shard",
        edit -> {
          List<ShardDraft> children =
              edit.shards().stream()
                  .filter(s -> s.id().shardCount().equals(newCount) && !s.splitting())
                  .toList();
          Scheduler scheduler = edit.scheduler();
          ScheduleContext context = new ScheduleContext();
          for (ShardDraft child : children) {
            if (child.policy() instanceof PlacementPolicy.Attached policy) {
              moveIfBetter(child, policy, scheduler, context);
            }
            if (child.intent().attached() != null) {
              context.avoid(child.intent().attached());
            }
          }
          for (ShardDraft child : children) {
            try {
              child
                  .intent()
                  .schedule(child.id(), child.policy(), child.schedulingPolicy(), context);
            } catch (ScheduleException e) {
              log.warn("{}: secondaries cannot be scheduled now: {}", child.id(), e.getMessage());
            }
          }
          log.info(
              "tenant {}: {} children placed on {}",
              tenant,
              children.size(),
              children.stream().map(c -> String.valueOf(c.intent().attached())).toList());
          return null;
        });
  }

  private static void moveIfBetter(
      ShardDraft child,
      PlacementPolicy.Attached policy,
      Scheduler scheduler,
      ScheduleContext context) {
    NodeId current = child.intent().attached();
    NodeId best;
    try {
      best =
          scheduler.scheduleAttached(
              ScheduleRequest.excluding(
                  child.intent().secondaries(), child.intent().preferredAz(), context));
    } catch (ScheduleException e) {
      return; // nowhere better: stay
    }
    boolean better =
        current == null
            || !scheduler.mayScheduleOn(current)
            || context.affinity(best) < context.affinity(current);
    if (best.equals(current) || !better) {
      return;
    }
    if (current != null && policy.secondaries() > 0) {
      child.intent().addSecondary(best);
      child.intent().promoteSecondary(best);
    } else {
      child.intent().setAttached(best);
    }
  }
}
