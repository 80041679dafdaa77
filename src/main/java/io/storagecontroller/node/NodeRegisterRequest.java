package io.storagecontroller.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;

/** {@code POST /control/v1/node}: a pageserver's identity and addresses (contract section 3.3). */
public record NodeRegisterRequest(
    NodeId nodeId,
    String listenPgAddr,
    Integer listenPgPort,
    String listenGrpcAddr,
    Integer listenGrpcPort,
    String listenHttpAddr,
    Integer listenHttpPort,
    Integer listenHttpsPort,
    String availabilityZoneId,
    String nodeIpAddr) {

  /** The registration as a node address, or a 400 naming the first missing or invalid field. */
  public NodeAddress toAddress() {
    require(nodeId, "node_id");
    requireText(listenHttpAddr, "listen_http_addr");
    requirePort(listenHttpPort, "listen_http_port");
    requireText(listenPgAddr, "listen_pg_addr");
    requirePort(listenPgPort, "listen_pg_port");
    requireText(availabilityZoneId, "availability_zone_id");
    if (listenHttpsPort != null) {
      requirePort(listenHttpsPort, "listen_https_port");
    }
    if ((listenGrpcAddr == null) != (listenGrpcPort == null)) {
      throw Refusal.badRequest("listen_grpc_addr and listen_grpc_port must be given together");
    }
    if (listenGrpcAddr != null) {
      requireText(listenGrpcAddr, "listen_grpc_addr");
      requirePort(listenGrpcPort, "listen_grpc_port");
    }
    return new NodeAddress(
        listenHttpAddr,
        listenHttpPort,
        listenHttpsPort,
        listenPgAddr,
        listenPgPort,
        listenGrpcAddr,
        listenGrpcPort,
        availabilityZoneId);
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw Refusal.badRequest("missing field `" + field + "`");
    }
  }

  private static void requireText(String value, String field) {
    require(value, field);
    if (value.isBlank()
        || value.length() > 253
        || value.chars().anyMatch(Character::isWhitespace)) {
      throw Refusal.badRequest("invalid `" + field + "`: '" + value + "'");
    }
  }

  private static void requirePort(Integer port, String field) {
    require(port, field);
    if (port < 1 || port > 65535) {
      throw Refusal.badRequest("invalid `" + field + "`: " + port + " is not a port (1-65535)");
    }
  }
}
