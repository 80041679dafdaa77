package io.storagecontroller.upcall;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * The shards a re-attaching pageserver holds: attached ones with their new generation, and
 * secondaries.
 */
public record ReAttachResponse(List<Tenant> tenants) {
  /** One shard; {@code gen} is null for secondaries. */
  public record Tenant(
      TenantShardId id, @JsonProperty("gen") Long gen, LocationConfigMode mode, long stripeSize) {}
}
