package io.storagecontroller.node;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;

/** {@code PUT /control/v1/node/:node_id/config}: either field may be null to leave it as it is. */
public record NodeConfigureRequest(
    NodeId nodeId, NodeAvailability availability, NodeSchedulingPolicy scheduling) {}
