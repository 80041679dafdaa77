package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controller processes started on one database without a handover: the second refuses with one
 * line and exit status 2, and the first goes on serving (its database untouched).
 */
class OneControllerPerDatabaseTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void aSecondControllerOnTheSameDataDirectoryRefusesToStart() throws IOException {
    Path dataDir = dir.resolve("data");
    try (ControllerProcess first = new ControllerProcess(dataDir, log("first"));
        ControllerProcess second = new ControllerProcess(dataDir, log("second"))) {
      first.start().awaitReady(DEADLINE);
      long postmasters = first.postgresProcesses().size();

      assertThat(second.start().awaitExit(DEADLINE)).isEqualTo(2);

      assertThat(Files.readString(log("second")))
          .contains(
              "storage_controller: another storage_controller is running on the data"
                  + " directory "
                  + dataDir);
      assertThat(first.postgresProcesses()).hasSize((int) postmasters);
      assertThat(first.api().get("/ready").status()).isEqualTo(200);
      assertThat(first.api().get("/control/v1/node").status()).isEqualTo(200);
    }
  }

  @Test
  void aSecondControllerOnTheSameExternalDatabaseRefusesToStart() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"))) {
      String[] external = {"--database-url", database.databaseUrl()};
      try (ControllerProcess first =
              new ControllerProcess(
                  dir.resolve("a"),
                  log("external-first"),
                  append(external, "--address-for-peers", "http://controller-a:1234"));
          ControllerProcess second =
              new ControllerProcess(dir.resolve("b"), log("external-second"), external)) {
        first.start().awaitReady(DEADLINE);

        assertThat(second.start().awaitExit(DEADLINE)).isEqualTo(2);

        assertThat(Files.readString(log("external-second")))
            .contains("storage_controller: another storage_controller is running on this database");
        ApiClient api = first.api();
        assertThat(api.get("/ready").status()).isEqualTo(200);
        assertThat(api.get("/live").status()).isEqualTo(200);
        var leader = api.get("/control/v1/leader");
        assertThat(leader.status()).isEqualTo(200);
        assertThat(leader.json().get("address").asString()).isEqualTo("http://controller-a:1234");
        assertThat(leader.json().get("started_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(api.get("/metrics").body())
            .contains("storage_controller_leadership_status{status=\"leader\"} 1");
      }
    }
  }

  private Path log(String name) {
    return Path.of("target", "process-logs", "one-controller-" + name + "-" + dir.getFileName());
  }

  private static String[] append(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
