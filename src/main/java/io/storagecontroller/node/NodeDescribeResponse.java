package io.storagecontroller.node;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;

/** {@code GET /control/v1/node[/:id]} element, field for field as Neon's. */
public record NodeDescribeResponse(
    NodeId id,
    NodeAvailability availability,
    NodeSchedulingPolicy scheduling,
    String availabilityZoneId,
    String listenHttpAddr,
    int listenHttpPort,
    Integer listenHttpsPort,
    String listenPgAddr,
    int listenPgPort,
    String listenGrpcAddr,
    Integer listenGrpcPort) {}
