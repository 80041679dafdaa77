package io.storagecontroller.node;

import io.storagecontroller.model.NodeId;

/**
 * An offline node answers heartbeats again. It may still hold attachments the controller moved
 * elsewhere while it was away (a healed partition does not re-attach), so they are cleaned up now
 * rather than at the next periodic sweep.
 */
public record NodeCameBack(NodeId nodeId) {}
