package io.storagecontroller.pageserver;

import java.util.List;

/**
 * {@code GET /v1/location_config}: every location a pageserver holds. On the wire each element is a
 * two-element array {@code ["<tenant_shard_id>", LocationConfig|null]}.
 */
public record LocationConfigListResponse(List<List<Object>> tenantShards) {}
