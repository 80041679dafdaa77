package io.storagecontroller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the tests that drive the real service: embedded PostgreSQL, in-process Temporal and HTTP
 * on loopback. Every subclass shares one application context (and one database) per test JVM, so
 * tests use their own ids rather than assuming an empty database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// The optimiser would move the shards tests place; a test that wants it registers a dynamic
// property (which wins over this one), as OptimiserEndToEndTest does.
@TestPropertySource(properties = "storage-controller.optimiser-interval=0s")
public abstract class ControllerTest {
  @LocalServerPort protected int port;

  protected ApiClient api;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    // Evaluated once per application context: every context (cached and shared by the test classes
    // with the same configuration) gets its own embedded PostgreSQL data directory.
    registry.add("storage-controller.data-dir", () -> newDataDir().toString());
    // No public key: auth is off, which only --dev allows (the auth tests have their own context).
    registry.add("storage-controller.dev", () -> "true");
    // Fast heartbeats so simulated pageservers become available within a test's patience.
    registry.add("storage-controller.heartbeat-interval", () -> "200ms");
    registry.add("storage-controller.max-offline-interval", () -> "5s");
  }

  @BeforeEach
  protected void connect() {
    api = new ApiClient(baseUrl());
  }

  protected String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private static Path newDataDir() {
    try {
      return Files.createTempDirectory("storage_controller-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
