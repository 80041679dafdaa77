package io.storagecontroller.drain;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A shard as drain and fill planners see it: where it is attached and kept warm, and whether it may
 * be moved at all (not migrating or splitting, scheduling policy Active or Essential).
 */
public record ShardPlacement(
    TenantShardId id, NodeId attached, List<NodeId> secondaries, boolean movable) {}
