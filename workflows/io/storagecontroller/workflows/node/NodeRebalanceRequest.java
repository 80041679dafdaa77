package io.storagecontroller.workflows.node;

import io.storagecontroller.model.NodeId;

/** A drain or fill ({@code kind}) of a node, recorded as operation {@code operationId}. */
public record NodeRebalanceRequest(String kind, NodeId nodeId, long operationId) {}
