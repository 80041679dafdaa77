package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tls.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --ssl-ca-file}: an {@code https://} API whose certificate the test CA signed is trusted
 * with that CA's file and refused without it, or with another CA's. The API is a stub serving the
 * node list: what is under test is the client's trust, not the controller.
 */
class StorconTlsTest {
  static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();
  static final String NODES =
      "[{\"id\":7,\"listen_http_addr\":\"ps-7\",\"listen_http_port\":9898,"
          + "\"availability_zone_id\":\"az-tls\",\"scheduling\":\"Active\","
          + "\"availability\":\"Active\"}]";

  HttpsServer server;
  Storcon storcon;

  @BeforeEach
  void serveOverHttps() throws IOException {
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(
            TlsMaterial.serverContext(
                TLS.resolve("test-server.crt"), TLS.resolve("test-server.key"))));
    server.createContext(
        "/control/v1/node",
        exchange -> {
          byte[] body = NODES.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    storcon = new Storcon("https://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theCaFileIsTrustedBesideTheJdksRoots() {
    Storcon.Run run = storcon.run("--ssl-ca-file", TLS.resolve("test-ca.crt").toString(), "nodes");
    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out()).contains("| 7  | ps-7:9898 | az-tls | Active     | Active       |");
  }

  @Test
  void withoutItOrWithAnotherCaTheServerIsRefused() {
    Storcon.Run jdkRootsOnly = storcon.run("nodes");
    assertThat(jdkRootsOnly.status()).as(jdkRootsOnly.toString()).isEqualTo(1);
    assertThat(jdkRootsOnly.err()).contains("cannot reach the controller at https://127.0.0.1:");

    Storcon.Run otherCa =
        storcon.run("nodes", "--ssl-ca-file", TLS.resolve("untrusted-ca.crt").toString());
    assertThat(otherCa.status()).as(otherCa.toString()).isEqualTo(1);
    assertThat(otherCa.err()).contains("cannot reach the controller");
  }

  @Test
  void anUnusableCaFileIsABadCommandLine() {
    Storcon.Run missing = storcon.run("--ssl-ca-file", "/nonexistent/ca.pem", "nodes");
    assertThat(missing.status()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("--ssl-ca-file", "/nonexistent/ca.pem");
  }
}
