package io.storagecontroller.compute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.storagecontroller.model.TenantId;
import java.util.List;

/**
 * Neon's {@code NotifyAttachRequest} (contract 3.6): {@code preferred_az} and {@code stripe_size}
 * are written as {@code null}, never omitted. A record, so two notifications compare by value,
 * which is what deduplication needs.
 *
 * @param stripeSize null for an unsharded tenant (shard count 0 or 1)
 * @param shards sorted by shard number
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NotifyAttachRequest(
    @JsonProperty("tenant_id") TenantId tenantId,
    @JsonProperty("preferred_az") String preferredAz,
    @JsonProperty("stripe_size") Long stripeSize,
    @JsonProperty("shards") List<NotifyAttachShard> shards) {

  public NotifyAttachRequest {
    shards = List.copyOf(shards);
  }
}
