package io.storagecontroller.pageserver;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantShardId;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a pageserver holds for one tenant shard, and the body of {@code PUT
 * /v1/tenant/:tenant_shard_id/location_config}. {@code shard_count} is the literal count (0 =
 * unsharded); {@code tenant_conf} is the opaque tenant config object.
 */
public record LocationConfig(
    LocationConfigMode mode,
    Long generation,
    SecondaryConfig secondaryConf,
    int shardNumber,
    int shardCount,
    long shardStripeSize,
    ObjectNode tenantConf) {

  /**
   * The fields of a location_config request body. It is deny_unknown_fields on the pageserver and
   * the controller alike: a stale client that still sends {@code tenant_id} gets a 400.
   */
  public static final Set<String> FIELDS =
      Set.of(
          "mode",
          "generation",
          "secondary_conf",
          "shard_number",
          "shard_count",
          "shard_stripe_size",
          "tenant_conf");

  /** {@code secondary_conf}: whether the secondary keeps its cache warm. */
  public record SecondaryConfig(boolean warm) {}

  /** The body that removes whatever the pageserver holds of {@code shard}. */
  public static LocationConfig detached(TenantShardId shard) {
    return new LocationConfig(
        LocationConfigMode.DETACHED,
        null,
        null,
        shard.shardNumber().value(),
        shard.shardCount().literal(),
        0,
        PageserverJson.mapper().createObjectNode());
  }

  public boolean inAttachedMode() {
    return mode == LocationConfigMode.ATTACHED_SINGLE
        || mode == LocationConfigMode.ATTACHED_MULTI
        || mode == LocationConfigMode.ATTACHED_STALE;
  }
}
