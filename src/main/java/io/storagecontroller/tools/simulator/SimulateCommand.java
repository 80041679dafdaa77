package io.storagecontroller.tools.simulator;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.cli.ListenAddress;
import io.storagecontroller.tls.TlsMaterial;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code storage_controller simulate}: runs a fleet of simulated pageservers until interrupted,
 * printing each node's id and URL and the control API's URL.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs simulated pageservers on loopback: each re-attaches to the controller (if given),"
            + " serves the pageserver API and takes faults from the control API.")
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--pageservers",
      defaultValue = "3",
      description = "How many pageservers to run (default: ${DEFAULT-VALUE}).")
  int pageservers;

  @Option(
      names = "--controller",
      description =
          "The controller's base URL, e.g. http://127.0.0.1:1234. Without it there is"
              + " no re-attach and deletions are not validated.")
  URI controller;

  @Option(
      names = "--first-node-id",
      defaultValue = "1",
      description =
          "Node id of the first pageserver; the others follow (default: ${DEFAULT-VALUE}).")
  long firstNodeId;

  @Option(
      names = "--control-listen",
      defaultValue = "127.0.0.1:0",
      converter = ListenAddress.Converter.class,
      description = "Listen address ip:port of the control API (default: ${DEFAULT-VALUE}).")
  ListenAddress controlListen;

  @Option(
      names = "--upcall-jwt-token",
      defaultValue = "${env:SIMULATOR_UPCALL_JWT_TOKEN}",
      description =
          "Bearer token sent on upcalls to the controller; env SIMULATOR_UPCALL_JWT_TOKEN.")
  String upcallToken;

  @Option(
      names = "--require-jwt-token",
      defaultValue = "${env:SIMULATOR_REQUIRED_JWT_TOKEN}",
      description =
          "Bearer token the pageservers demand (401 without); env"
              + " SIMULATOR_REQUIRED_JWT_TOKEN.")
  String requiredToken;

  @Option(
      names = "--upcall-deadline",
      defaultValue = "30s",
      converter = HumanDurationConverter.class,
      description = "How long a starting pageserver retries re-attach (default: ${DEFAULT-VALUE}).")
  Duration upcallDeadline;

  @Option(
      names = "--advertised-host",
      description =
          "Listen on every interface and register this host name with the controller (a fleet in"
              + " its own container); default: loopback, registered as 127.0.0.1.")
  String advertisedHost;

  @Option(
      names = "--tls-cert-file",
      description =
          "PEM certificate chain: each pageserver also serves HTTPS with it on a port of its own,"
              + " registered as listen_https_port (needs --tls-key-file).")
  Path tlsCertFile;

  @Option(names = "--tls-key-file", description = "PEM private key of --tls-cert-file.")
  Path tlsKeyFile;

  @Override
  public Integer call() throws Exception {
    if (pageservers < 1 || firstNodeId < 0) {
      throw new ParameterException(
          spec.commandLine(), "--pageservers must be positive and --first-node-id not negative");
    }
    SimulatorOptions options =
        SimulatorOptions.defaults()
            .withPageservers(pageservers)
            .withFirstNodeId(firstNodeId)
            .withController(controller)
            .withUpcallToken(blankToNull(upcallToken))
            .withRequiredToken(blankToNull(requiredToken))
            .withUpcallDeadline(upcallDeadline)
            .withAdvertisedHost(blankToNull(advertisedHost))
            .withControlListen(new InetSocketAddress(controlListen.host(), controlListen.port()));
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert-file and --tls-key-file go together");
    }
    if (tlsCertFile != null) {
      try {
        options = options.withTls(TlsMaterial.serverContext(tlsCertFile, tlsKeyFile));
      } catch (TlsMaterial.InvalidTlsFileException e) {
        throw new ParameterException(spec.commandLine(), "cannot serve HTTPS: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    PageserverFleet fleet = PageserverFleet.start(options);
    Thread hook =
        new Thread(
            () -> {
              fleet.close();
              stopped.countDown();
            },
            "simulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (SimulatedPageserver pageserver : fleet.pageservers()) {
      out.println(
          "pageserver "
              + pageserver.nodeId()
              + " "
              + pageserver.baseUrl()
              + (tlsCertFile == null ? "" : " https port " + pageserver.httpsPort()));
    }
    out.println("control " + fleet.controlUrl());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Interrupted in-process (tests, an embedding caller): stop the fleet and return.
      Runtime.getRuntime().removeShutdownHook(hook);
      fleet.close();
    }
    return CommandLine.ExitCode.OK;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
