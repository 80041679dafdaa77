package io.storagecontroller;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller as an operator runs it: a process on embedded defaults that keeps its nodes across
 * a graceful restart and across a crash, and leaves no PostgreSQL behind when it stops.
 */
class ControllerProcessTest {
  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private static String registration(long id, int port) {
    return """
        {"node_id":%d,"listen_pg_addr":"127.0.0.1","listen_pg_port":%d,"listen_http_addr":"127.0.0.1",
         "listen_http_port":%d,"availability_zone_id":"az-%d"}"""
        .formatted(id, port + 1, port, id);
  }

  private static double forgottenWorkflows(ApiClient api) {
    Matcher m =
        Pattern.compile(
                "(?m)^storage_controller_embedded_temporal_workflows_forgotten_total (\\S+)")
            .matcher(api.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static List<Long> nodeIds(ApiClient api) {
    List<Long> ids = new ArrayList<>();
    api.get("/control/v1/node").json().forEach(n -> ids.add(n.get("id").asLong()));
    return ids;
  }

  @Test
  void nodesSurviveRestartAndCrash() throws Exception {
    Path log = Path.of("target", "process-logs", "controller-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(dataDir, log, "--embedded-temporal-retention", "2s")) {
      controller.start().awaitReady(START_DEADLINE);
      ApiClient api = controller.api();
      assertThat(api.post("/control/v1/node", registration(2, 9902)).status()).isEqualTo(200);
      assertThat(api.post("/control/v1/node", registration(1, 9901)).status()).isEqualTo(200);
      assertThat(nodeIds(api)).containsExactly(1L, 2L);

      // The flag reaches the in-process service: the start-up workflow, finished, is forgotten.
      ControllerProcess.await(
          Duration.ofSeconds(30),
          () -> forgottenWorkflows(api) >= 1,
          "a finished workflow forgotten");
      assertThat(Files.readString(log)).contains("finished workflows are kept for PT2S");

      // Graceful stop: SIGTERM stops HTTP, Temporal and the embedded PostgreSQL; nothing is
      // orphaned.
      controller.terminate(STOP_DEADLINE);
      ControllerProcess.await(
          Duration.ofSeconds(30),
          () -> controller.postgresProcesses().isEmpty(),
          "postmaster exit");
      assertThat(Files.readString(log)).contains("embedded PostgreSQL").doesNotContain(" ERROR ");

      controller.start().awaitReady(START_DEADLINE);
      assertThat(nodeIds(controller.api())).containsExactly(1L, 2L);

      // Crash: SIGKILL leaves the postmaster running; the next start stops it and carries on.
      controller.kill(STOP_DEADLINE);
      assertThat(controller.postgresProcesses()).isNotEmpty();
      controller.start().awaitReady(START_DEADLINE);
      assertThat(nodeIds(controller.api())).containsExactly(1L, 2L);
      assertThat(controller.api().get("/control/v1/node/1").json().get("listen_http_port").asInt())
          .isEqualTo(9901);

      controller.terminate(STOP_DEADLINE);
      ControllerProcess.await(
          Duration.ofSeconds(30),
          () -> controller.postgresProcesses().isEmpty(),
          "postmaster exit");
    }
  }
}
