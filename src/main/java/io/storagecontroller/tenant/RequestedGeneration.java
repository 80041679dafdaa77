package io.storagecontroller.tenant;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import tools.jackson.databind.JsonNode;

/** The {@code generation} field of a tenant create or location_config request. */
final class RequestedGeneration {
  private RequestedGeneration() {}

  /**
   * The field's generation, null when absent or null; a 400 unless it is an integer the table can
   * store (Neon's generation is a u32, its column an INTEGER).
   */
  static Generation of(JsonNode request) {
    JsonNode gen = request.get("generation");
    if (gen == null || gen.isNull()) {
      return null;
    }
    if (!gen.isIntegralNumber()
        || !gen.canConvertToLong()
        || gen.asLong() < 0
        || gen.asLong() > TenantShardPersistence.MAX_STORED) {
      throw ApiError.badRequest(
          "invalid `generation`: " + gen + " (0 to " + TenantShardPersistence.MAX_STORED + ")");
    }
    return Generation.of(gen.asLong());
  }
}
