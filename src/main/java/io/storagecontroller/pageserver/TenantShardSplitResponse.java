package io.storagecontroller.pageserver;

import io.storagecontroller.model.TenantShardId;
import java.util.List;

/** The children a pageserver created from a split parent. */
public record TenantShardSplitResponse(List<TenantShardId> newShards) {}
