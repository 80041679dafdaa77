package io.storagecontroller.reconcile;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.LocationConfigs;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** Decides what a shard's reconcile must do; pure, so every case is a unit test. */
public final class ShardReconcilePlanner {
  private ShardReconcilePlanner() {}

  /**
   * Whether the reconciler has work on the shard: it is not held by an operation (which moves it
   * itself), its scheduling policy is not Stop, and a reachable pageserver differs from its intent.
   */
  public static boolean isDirty(ShardView shard, Set<NodeId> available) {
    if (shard.held()
        || shard.splitting()
        || shard.schedulingPolicy() == ShardSchedulingPolicy.STOP) {
      return false;
    }
    return !plan(new ShardSnapshot(shard, available)).isEmpty();
  }

  /** The ids of the dirty shards among these. */
  public static List<TenantShardId> dirty(List<ShardView> shards, Set<NodeId> available) {
    return shards.stream().filter(s -> isDirty(s, available)).map(ShardView::id).toList();
  }

  public static ShardReconcilePlan plan(ShardSnapshot s) {
    ObjectNode config = LocationConfigs.haAwareConfig(s.shard());
    ShardReconcilePlan.Attach attach = null;
    List<NodeId> skipped = new ArrayList<>();
    NodeId attachedNode = s.intendedAttached();
    if (attachedNode != null) {
      if (!s.availableNodes().contains(attachedNode)) {
        skipped.add(attachedNode);
      } else {
        attach = planAttach(s, attachedNode, config);
      }
    }
    List<ShardReconcilePlan.Change> secondaries = new ArrayList<>();
    for (NodeId node : s.intendedSecondaries()) {
      LocationConfig wanted =
          LocationConfigs.of(s.shard(), LocationConfigMode.SECONDARY, null, config);
      if (matches(s.observed().get(node), wanted)) {
        continue;
      }
      if (s.availableNodes().contains(node)) {
        secondaries.add(new ShardReconcilePlan.Change(node, wanted));
      } else {
        skipped.add(node);
      }
    }
    List<ShardReconcilePlan.Change> detaches = new ArrayList<>();
    for (NodeId node : s.observed().keySet()) {
      if (node.equals(attachedNode) || s.intendedSecondaries().contains(node)) {
        continue;
      }
      if (s.availableNodes().contains(node)) {
        detaches.add(
            new ShardReconcilePlan.Change(
                node, LocationConfigs.of(s.shard(), LocationConfigMode.DETACHED, null, config)));
      } else {
        skipped.add(node);
      }
    }
    return new ShardReconcilePlan(attach, secondaries, detaches, skipped);
  }

  /** True when the shard's observed state already matches its intent on every reachable node. */
  public static boolean isClean(ShardSnapshot s) {
    ShardReconcilePlan plan = plan(s);
    return plan.isEmpty() && plan.skippedOffline().isEmpty();
  }

  private static ShardReconcilePlan.Attach planAttach(
      ShardSnapshot s, NodeId node, ObjectNode config) {
    Generation current = s.generation();
    Optional<LocationConfig> observed = s.observed().getOrDefault(node, Optional.empty());
    boolean holdsCurrent =
        current != null
            && observed.isPresent()
            && observed.get().mode() == LocationConfigMode.ATTACHED_SINGLE
            && Objects.equals(observed.get().generation(), current.value());
    LocationConfig wanted =
        LocationConfigs.of(
            s.shard(),
            LocationConfigMode.ATTACHED_SINGLE,
            current == null ? null : current.value(),
            config);
    if (holdsCurrent && observed.get().equals(wanted)) {
      return null;
    }
    // A config-only change keeps the generation; anything else needs a fresh one (Neon #8560).
    return new ShardReconcilePlan.Attach(node, wanted, !holdsCurrent);
  }

  private static boolean matches(Optional<LocationConfig> observed, LocationConfig wanted) {
    return observed != null && observed.isPresent() && observed.get().equals(wanted);
  }
}
