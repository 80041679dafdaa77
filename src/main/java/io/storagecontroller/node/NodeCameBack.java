package io.storagecontroller.node;

import io.storagecontroller.model.NodeId;

/**
 * A node became active: an offline one answers heartbeats again, or one that re-attached finished
 * warming up. It may still hold attachments the controller moved elsewhere while it was away (a
 * healed partition does not re-attach), or locations made while it warmed up, so it is scanned and
 * cleaned up now rather than at the next periodic sweep.
 */
public record NodeCameBack(NodeId nodeId) {}
