package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.storagecontroller.Main;
import io.storagecontroller.cli.ControllerCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Secrets from AWS Secrets Manager, against a local server that speaks {@code GetSecretValue}: the
 * AWS SDK's client over the JDK's HTTP, with dummy static credentials.
 */
class SecretsManagerTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String PEM = Ed25519Keys.publicPem(Ed25519Keys.generate().getPublic());

  /** Requests the fake received: target header, authorization header, secret id. */
  record Received(String target, String authorization, String secretId) {}

  HttpServer server;
  final Map<String, String> secrets = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile int failWith;

  @BeforeEach
  void startFakeSecretsManager() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String id = body.path("SecretId").asString();
    received.add(new Received(target, exchange.getRequestHeaders().getFirst("Authorization"), id));
    int status;
    String reply;
    if (failWith != 0) {
      status = failWith;
      reply = "{\"__type\":\"InternalServiceError\",\"message\":\"simulated failure\"}";
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "InternalServiceError");
    } else if (!"POST".equals(exchange.getRequestMethod())
        || !"secretsmanager.GetSecretValue".equals(target)) {
      status = 400;
      reply = "{\"__type\":\"UnknownOperationException\",\"message\":\"unexpected call\"}";
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "UnknownOperationException");
    } else if (!secrets.containsKey(id)) {
      status = 400;
      reply =
          "{\"__type\":\"ResourceNotFoundException\","
              + "\"message\":\"Secrets Manager can't find the specified secret.\"}";
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
    } else {
      status = 200;
      reply =
          JSON.writeValueAsString(
              Map.of(
                  "ARN",
                  "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + id,
                  "Name",
                  id,
                  "SecretString",
                  secrets.get(id),
                  "VersionId",
                  "00000000-0000-0000-0000-000000000001",
                  "CreatedDate",
                  1.7e9));
    }
    byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static StaticCredentialsProvider dummyCredentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create("AKIDTESTTESTTEST", "dummy-secret-access-key"));
  }

  @Test
  void readsSecretStringsAndTreatsAnUnknownIdAsAbsent() {
    secrets.put("neon-storage-controller-pageserver-jwt-token", "from-aws-token");
    try (AwsSecretsManager aws = AwsSecretsManager.connect(endpoint(), dummyCredentials())) {
      assertThat(aws.read("neon-storage-controller-pageserver-jwt-token"))
          .contains("from-aws-token");
      assertThat(aws.read("neon-storage-controller-public-key")).isEmpty();
    }
    assertThat(received).hasSize(2);
    assertThat(received.get(0).target()).isEqualTo("secretsmanager.GetSecretValue");
    assertThat(received.get(0).secretId())
        .isEqualTo("neon-storage-controller-pageserver-jwt-token");
    // Signed (SigV4) with the configured credentials.
    assertThat(received.get(0).authorization())
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST/");
  }

  @Test
  void flagsAndEnvironmentWinAndOnlyMissingSecretsAreRead() {
    secrets.put("neon-storage-controller-pageserver-jwt-token", "from-aws");
    secrets.put("neon-storage-controller-control-plane-jwt-token", "cp-from-aws");
    try (AwsSecretsManager aws = AwsSecretsManager.connect(endpoint(), dummyCredentials())) {
      Map<Secrets.Secret, String> all =
          Secrets.complete(Map.of(Secrets.Secret.PAGESERVER_JWT_TOKEN, "from-flag"), aws);
      assertThat(all)
          .containsEntry(Secrets.Secret.PAGESERVER_JWT_TOKEN, "from-flag")
          .containsEntry(Secrets.Secret.CONTROL_PLANE_JWT_TOKEN, "cp-from-aws")
          .doesNotContainKeys(Secrets.Secret.DATABASE_URL, Secrets.Secret.PUBLIC_KEY);
    }
    assertThat(received)
        .extracting(Received::secretId)
        .containsExactlyInAnyOrder(
            "rds-neon-storage-controller-url",
            "neon-storage-controller-public-key",
            "neon-storage-controller-control-plane-jwt-token");
  }

  @Test
  void aFailingSecretsManagerIsAnErrorWithoutSecretsInIt() {
    secrets.put("neon-storage-controller-public-key", PEM);
    failWith = 500;
    try (AwsSecretsManager aws = AwsSecretsManager.connect(endpoint(), dummyCredentials())) {
      assertThatThrownBy(() -> aws.read("neon-storage-controller-public-key"))
          .isInstanceOf(AwsSecretsManager.UnavailableException.class)
          .hasMessageContaining("neon-storage-controller-public-key")
          .hasMessageNotContaining("dummy-secret-access-key");
    }
  }

  @Test
  void theCommandLineTakesEverySecretFromTheSecretsManager() {
    List<String> unset =
        List.of("DATABASE_URL", "PUBLIC_KEY", "PAGESERVER_JWT_TOKEN", "CONTROL_PLANE_JWT_TOKEN");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        unset.stream().allMatch(v -> System.getenv(v) == null),
        "the environment sets a secret already");
    secrets.put("rds-neon-storage-controller-url", "postgresql://u:dbpass@db:5432/storcon");
    secrets.put("neon-storage-controller-public-key", PEM);
    secrets.put("neon-storage-controller-pageserver-jwt-token", "ps-token-from-aws");
    secrets.put("neon-storage-controller-control-plane-jwt-token", "cp-token-from-aws");
    // The default credentials chain looks at these system properties first.
    System.setProperty("aws.accessKeyId", "AKIDTESTTESTTEST");
    System.setProperty("aws.secretAccessKey", "dummy-secret-access-key");
    try {
      CommandLine cli =
          ControllerCommand.commandLine(
              new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      cli.parseArgs("--secrets-manager", endpoint(), "--control-plane-url", "http://cplane/notify");
      Map<String, Object> p = cli.<ControllerCommand>getCommand().configuration();
      assertThat(p)
          .containsEntry("storage-controller.database-url", "postgresql://u:dbpass@db:5432/storcon")
          .containsEntry("storage-controller.public-key", PEM)
          .containsEntry("storage-controller.jwt-token", "ps-token-from-aws")
          .containsEntry("storage-controller.control-plane-jwt-token", "cp-token-from-aws");

      // Without the secrets manager the same command line is refused (strict mode).
      failWith = 503;
      StringWriter err = new StringWriter();
      int status =
          Main.run(
              new String[] {
                "--listen",
                "127.0.0.1:0",
                "--secrets-manager",
                endpoint(),
                "--control-plane-url",
                "http://cplane/notify"
              },
              new PrintWriter(new StringWriter()),
              new PrintWriter(err));
      assertThat(status).isEqualTo(1);
      assertThat(err.toString().strip().lines()).hasSize(1);
      assertThat(err.toString()).contains("AWS Secrets Manager").doesNotContain("dbpass");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void aMalformedSecretsManagerTargetIsAUsageError() {
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new String[] {"--listen", "127.0.0.1:0", "--secrets-manager", "not a region!"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--secrets-manager");
  }
}
