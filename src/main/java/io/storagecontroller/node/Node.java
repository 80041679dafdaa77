package io.storagecontroller.node;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.NodeSchedulingPolicy;

/**
 * A pageserver as the controller knows it. Address, scheduling policy and lifecycle are durable;
 * availability lives in memory only and every node starts {@code Offline} until it proves
 * otherwise.
 */
public record Node(
    NodeId id,
    NodeAddress address,
    NodeSchedulingPolicy scheduling,
    NodeLifecycle lifecycle,
    NodeAvailability availability) {

  public static Node registered(NodeId id, NodeAddress address) {
    return new Node(
        id, address, NodeSchedulingPolicy.ACTIVE, NodeLifecycle.ACTIVE, NodeAvailability.OFFLINE);
  }

  public Node withAddress(NodeAddress newAddress) {
    return new Node(id, newAddress, scheduling, lifecycle, availability);
  }

  public Node withScheduling(NodeSchedulingPolicy policy) {
    return new Node(id, address, policy, lifecycle, availability);
  }

  public Node withAvailability(NodeAvailability newAvailability) {
    return new Node(id, address, scheduling, lifecycle, newAvailability);
  }

  public NodeDescribeResponse describe() {
    return new NodeDescribeResponse(
        id,
        availability,
        scheduling,
        address.availabilityZoneId(),
        address.listenHttpAddr(),
        address.listenHttpPort(),
        address.listenHttpsPort(),
        address.listenPgAddr(),
        address.listenPgPort(),
        address.listenGrpcAddr(),
        address.listenGrpcPort());
  }
}
