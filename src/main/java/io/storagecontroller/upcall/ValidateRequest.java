package io.storagecontroller.upcall;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * {@code POST /upcall/v1/validate}: a pageserver asks whether its generations are still current.
 */
public record ValidateRequest(List<Tenant> tenants) {
  /** One shard and the generation the pageserver holds; both are required, as in serde. */
  public record Tenant(
      @JsonProperty(value = "id", required = true) TenantShardId id,
      @JsonProperty(value = "gen", required = true) long gen) {
    public Tenant {
      if (gen < 0 || gen > 0xFFFF_FFFFL) {
        // Neon's generation is a u32.
        throw new IllegalArgumentException("invalid `gen`: " + gen);
      }
    }
  }
}
