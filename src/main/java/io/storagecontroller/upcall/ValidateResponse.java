package io.storagecontroller.upcall;

import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * Which of the asked shards hold the current generation; shards unknown to the controller are
 * omitted.
 */
public record ValidateResponse(List<Tenant> tenants) {
  /** One shard's verdict. */
  public record Tenant(TenantShardId id, boolean valid) {}
}
