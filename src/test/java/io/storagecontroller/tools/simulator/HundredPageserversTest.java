package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A hundred pageservers fit in one JVM on a small machine. */
class HundredPageserversTest {
  @Test
  void aHundredPageserversAnswerTheirStatus() {
    long started = System.nanoTime();
    try (PageserverFleet fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults().withPageservers(100).withFirstNodeId(1000))) {
      assertThat(fleet.pageservers()).hasSize(100);
      for (SimulatedPageserver pageserver : fleet.pageservers()) {
        HttpCalls.Response status = new HttpCalls(pageserver.baseUrl()).get("/v1/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("id").asLong()).isEqualTo(pageserver.nodeId().value());
      }
      assertThat(fleet.pageservers().stream().map(SimulatedPageserver::port).distinct())
          .hasSize(100);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
