package io.storagecontroller.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ControllerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code storage_controller_operations_running{kind}}: what the last listing of running operations
 * (the control loop's repair pass) found, by kind, down to 0 once none of a kind runs.
 */
class RunningOperationsGaugeTest extends ControllerTest {
  private static final String GAUGE = "storage_controller_operations_running{kind=\"gauge-test\"}";

  @Autowired OperationLog operations;

  @Test
  void theGaugeCountsRunningOperationsOfEachKindAndFallsToZero() {
    long first = operations.start("gauge-test", "node/990001", "gauge-test/1", 0, null);
    long second = operations.start("gauge-test", "node/990002", "gauge-test/2", 0, null);
    operations.running();
    assertThat(api.metric(GAUGE)).isEqualTo(2);

    operations.finish(first, "succeeded", null);
    operations.running();
    assertThat(api.metric(GAUGE)).isEqualTo(1);

    operations.finish(second, "failed", "test");
    operations.running();
    assertThat(api.metric(GAUGE)).isZero();
  }
}
