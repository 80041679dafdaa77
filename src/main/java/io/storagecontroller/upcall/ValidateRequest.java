package io.storagecontroller.upcall;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * {@code POST /upcall/v1/validate}: a pageserver asks whether its generations are still current.
 */
public record ValidateRequest(List<Tenant> tenants) {
  /** One shard and the generation the pageserver holds. */
  public record Tenant(TenantShardId id, @JsonProperty("gen") long gen) {}
}
