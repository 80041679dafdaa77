package io.storagecontroller.node;

import java.util.Objects;
import java.util.Optional;

/** Where a pageserver is reached, and its availability zone: what registration fixes. */
public record NodeAddress(
    String listenHttpAddr,
    int listenHttpPort,
    Integer listenHttpsPort,
    String listenPgAddr,
    int listenPgPort,
    String listenGrpcAddr,
    Integer listenGrpcPort,
    String availabilityZoneId) {

  /**
   * Neon lets a re-registration change only the https port and the gRPC address; a different http
   * or pg address or zone means another machine claims the id.
   */
  public boolean sameIdentityAs(NodeAddress other) {
    return listenHttpAddr.equals(other.listenHttpAddr)
        && listenHttpPort == other.listenHttpPort
        && listenPgAddr.equals(other.listenPgAddr)
        && listenPgPort == other.listenPgPort
        && availabilityZoneId.equals(other.availabilityZoneId);
  }

  public boolean sameMutableFieldsAs(NodeAddress other) {
    return Objects.equals(listenHttpsPort, other.listenHttpsPort)
        && Objects.equals(listenGrpcAddr, other.listenGrpcAddr)
        && Objects.equals(listenGrpcPort, other.listenGrpcPort);
  }

  /** {@code https://addr:https_port}, when the pageserver registered an https port. */
  public Optional<String> httpsBaseUrl() {
    return Optional.ofNullable(listenHttpsPort).map(port -> "https://" + host() + ":" + port);
  }

  public String httpBaseUrl() {
    return "http://" + host() + ":" + listenHttpPort;
  }

  private String host() {
    return listenHttpAddr.contains(":") ? "[" + listenHttpAddr + "]" : listenHttpAddr;
  }
}
