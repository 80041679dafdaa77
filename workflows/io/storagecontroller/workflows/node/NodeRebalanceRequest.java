package io.storagecontroller.workflows.node;

/** A drain or fill ({@code kind}) of a node, recorded as operation {@code operationId}. */
public record NodeRebalanceRequest(String kind, long nodeId, long operationId) {}
