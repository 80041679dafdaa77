package io.storagecontroller.workflows.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;

/**
 * Delete {@code nodeId}, recorded as {@code operationId}; {@code before} is the policy a cancelled
 * or failed deletion gives back; {@code force} skips the reconciles (the node's locations are left
 * on it, as Neon's {@code force}).
 */
public record NodeDeletionRequest(
    NodeId nodeId, long operationId, NodeSchedulingPolicy before, boolean force) {}
