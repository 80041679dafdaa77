package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import tools.jackson.databind.node.ObjectNode;

/** The location config each kind of location of a shard should hold: pure functions of its view. */
public final class LocationConfigs {
  /** Secondaries need heatmaps to stay warm; Neon forces this period when a shard has any. */
  static final String HEATMAP_PERIOD = "1m";

  private LocationConfigs() {}

  /** The attached location with {@code generation}. */
  public static LocationConfig attached(ShardView s, long generation) {
    return of(s, LocationConfigMode.ATTACHED_SINGLE, generation, haAwareConfig(s));
  }

  public static LocationConfig secondary(ShardView s) {
    return of(s, LocationConfigMode.SECONDARY, null, haAwareConfig(s));
  }

  /** The config that removes a location of this shard. */
  public static LocationConfig detached(ShardView s) {
    return of(s, LocationConfigMode.DETACHED, null, haAwareConfig(s));
  }

  /** What a node giving up the attachment holds next: the secondary its intent says, or nothing. */
  public static LocationConfig afterAttached(ShardView s, NodeId node) {
    return s.secondaries().contains(node) ? secondary(s) : detached(s);
  }

  /** The same location in another mode and generation. */
  public static LocationConfig withMode(LocationConfig c, Generation g, LocationConfigMode mode) {
    return new LocationConfig(
        mode,
        g == null ? null : g.value(),
        c.secondaryConf(),
        c.shardNumber(),
        c.shardCount(),
        c.shardStripeSize(),
        c.tenantConf());
  }

  public static LocationConfig of(
      ShardView s, LocationConfigMode mode, Long generation, ObjectNode config) {
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
  public static ObjectNode haAwareConfig(ShardView s) {
    ObjectNode config =
        s.config() == null ? PageserverJson.mapper().createObjectNode() : s.config().deepCopy();
    boolean hasSecondaries =
        (s.policy() instanceof PlacementPolicy.Attached a && a.secondaries() > 0)
            || s.policy() instanceof PlacementPolicy.Secondary
            || !s.secondaries().isEmpty();
    if (hasSecondaries) {
      if (!config.has("heatmap_period")) {
        config.put("heatmap_period", HEATMAP_PERIOD);
      }
    } else {
      config.remove("heatmap_period");
    }
    return config;
  }
}
