package io.storagecontroller.node;

import io.storagecontroller.model.NodeId;

/** A node that was available stopped answering for longer than its grace: its shards must move. */
public record NodeWentOffline(NodeId nodeId) {}
