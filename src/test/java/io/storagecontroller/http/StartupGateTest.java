package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.startup.Readiness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class StartupGateTest {
  @Test
  void tenantRoutesWaitForStartupThenTimeOutWith408() {
    Readiness readiness = new Readiness();
    StartupGate gate = new StartupGate(readiness, Duration.ofMillis(50));
    assertThatThrownBy(() -> gate.preHandle(null, null, null))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
              assertThat(e.getMessage()).isEqualTo("Timed out waiting for service readiness");
            });
    readiness.markReady();
    assertThat(gate.preHandle(null, null, null)).isTrue();
  }

  @Test
  void aWaitingRequestProceedsAsSoonAsStartupCompletes() throws Exception {
    Readiness readiness = new Readiness();
    StartupGate gate = new StartupGate(readiness, Duration.ofSeconds(30));
    Thread opener = new Thread(readiness::markReady);
    opener.start();
    assertThat(gate.preHandle(null, null, null)).isTrue();
    opener.join();
  }
}
