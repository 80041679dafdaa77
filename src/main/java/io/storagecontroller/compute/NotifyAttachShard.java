package io.storagecontroller.compute;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storagecontroller.model.NodeId;

/** One entry of a notify-attach body's {@code shards}: where shard number N is attached. */
public record NotifyAttachShard(
    @JsonProperty("node_id") NodeId nodeId, @JsonProperty("shard_number") int shardNumber) {}
