package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.tls.TlsMaterial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code simulate} prints its pageservers and control URL, serves, and stops when interrupted. */
class SimulateCommandTest {
  static final Path TLS = Path.of("src/test/resources/tls");

  @Test
  void runsAFleetUntilInterrupted() throws Exception {
    StringWriter output = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(output, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread running =
        new Thread(
            () ->
                exit.set(
                    cli.execute(
                        "--pageservers",
                        "2",
                        "--first-node-id",
                        "40",
                        "--control-listen",
                        "127.0.0.1:0")));
    running.start();
    List<String> lines =
        Eventually.await(
            Duration.ofSeconds(10),
            () -> output.toString().lines().toList(),
            l -> l.stream().anyMatch(s -> s.startsWith("control ")));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("pageserver 40 http://127.0.0.1:");
    assertThat(lines.get(1)).startsWith("pageserver 41 http://127.0.0.1:");
    URI second = URI.create(lines.get(1).split(" ")[2]);
    assertThat(new HttpCalls(second).get("/v1/status").body().get("id").asLong()).isEqualTo(41);
    URI control = URI.create(lines.get(2).split(" ")[1]);
    assertThat(new HttpCalls(control).get("/simulator/v1/pageservers").body()).hasSize(2);

    running.interrupt();
    running.join(10_000);
    assertThat(running.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
  }

  @Test
  void servesHttpsWithTheGivenCertificate() throws Exception {
    StringWriter output = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(output, true));
    Thread running =
        new Thread(
            () ->
                cli.execute(
                    "--pageservers",
                    "1",
                    "--control-listen",
                    "127.0.0.1:0",
                    "--tls-cert-file",
                    TLS.resolve("test-server.crt").toString(),
                    "--tls-key-file",
                    TLS.resolve("test-server.key").toString()));
    running.start();
    try {
      List<String> lines =
          Eventually.await(
              Duration.ofSeconds(10),
              () -> output.toString().lines().toList(),
              l -> l.stream().anyMatch(s -> s.startsWith("control ")));
      assertThat(lines.get(0)).contains(" https port ");
      String port = lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1);
      HttpClient trusting =
          HttpClient.newBuilder()
              .sslContext(TlsMaterial.clientContext(TLS.resolve("test-ca.crt")))
              .build();
      HttpResponse<String> status =
          trusting.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/status"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).isEqualTo(200);
    } finally {
      running.interrupt();
      running.join(10_000);
    }
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("--tls-cert-file", TLS.resolve("test-server.crt").toString()))
        .isEqualTo(CommandLine.ExitCode.USAGE);
  }

  @Test
  void rejectsANonPositiveFleet() {
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("--pageservers", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
  }
}
