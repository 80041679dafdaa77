package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storcon node-register}: registers a pageserver by hand (pageservers normally register
 * themselves when they start).
 */
@Command(
    name = "node-register",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Register a pageserver. Rarely needed: pageservers register themselves at start-up.")
final class NodeRegisterCommand extends ApiCommand {
  @Option(names = "--node-id", required = true)
  long nodeId;

  @Option(names = "--listen-pg-addr", required = true)
  String listenPgAddr;

  @Option(names = "--listen-pg-port", required = true)
  int listenPgPort;

  @Option(names = "--listen-grpc-addr")
  String listenGrpcAddr;

  @Option(names = "--listen-grpc-port")
  Integer listenGrpcPort;

  @Option(names = "--listen-http-addr", required = true)
  String listenHttpAddr;

  @Option(names = "--listen-http-port", required = true)
  int listenHttpPort;

  @Option(names = "--listen-https-port")
  Integer listenHttpsPort;

  @Option(names = "--availability-zone-id", required = true)
  String availabilityZoneId;

  @Override
  public Integer call() {
    ObjectNode body = ControllerApi.object();
    body.put("node_id", nodeId);
    body.put("listen_pg_addr", listenPgAddr);
    body.put("listen_pg_port", listenPgPort);
    body.put("listen_grpc_addr", listenGrpcAddr);
    body.put("listen_grpc_port", listenGrpcPort);
    body.put("listen_http_addr", listenHttpAddr);
    body.put("listen_http_port", listenHttpPort);
    body.put("listen_https_port", listenHttpsPort);
    body.put("availability_zone_id", availabilityZoneId);
    return done(api().post("/control/v1/node", body), "node " + nodeId + " registered");
  }
}
