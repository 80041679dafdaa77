package io.storagecontroller.reconcile;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Decides what a shard's reconcile must do; pure, so every case is a unit test. */
public final class ShardReconcilePlanner {
  /** Secondaries need heatmaps to stay warm; Neon forces this period when a shard has any. */
  static final String HEATMAP_PERIOD = "1m";

  private ShardReconcilePlanner() {}

  public static ShardReconcilePlan plan(ShardSnapshot s) {
    ObjectNode config = haAwareConfig(s);
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
      LocationConfig wanted = locationConfig(s, LocationConfigMode.SECONDARY, null, config);
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
                node, locationConfig(s, LocationConfigMode.DETACHED, null, config)));
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
        locationConfig(
            s,
            LocationConfigMode.ATTACHED_SINGLE,
            current == null ? null : current.value(),
            config);
    if (holdsCurrent && observed.get().equals(wanted)) {
      return null;
    }
    // A config-only change keeps the generation; anything else needs a fresh one (Neon #8560).
    return new ShardReconcilePlan.Attach(node, wanted, !holdsCurrent);
  }

  /** The config an attached location of this shard should hold with {@code generation}. */
  public static LocationConfig wantedAttached(ShardSnapshot s, long generation) {
    return locationConfig(s, LocationConfigMode.ATTACHED_SINGLE, generation, haAwareConfig(s));
  }

  /** The config a secondary location of this shard should hold. */
  public static LocationConfig wantedSecondary(ShardSnapshot s) {
    return locationConfig(s, LocationConfigMode.SECONDARY, null, haAwareConfig(s));
  }

  /** What a node giving up the attachment holds next: the secondary its intent says, or nothing. */
  public static LocationConfig wantedAfterAttached(ShardSnapshot s, NodeId node) {
    return s.intendedSecondaries().contains(node) ? wantedSecondary(s) : wantedDetached(s);
  }

  /** The config that removes a location of this shard. */
  public static LocationConfig wantedDetached(ShardSnapshot s) {
    return locationConfig(s, LocationConfigMode.DETACHED, null, haAwareConfig(s));
  }

  static LocationConfig locationConfig(
      ShardSnapshot s, LocationConfigMode mode, Long generation, ObjectNode config) {
    return new LocationConfig(
        mode,
        generation,
        mode == LocationConfigMode.SECONDARY ? new LocationConfig.SecondaryConfig(true) : null,
        s.id().shardNumber().value(),
        s.id().shardCount().literal(),
        s.stripeSize().value(),
        mode == LocationConfigMode.DETACHED ? PageserverJson.mapper().createObjectNode() : config);
  }

  /** Neon's {@code ha_aware_config}: heatmaps on when the shard has or will have secondaries. */
  static ObjectNode haAwareConfig(ShardSnapshot s) {
    ObjectNode config =
        s.tenantConfig() == null
            ? PageserverJson.mapper().createObjectNode()
            : s.tenantConfig().deepCopy();
    boolean hasSecondaries =
        (s.policy() instanceof PlacementPolicy.Attached a && a.secondaries() > 0)
            || s.policy() instanceof PlacementPolicy.Secondary
            || !s.intendedSecondaries().isEmpty();
    if (hasSecondaries) {
      if (!config.has("heatmap_period")) {
        config.put("heatmap_period", HEATMAP_PERIOD);
      }
    } else {
      config.remove("heatmap_period");
    }
    return config;
  }

  private static boolean matches(Optional<LocationConfig> observed, LocationConfig wanted) {
    return observed != null && observed.isPresent() && observed.get().equals(wanted);
  }
}
