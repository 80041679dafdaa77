package io.storagecontroller.shard;

import io.storagecontroller.model.TenantShardId;
import java.time.OffsetDateTime;

/**
 * What the scrubber last found of a shard's remote metadata (Neon's {@code MetadataHealthRecord}).
 */
public record MetadataHealthRecord(
    TenantShardId tenantShardId, boolean healthy, OffsetDateTime lastScrubbedAt) {}
