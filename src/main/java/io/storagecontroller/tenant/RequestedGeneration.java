package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.shard.TenantShardRow;
import tools.jackson.databind.JsonNode;

/** The {@code generation} field of a tenant create or location_config request. */
public final class RequestedGeneration {
  private RequestedGeneration() {}

  /**
   * The field's generation, null when absent or null; a 400 unless it is an integer the table can
   * store (Neon's generation is a u32, its column an INTEGER).
   */
  public static Generation of(JsonNode request) {
    JsonNode gen = request.get("generation");
    if (gen == null || gen.isNull()) {
      return null;
    }
    if (!gen.isIntegralNumber()
        || !gen.canConvertToLong()
        || gen.asLong() < 0
        || gen.asLong() > TenantShardRow.MAX_STORED) {
      throw Refusal.badRequest(
          "invalid `generation`: " + gen + " (0 to " + TenantShardRow.MAX_STORED + ")");
    }
    return Generation.of(gen.asLong());
  }
}
